// Raw job output → the lines a terminal shows (src/shared/terminalScreen.ts, VS Code's terminal
// engine): colours and attributes survive as styles, redraws collapse to the line's last state, and
// no escape code is ever left in the text.
import * as assert from 'node:assert/strict';
import { plainText, type StyledLine } from '../../src/shared/terminalLine';
import { renderTerminal } from '../../src/shared/terminalScreen';

const texts = (lines: StyledLine[]) => lines.map(plainText);
const runOf = (lines: StyledLine[], text: string) => lines.flat().find((r) => r.text === text);

describe('terminal screen: output as the terminal shows it', () => {
  it('reads 16, 256 and 24-bit colours and every SGR attribute, then resets', async () => {
    const lines = await renderTerminal(
      '\x1b[32mgreen\x1b[0m \x1b[38;5;208morange\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[0m \x1b[41mbg\x1b[0m ' +
      '\x1b[1mbold\x1b[0m \x1b[2mdim\x1b[0m \x1b[3mitalic\x1b[0m \x1b[4munder\x1b[0m \x1b[7minverse\x1b[0m \x1b[9mstrike\x1b[0m plain',
    );
    assert.deepEqual(texts(lines), ['green orange rgb bg bold dim italic under inverse strike plain']);
    assert.deepEqual(runOf(lines, 'green')!.style, { fg: { kind: 'palette', index: 2 } });
    assert.deepEqual(runOf(lines, 'orange')!.style, { fg: { kind: 'palette', index: 208 } });
    assert.deepEqual(runOf(lines, 'rgb')!.style, { fg: { kind: 'rgb', rgb: 0x010203 } });
    assert.deepEqual(runOf(lines, 'bg')!.style, { bg: { kind: 'palette', index: 1 } });
    for (const attribute of ['bold', 'dim', 'italic', 'inverse'] as const) assert.deepEqual(runOf(lines, attribute)!.style, { [attribute]: true });
    assert.deepEqual(runOf(lines, 'under')!.style, { underline: true });
    assert.deepEqual(runOf(lines, 'strike')!.style, { strikethrough: true });
    assert.equal(runOf(lines, ' plain')!.style, undefined, 'reset: back to the default look');
  });

  it('collapses \\r redraws, erase-in-line and a multi-line bar moved with cursor-up to their last state', async () => {
    const tqdm = ' 10%|#         | 1/10\r 50%|#####     | 5/10\r100%|##########| 10/10\n';
    const pip = 'Downloading 1.0 MB\r\x1b[KDone\n';
    const cargo = 'long old status\r\x1b[2Kshort\n';
    const docker = 'layer a: waiting\nlayer b: waiting\n\x1b[2A\x1b[2Klayer a: done\n\x1b[2Klayer b: done\n';
    const lines = await renderTerminal(`start\n${tqdm}${pip}${cargo}${docker}end`);
    assert.deepEqual(texts(lines), ['start', '100%|##########| 10/10', 'Done', 'short', 'layer a: done', 'layer b: done', 'end']);
  });

  it('never leaves an escape code in the text; blank lines the job printed stay, the unused screen does not', async () => {
    const lines = await renderTerminal('\x1b[31;1ma\x1b[0m\n\n\x1b]0;title\x07b\x1b[?25l\x1b[?25h\n\n\n');
    assert.deepEqual(texts(lines), ['a', '', 'b']);
    assert.ok(lines.flat().every((r) => !r.text.includes('\x1b') && !r.text.includes('\x07') && !/\[\d/.test(r.text)), JSON.stringify(lines));
  });

  it('joins a line longer than the screen is wide, and keeps only the last lines', async () => {
    const long = 'x'.repeat(500);
    assert.deepEqual(texts(await renderTerminal(`${long}\nnext`, { cols: 80 })), [long, 'next']);
    const many = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    assert.deepEqual(texts(await renderTerminal(many, { maxLines: 3 })), ['line 97', 'line 98', 'line 99']);
  });
});
