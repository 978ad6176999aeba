// Builds the card's view-model from JobService (no vscode import: unit-tested in plain Node).
import type { JobService } from '../../core';
import { CARD_TAIL_LINES, type CardJob, type CardState } from '../../shared/runningJobProtocol';

export function buildCardState(service: JobService, now: number): CardState {
  const snapshot = service.getSnapshot();
  const jobs = snapshot.running.map((job, index): CardJob => {
    const progress = service.getProgress(job.id) ?? {};
    return {
      id: job.id,
      ordinal: index + 1,
      ...(job.spec.label ? { label: job.spec.label } : {}),
      command: job.spec.command,
      status: job.status === 'paused' ? 'paused' : 'running',
      startedAt: job.startedAt ?? now,
      pausedMs: job.pausedMs ?? 0,
      ...(job.pausedAt !== undefined ? { pausedAt: job.pausedAt } : {}),
      ...progress,
      tail: service.getOutputTail(job.id).slice(-CARD_TAIL_LINES),
    };
  });
  return { jobs, queuedCount: snapshot.queued.length, queuePaused: snapshot.paused, autoRun: snapshot.autoRun, canPause: service.canPauseJobs, now };
}

/**
 * Coalesces a flood of updates: at most one flush per `intervalMs`, carrying only the latest value
 * per key. Timers are injected so tests need no sleeps.
 */
export class Throttle<K, V> {
  private readonly latest = new Map<K, V>();
  private timer: unknown;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (items: Map<K, V>) => void,
    private readonly timers: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void } = {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (h) => clearTimeout(h as NodeJS.Timeout),
    },
  ) {}

  push(key: K, value: V): void {
    this.latest.set(key, value);
    this.timer ??= this.timers.set(() => this.fire(), this.intervalMs);
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
    if (items.size > 0) this.flush(items);
  }
}
