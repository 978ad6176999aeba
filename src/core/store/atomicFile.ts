// Durable file writes: a reader sees the old file or the new one, never half of either.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Write `data` to `file` through a temp file in the same folder and a rename (atomic on POSIX and
 * NTFS). No fsync: the crash this guards against is the host's, not the kernel's (the page cache
 * survives a killed process), and an fsync per queue change would cost milliseconds each.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const temp = `${file}.${process.pid}.partial`;
  await fs.promises.writeFile(temp, data, 'utf8');
  await fs.promises.rename(temp, file);
}

export function writeFileAtomicSync(file: string, data: string): void {
  const temp = `${file}.${process.pid}.partial`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, data, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

/**
 * Keeps a copy of a file that could not be read, next to it, so nothing is dropped without a copy.
 * Returns the copy's path.
 */
export function backupCorruptFile(file: string): string {
  const backup = path.join(path.dirname(file), `${path.basename(file)}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.copyFileSync(file, backup);
  return backup;
}

/**
 * Serialises writes of one file: at most one write in flight and at most one waiting. A burst of
 * changes costs two writes, and the last state asked for is always the one that lands.
 */
export class CoalescingWriter {
  private inFlight: Promise<void> | undefined;
  private nextData: (() => string) | undefined;
  private lastError: unknown;
  private lastWriteAt = 0;
  private hurry: (() => void) | undefined;

  /**
   * `minIntervalMs` spaces writes out under a sustained stream of changes (a fast-draining queue),
   * so the cost is per interval, not per change; a lone change is written at once, and flush()
   * never waits for the interval.
   */
  constructor(private readonly file: string, private readonly onError: (error: unknown) => void, private readonly minIntervalMs = 0) {}

  /** Schedule a write; `render` is called when the write actually starts, so it sees the latest state. */
  schedule(render: () => string): void {
    this.nextData = render;
    if (!this.inFlight) this.inFlight = this.drain();
  }

  /** Resolves once everything scheduled so far is on disk. */
  async flush(): Promise<void> {
    while (this.inFlight) {
      this.hurry?.();
      await this.inFlight;
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.nextData) {
        const wait = this.lastWriteAt + this.minIntervalMs - Date.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            this.hurry = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.hurry = undefined;
        }
        this.lastWriteAt = Date.now();
        const render = this.nextData!;
        this.nextData = undefined;
        try {
          await writeFileAtomic(this.file, render());
          this.lastError = undefined;
        } catch (error) {
          if (String(error) !== String(this.lastError)) this.onError(error);
          this.lastError = error;
        }
      }
    } finally {
      this.inFlight = undefined;
    }
  }
}
