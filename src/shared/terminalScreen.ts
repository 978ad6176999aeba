// Raw job output → the lines a terminal would show, with their attributes. The terminal semantics
// (SGR colours and attributes, `\r` redraws, erase-in-line, cursor movement of multi-line bars,
// wide characters) come from @xterm/headless, the engine of VS Code's own terminal, not from a
// hand-written parser: the card reads exactly like the Terminal panel. Host side only (the webview
// imports terminalLine.ts, never this): the engine stays out of the webview's bundle.
import { Terminal, type IBufferCell, type IBufferLine } from '@xterm/headless';
import type { StyledLine, StyledRun, TerminalColor, TextStyle } from './terminalLine';

export interface ScreenOptions {
  /** Columns: a longer line wraps and is joined again, so this only bounds how far `\r` reaches back. */
  cols?: number;
  /** Rows of the screen: how far up a multi-line bar may move the cursor. */
  rows?: number;
  /** The most lines returned (the last ones). */
  maxLines?: number;
}

const DEFAULTS = { cols: 240, rows: 50, maxLines: 200 };

/**
 * The screen after `output` (raw bytes decoded as text; `\n` starts a new line, as a terminal with
 * `onlcr` shows a file), as lines of styled runs: trailing blank lines and blank cells trimmed,
 * wrapped rows joined into the line they belong to.
 */
export async function renderTerminal(output: string, options: ScreenOptions = {}): Promise<StyledLine[]> {
  const { cols, rows, maxLines } = { ...DEFAULTS, ...options };
  // Scrollback counts rows: room for every line to wrap a few times (a tail's lines are at most ~1,000 characters).
  const terminal = new Terminal({ cols, rows, scrollback: maxLines * Math.ceil(1000 / cols + 1), convertEol: true, allowProposedApi: true });
  try {
    await new Promise<void>((resolve) => terminal.write(output, resolve));
    return readScreen(terminal).slice(-maxLines);
  } finally {
    terminal.dispose();
  }
}

function readScreen(terminal: Terminal): StyledLine[] {
  const buffer = terminal.buffer.active;
  const cell = buffer.getNullCell();
  const lines: StyledLine[] = [];
  // Everything up to the cursor's row counts (a blank line the job printed is a line); blank rows
  // below the cursor are the unused screen.
  const lastRow = buffer.baseY + buffer.cursorY;
  for (let y = 0; y <= lastRow; y++) {
    const row = buffer.getLine(y);
    if (!row) break;
    const runs = readRow(row, cell);
    if (row.isWrapped && lines.length > 0) appendRuns(lines[lines.length - 1]!, runs);
    else lines.push(runs);
  }
  while (lines.length > 0 && lines[lines.length - 1]!.length === 0) lines.pop();
  return lines;
}

/** One row's cells as runs; cells never written to at the end of the row are dropped. */
function readRow(row: IBufferLine, cell: IBufferCell): StyledRun[] {
  let end = row.length;
  while (end > 0 && isBlank(row.getCell(end - 1, cell)!)) end--;
  const runs: StyledRun[] = [];
  const key = new Attributes();
  const next = new Attributes();
  let run: StyledRun | undefined;
  for (let x = 0; x < end; x++) {
    row.getCell(x, cell);
    // The second half of a wide character has width 0 and no text of its own.
    if (cell.getWidth() === 0) continue;
    const text = cell.getChars() || ' ';
    // Attributes compared as numbers; a style object is made once per run, not per cell.
    next.read(cell);
    if (run && next.equals(key)) {
      run.text += text;
      continue;
    }
    const style = styleOf(cell);
    run = style ? { text, style } : { text };
    runs.push(run);
    key.copy(next);
  }
  return runs;
}

function isBlank(cell: IBufferCell): boolean {
  return cell.getChars() === '' && cell.isBgDefault();
}

/** A cell's attributes as numbers: cheap to compare cell by cell. */
class Attributes {
  fg = 0;
  bg = 0;
  flags = 0;

  read(cell: IBufferCell): void {
    if (cell.isAttributeDefault()) {
      this.fg = this.bg = this.flags = 0;
      return;
    }
    this.fg = cell.getFgColorMode() + cell.getFgColor();
    this.bg = cell.getBgColorMode() + cell.getBgColor();
    this.flags = (cell.isBold() ? 1 : 0) | (cell.isDim() ? 2 : 0) | (cell.isItalic() ? 4 : 0) | (cell.isUnderline() ? 8 : 0) | (cell.isInverse() ? 16 : 0) | (cell.isStrikethrough() ? 32 : 0);
  }

  equals(other: Attributes): boolean {
    return this.fg === other.fg && this.bg === other.bg && this.flags === other.flags;
  }

  copy(other: Attributes): void {
    this.fg = other.fg;
    this.bg = other.bg;
    this.flags = other.flags;
  }
}

/** Continues `line` with a wrapped row's runs: where they meet, one run if they look the same. */
function appendRuns(line: StyledRun[], runs: readonly StyledRun[]): void {
  const last = line[line.length - 1];
  const [first, ...rest] = runs;
  if (!first) return;
  if (last && JSON.stringify(last.style ?? null) === JSON.stringify(first.style ?? null)) last.text += first.text;
  else line.push(first);
  line.push(...rest);
}

/** The cell's attributes; undefined for the terminal's default look. Keys in a fixed order (runs compare by their JSON). */
function styleOf(cell: IBufferCell): TextStyle | undefined {
  const style: TextStyle = {};
  const fg = colorOf(cell.isFgRGB(), cell.isFgPalette(), cell.getFgColor());
  const bg = colorOf(cell.isBgRGB(), cell.isBgPalette(), cell.getBgColor());
  if (fg) style.fg = fg;
  if (bg) style.bg = bg;
  if (cell.isBold()) style.bold = true;
  if (cell.isDim()) style.dim = true;
  if (cell.isItalic()) style.italic = true;
  if (cell.isUnderline()) style.underline = true;
  if (cell.isInverse()) style.inverse = true;
  if (cell.isStrikethrough()) style.strikethrough = true;
  return Object.keys(style).length === 0 ? undefined : style;
}

function colorOf(rgb: boolean, palette: boolean, value: number): TerminalColor | undefined {
  if (rgb) return { kind: 'rgb', rgb: value };
  if (palette) return { kind: 'palette', index: value };
  return undefined;
}
