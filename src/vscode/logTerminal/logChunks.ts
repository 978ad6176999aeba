// Reading a job's log without holding the extension host's thread: asynchronous reads of bounded
// chunks from where the last read ended (a log only grows), decoded as UTF-8 across chunk edges, and
// the text made ready for where it is shown — a pseudoterminal wants `\r\n` where a file has `\n`,
// an editor wants the escape codes gone (strip-ansi, with a sequence split across two reads kept
// for the next one rather than half-stripped).
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import stripAnsi from 'strip-ansi';

/** One read of a log never takes more than this at once. */
export const CHUNK_BYTES = 64 * 1024;

export class LogChunks {
  private offset: number | undefined;
  private readonly decoder = new StringDecoder('utf8');

  /** `tailBytes`: a log bigger than this is read from that far before its end (the end is what matters). */
  constructor(readonly logPath: string, private readonly tailBytes: number) {}

  /**
   * Calls `onText` with each chunk of what was written since the last call, until the end of the file
   * as it is now. The first call on a log longer than `tailBytes` says how much it skipped. A log not
   * written yet (the run is starting) reads as nothing.
   */
  async readNew(onText: (text: string) => void): Promise<void> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.logPath, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (this.offset === undefined) {
        this.offset = Math.max(0, size - this.tailBytes);
        if (this.offset > 0) onText(`[… the first ${Math.round(this.offset / 1024 / 1024)} MB are not shown: the whole log is ${this.logPath}]\n`);
      }
      const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(0, size - this.offset)));
      while (this.offset < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const text = this.decoder.write(buffer.subarray(0, bytesRead));
        if (text) onText(text);
      }
    } finally {
      await handle.close();
    }
  }
}

/** `\n` as a terminal needs it (`\r\n`), leaving a `\r\n` already there alone, across chunk edges. */
export class TerminalNewlines {
  private endedWithCr = false;

  convert(text: string): string {
    let converted = text.replace(/(?<!\r)\n/g, '\r\n');
    // The chunk before ended with the `\r` of this `\r\n`: that `\r` is written already.
    if (this.endedWithCr && text.startsWith('\n')) converted = converted.slice(1);
    if (text) this.endedWithCr = text.endsWith('\r');
    return converted;
  }
}

/** An escape sequence begun this close to a chunk's end, with no final letter yet, may go on in the next chunk. */
// eslint-disable-next-line no-control-regex -- the escape character is what it looks for
const SPLIT_SEQUENCE = /\u001b(?:[[\]()#;?0-9]{0,30})?$/;

/** Escape codes taken out of text that arrives in chunks, for the plain-text log. */
export class EscapeStripper {
  private held = '';

  strip(text: string): string {
    const whole = this.held + text;
    const split = SPLIT_SEQUENCE.exec(whole);
    this.held = split ? split[0] : '';
    return stripAnsi(split ? whole.slice(0, split.index) : whole);
  }
}
