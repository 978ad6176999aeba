// Reads the end of a growing log file. Cost per read is bounded by `windowBytes`, whatever the
// job printed, so a job writing hundreds of MB neither grows the host's memory nor stalls it.
import * as fs from 'node:fs';

export interface TailOptions {
  windowBytes?: number;
  maxLines?: number;
  maxLineLength?: number;
}

export interface TailRead {
  size: number;
  lines: string[];
}

export class OutputTail {
  private readonly windowBytes: number;
  private readonly maxLines: number;
  private readonly maxLineLength: number;
  private lastSize = -1;

  constructor(readonly file: string, options: TailOptions = {}) {
    this.windowBytes = options.windowBytes ?? 64 * 1024;
    this.maxLines = options.maxLines ?? 100;
    this.maxLineLength = options.maxLineLength ?? 1000;
  }

  /** The last lines, or undefined when the file has not changed since the previous read. */
  async readIfChanged(): Promise<TailRead | undefined> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.file, 'r');
    } catch {
      return undefined;
    }
    try {
      const { size } = await handle.stat();
      if (size === this.lastSize) return undefined;
      this.lastSize = size;
      const start = Math.max(0, size - this.windowBytes);
      const buffer = Buffer.alloc(size - start);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return { size, lines: this.toLines(buffer.toString('utf8', 0, bytesRead), start > 0) };
    } finally {
      await handle.close();
    }
  }

  private toLines(text: string, startsMidLine: boolean): string[] {
    // A line ends at \n (or \r\n). A lone \r is how a progress bar redraws its line: it stays inside
    // the line, so the card can show the line's last state as a terminal does and the progress
    // parser reads its latest value.
    const lines = text.split(/\r?\n/);
    if (startsMidLine) lines.shift();
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-this.maxLines).map((l) => this.bounded(l));
  }

  /**
   * A line cut to about `maxLineLength`. A line of redraws keeps its latest ones (from a \r on, which
   * starts the line afresh); any other line keeps its start.
   */
  private bounded(line: string): string {
    if (line.length <= this.maxLineLength) return line;
    const redraw = line.indexOf('\r', line.length - this.maxLineLength);
    return redraw >= 0 ? line.slice(redraw) : line.slice(0, this.maxLineLength) + '…';
  }
}
