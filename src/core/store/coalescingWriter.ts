// Serialised, coalesced writes of one file, plus a synchronous durable write that supersedes them.
import * as path from 'node:path';
import { commitTemp, discardTemp, writeFileAtomicSync, writeTemp } from './atomicFile';

/** What one write puts in the file, and what to do once it is there. */
export interface Rendered {
  data: string;
  landed?: () => void;
}

/**
 * At most one write in flight and at most one waiting. A burst of changes costs two writes, and the
 * last state asked for is always the one that lands.
 *
 * Failures: a failed write is reported once through `onError` (again only when the error changes),
 * and kept: flush() rejects with it until a later write succeeds (flush() itself tries once more).
 * Nothing here ever rejects a promise nobody awaits.
 */
export class CoalescingWriter {
  private inFlight: Promise<void> | undefined;
  private nextData: (() => Rendered) | undefined;
  /** The latest write's failure, and what it would have written, for flush() to try again. */
  private failure: { error: unknown; retry?: () => Rendered } | undefined;
  /**
   * Bumped by every synchronous write: an asynchronous write rendered before it holds older state,
   * so it must not land after it (its rename is checked against this in the same tick).
   */
  private generation = 0;
  private lastWriteAt = 0;
  private hurry: (() => void) | undefined;

  /**
   * `minIntervalMs` spaces writes out under a sustained stream of changes (a fast-draining queue),
   * so the cost is per interval, not per change; a lone change is written at once, and flush()
   * never waits for the interval. `action` completes the error message "Could not … in <folder>".
   */
  constructor(
    private readonly file: string,
    private readonly onError: (error: unknown) => void,
    private readonly minIntervalMs = 0,
    private readonly action = `save ${path.basename(file)}`,
  ) {}

  /**
   * Schedule a write; `render` is called when the write actually starts, so it sees the latest
   * state. Its `landed` is called once that content is the file's (renamed into place).
   */
  schedule(render: () => Rendered): void {
    this.nextData = render;
    this.inFlight ??= this.drain();
  }

  /**
   * Writes `data` now, durably (see writeFileAtomicSync), and throws storageFailed if it cannot. A
   * write in flight was rendered earlier: it is dropped rather than allowed to land after this one.
   * A write still waiting renders later state, so it still happens.
   */
  writeNow(rendered: Rendered): void {
    this.generation++;
    try {
      writeFileAtomicSync(this.file, rendered.data, this.action);
    } catch (error) {
      // Thrown to the caller, who reports it; kept so flush() does not claim the state is saved.
      this.failure = { error, retry: () => rendered };
      throw error;
    }
    this.failure = undefined;
    rendered.landed?.();
  }

  /**
   * Resolves once everything scheduled so far is on disk; rejects with the storageFailed error if the
   * latest write failed. After a failure with nothing new scheduled, it first tries that write again.
   */
  async flush(): Promise<void> {
    if (this.failure?.retry && !this.inFlight) this.schedule(this.failure.retry);
    while (this.inFlight) {
      this.hurry?.();
      await this.inFlight;
    }
    if (this.failure) throw this.failure.error;
  }

  private async drain(): Promise<void> {
    try {
      while (this.nextData) {
        await this.spaceOut();
        this.lastWriteAt = Date.now();
        const render = this.nextData;
        this.nextData = undefined;
        const generation = this.generation;
        try {
          const rendered = render();
          const temp = await writeTemp(this.file, rendered.data, this.action);
          if (generation !== this.generation) {
            discardTemp(temp);
            continue;
          }
          commitTemp(temp, this.file, this.action);
          this.failure = undefined;
          rendered.landed?.();
        } catch (error) {
          // A synchronous write landed meanwhile: it holds newer state, this failure no longer matters.
          if (generation === this.generation) this.failed(error, render);
        }
      }
    } catch (error) {
      // Not reachable by design (every step above catches); kept so this promise can never reject.
      this.failed(error, this.failure?.retry);
    } finally {
      this.inFlight = undefined;
      this.hurry = undefined;
    }
  }

  private failed(error: unknown, retry: (() => Rendered) | undefined): void {
    const repeated = this.failure !== undefined && String(this.failure.error) === String(error);
    this.failure = retry ? { error, retry } : { error };
    if (repeated) return;
    try {
      this.onError(error);
    } catch {
      // A listener's own failure must not turn into an unhandled rejection; flush() still reports.
    }
  }

  private async spaceOut(): Promise<void> {
    const wait = this.lastWriteAt + this.minIntervalMs - Date.now();
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.hurry = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.hurry = undefined;
  }
}
