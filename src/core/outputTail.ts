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
    // \r alone is how progress bars redraw a line: each redraw counts as a line, the last one wins.
    const lines = text.split(/\r\n|\n|\r/);
    if (startsMidLine) lines.shift();
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-this.maxLines).map((l) => (l.length > this.maxLineLength ? l.slice(0, this.maxLineLength) + '…' : l));
  }
}
