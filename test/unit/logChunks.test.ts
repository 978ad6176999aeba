// Reading a log in bounded chunks for the log terminal and the plain-text log: UTF-8 split across
// reads, only what was added since the last read, the end of a log too big to show, `\n` → `\r\n`
// for a terminal across chunk edges, escape codes stripped even when a sequence is split.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHUNK_BYTES, EscapeStripper, LogChunks, TerminalNewlines } from '../../src/vscode/logTerminal/logChunks';
import { tempDir } from './helpers';

async function readAll(chunks: LogChunks): Promise<string[]> {
  const parts: string[] = [];
  await chunks.readNew((text) => parts.push(text));
  return parts;
}

describe('log chunks: reading a job log for a terminal and an editor', () => {
  it('reads in bounded chunks, a character split between two chunks intact, then only what was added', async () => {
    const file = path.join(tempDir(), 'run.log');
    // "é" is two bytes: place one across the first chunk's edge.
    const first = `${'a'.repeat(CHUNK_BYTES - 1)}é${'b'.repeat(10)}\n`;
    fs.writeFileSync(file, first);
    const chunks = new LogChunks(file, 16 * CHUNK_BYTES);
    const parts = await readAll(chunks);
    assert.equal(parts.length, 2, 'two reads of at most CHUNK_BYTES');
    assert.equal(parts.join(''), first);
    fs.appendFileSync(file, 'more\n');
    assert.deepEqual(await readAll(chunks), ['more\n'], 'only the new bytes');
    assert.deepEqual(await readAll(chunks), [], 'nothing new: nothing');
  });

  it('a log bigger than the limit: its end, after a line that says where the whole log is', async () => {
    const file = path.join(tempDir(), 'big.log');
    fs.writeFileSync(file, `${'x'.repeat(3 * 1024 * 1024)}THE END\n`);
    const text = (await readAll(new LogChunks(file, 1024 * 1024))).join('');
    assert.match(text, /^\[… the first 2 MB are not shown: the whole log is .*big\.log\]\n/);
    assert.ok(text.endsWith('THE END\n'));
    assert.ok(text.length < 1024 * 1024 + 200);
  });

  it('a log not written yet reads as nothing', async () => {
    assert.deepEqual(await readAll(new LogChunks(path.join(tempDir(), 'not-yet.log'), 1024)), []);
  });

  it('newlines for a terminal: \\n becomes \\r\\n, an existing \\r\\n stays, also across chunk edges; \\r alone stays', () => {
    const newlines = new TerminalNewlines();
    assert.equal(newlines.convert('a\nb\r\nc\r'), 'a\r\nb\r\nc\r');
    assert.equal(newlines.convert('\nd\n'), '\nd\r\n', 'the \\r of this \\r\\n came in the chunk before');
    assert.equal(newlines.convert('\n'), '\r\n');
    assert.equal(newlines.convert('50%\r60%\r'), '50%\r60%\r', 'a progress bar redraws its line');
  });

  it('escape codes stripped for the text view, a sequence split between chunks too', () => {
    const stripper = new EscapeStripper();
    assert.equal(stripper.strip('\u001b[32mgreen\u001b[0m and \u001b[3'), 'green and ');
    assert.equal(stripper.strip('1;4mbold\u001b[0m\n'), 'bold\n', 'the rest of the split sequence is not shown');
    assert.equal(stripper.strip('plain \u001b'), 'plain ');
    assert.equal(stripper.strip('[38;2;255;0;0mred\u001b[0m'), 'red');
  });
});
