// How a run of terminal text looks on the card: its attributes as class names, its colours as CSS
// values. The 16 ANSI colours are the theme's own (`--vscode-terminal-ansi*`, as the Terminal panel
// draws them), 16–255 the fixed xterm cube and greys, 24-bit colours as given. Pure: unit-tested.
import type { TerminalColor, TextStyle } from '../src/shared/terminalLine';

const ANSI_NAMES = [
  'Black', 'Red', 'Green', 'Yellow', 'Blue', 'Magenta', 'Cyan', 'White',
  'BrightBlack', 'BrightRed', 'BrightGreen', 'BrightYellow', 'BrightBlue', 'BrightMagenta', 'BrightCyan', 'BrightWhite',
] as const;

/** The terminal's own foreground and background (what `inverse` swaps). */
export const DEFAULT_FOREGROUND = 'var(--vscode-terminal-foreground, var(--vscode-editor-foreground))';
export const DEFAULT_BACKGROUND = 'var(--vscode-terminal-background, var(--vscode-panel-background, var(--vscode-editor-background)))';

const hex = (value: number) => `#${value.toString(16).padStart(6, '0')}`;

/** A colour as a CSS value. */
export function colorCss(color: TerminalColor): string {
  if (color.kind === 'rgb') return hex(color.rgb);
  const i = color.index;
  if (i < 16) return `var(--vscode-terminal-ansi${ANSI_NAMES[i]})`;
  if (i < 232) {
    // The 6×6×6 cube, with xterm's levels.
    const level = (n: number) => (n === 0 ? 0 : 55 + n * 40);
    const c = i - 16;
    return hex((level(Math.floor(c / 36)) << 16) | (level(Math.floor(c / 6) % 6) << 8) | level(c % 6));
  }
  const grey = 8 + (i - 232) * 10;
  return hex((grey << 16) | (grey << 8) | grey);
}

export interface RunLook {
  classes: string;
  /** CSS properties set through the CSSOM (the webview's policy forbids style attributes). */
  props: Record<string, string>;
}

export function runLook(style: TextStyle | undefined): RunLook {
  if (!style) return { classes: '', props: {} };
  const classes = [
    style.bold && 'ansi-bold', style.dim && 'ansi-dim', style.italic && 'ansi-italic',
    style.underline && 'ansi-underline', style.strikethrough && 'ansi-strikethrough',
  ].filter(Boolean).join(' ');
  let fg = style.fg && colorCss(style.fg);
  let bg = style.bg && colorCss(style.bg);
  if (style.inverse) [fg, bg] = [bg ?? DEFAULT_BACKGROUND, fg ?? DEFAULT_FOREGROUND];
  return { classes, props: { ...(fg ? { color: fg } : {}), ...(bg ? { 'background-color': bg } : {}) } };
}
