// How the card draws a run of terminal text (webview-ui/terminalStyle.ts): the 16 ANSI colours are
// the theme's terminal colours, the rest the fixed xterm palette or the 24-bit colour asked for.
import * as assert from 'node:assert/strict';
import { DEFAULT_BACKGROUND, DEFAULT_FOREGROUND, colorCss, runLook } from '../../webview-ui/terminalStyle';

describe('card: terminal colours and attributes', () => {
  it('maps colours to the theme (0–15), the xterm cube and greys (16–255), and 24-bit values', () => {
    assert.equal(colorCss({ kind: 'palette', index: 2 }), 'var(--vscode-terminal-ansiGreen)');
    assert.equal(colorCss({ kind: 'palette', index: 9 }), 'var(--vscode-terminal-ansiBrightRed)');
    assert.equal(colorCss({ kind: 'palette', index: 196 }), '#ff0000');
    assert.equal(colorCss({ kind: 'palette', index: 208 }), '#ff8700');
    assert.equal(colorCss({ kind: 'palette', index: 232 }), '#080808');
    assert.equal(colorCss({ kind: 'rgb', rgb: 0x0a141e }), '#0a141e');
  });
  it('attributes become classes; inverse swaps the colours, defaults included', () => {
    assert.deepEqual(runLook(undefined), { classes: '', props: {} });
    assert.deepEqual(runLook({ bold: true, underline: true, fg: { kind: 'palette', index: 1 } }), { classes: 'ansi-bold ansi-underline', props: { color: 'var(--vscode-terminal-ansiRed)' } });
    assert.deepEqual(runLook({ inverse: true }), { classes: '', props: { color: DEFAULT_BACKGROUND, 'background-color': DEFAULT_FOREGROUND } });
    assert.deepEqual(runLook({ inverse: true, fg: { kind: 'palette', index: 4 } }), { classes: '', props: { color: DEFAULT_BACKGROUND, 'background-color': 'var(--vscode-terminal-ansiBlue)' } });
  });
});
