// Builds the card's view-model from JobService (no vscode import: unit-tested in plain Node).
import type { JobService } from '../../core';
import { CARD_TAIL_LINES, type CardJob, type CardState } from '../../shared/runningJobProtocol';

export function buildCardState(service: JobService, now: number): CardState {
  const snapshot = service.getSnapshot();
  const jobs = snapshot.running.map((job): CardJob => {
    const progress = service.getProgress(job.id) ?? {};
    return {
      id: job.id,
      attempt: job.attempt,
      ...(job.spec.label ? { label: job.spec.label } : {}),
      command: job.spec.command,
      status: job.status === 'paused' ? 'paused' : 'running',
      startedAt: job.startedAt ?? now,
      pausedMs: job.pausedMs ?? 0,
      ...(job.pausedAt !== undefined ? { pausedAt: job.pausedAt } : {}),
      ...progress,
      tail: service.getOutputTail(job.id).slice(-CARD_TAIL_LINES),
      canPause: service.canPauseJob(job),
      ...backendOf(service, job.id),
    };
  });
  return { jobs, slots: Math.max(1, snapshot.maxParallelJobs), queuedCount: snapshot.queued.length, queuePaused: snapshot.paused, autoRun: snapshot.autoRun, canPause: service.canPauseJobs, now };
}

function backendOf(service: JobService, id: string): Pick<CardJob, 'backend'> {
  const details = service.getRunDetails(id);
  return details ? { backend: { summary: details.summary, fields: details.fields.map((f) => ({ label: f.label, value: f.value })) } } : {};
}

/**
 * Coalesces a flood of updates: at most one flush per `intervalMs`, carrying only the latest value
 * per key. The first change after a quiet interval goes out on the next turn of the event loop (a
 * burst from one turn still travels together); under a steady stream, flushes come every
 * `intervalMs`, not every two. Timers and the clock are injected so tests need no sleeps.
 */
export class Throttle<K, V> {
  private readonly latest = new Map<K, V>();
  private timer: unknown;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (items: Map<K, V>) => void,
    private readonly timers: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void; now?(): number } = {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (h) => clearTimeout(h as NodeJS.Timeout),
      now: () => Date.now(),
    },
  ) {}

  private now(): number {
    return this.timers.now?.() ?? Date.now();
  }

  push(key: K, value: V): void {
    this.latest.set(key, value);
    this.timer ??= this.timers.set(() => this.fire(), Math.max(0, this.lastFlush + this.intervalMs - this.now()));
  }

  /** Delivers what is waiting now instead of at the end of the interval (nothing when nothing is). */
  flushNow(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.fire();
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.latest.clear();
  }

  private fire(): void {
    this.timer = undefined;
    const items = new Map(this.latest);
    this.latest.clear();
    if (items.size === 0) return;
    this.lastFlush = this.now();
    this.flush(items);
  }
}
