// Builds the card's view-model from JobService (no vscode import: unit-tested in plain Node).
import { runElapsedMs } from '../../shared/format';
import type { JobService } from '../../core';
import { OutputTail } from '../../core/outputTail';
import { CARD_TAIL_LINES, type CardJob, type CardLine, type CardResult, type CardState } from '../../shared/runningJobProtocol';
import type { OutputRun } from './cardOutput';
import type { RunRef } from './cardResult';

/** Turns a run's raw tail into the card's lines (cardOutput.ts). */
export type RenderOutput = (run: OutputRun, tail: readonly string[]) => Promise<CardLine[]>;

/** The running jobs (and, when none runs, the kept result) as the card shows them. */
export async function buildCardState(service: JobService, now: number, render: RenderOutput, kept?: RunRef): Promise<CardState> {
  const snapshot = service.getSnapshot();
  const jobs = await Promise.all(snapshot.running.map(async (job): Promise<CardJob> => {
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
      output: await render(job, service.getOutputTail(job.id).slice(-CARD_TAIL_LINES)),
      canPause: service.canPauseJob(job),
      ...backendOf(service, job.id),
    };
  }));
  const result = jobs.length === 0 && kept ? await resultOf(service, kept, render) : undefined;
  return { jobs, ...(result ? { result } : {}), slots: Math.max(1, snapshot.maxParallelJobs), queuedCount: snapshot.queued.length, queuePaused: snapshot.paused, autoRun: snapshot.autoRun, canPause: service.canPauseJobs, now };
}

/** The kept run as it ended, with the last lines of its log (read now: everything it printed). */
async function resultOf(service: JobService, kept: RunRef, render: RenderOutput): Promise<CardResult | undefined> {
  const job = service.getJob(kept.id);
  const status = job?.status;
  if (!job || job.attempt !== kept.attempt || !isResultStatus(status)) return undefined;
  const read = job.logPath ? await new OutputTail(job.logPath, { maxLines: CARD_TAIL_LINES }).readIfChanged().catch(() => undefined) : undefined;
  return {
    id: job.id,
    attempt: job.attempt,
    ...(job.spec.label ? { label: job.spec.label } : {}),
    command: job.spec.command,
    status,
    ...(job.exitCode !== undefined ? { exitCode: job.exitCode } : {}),
    ...(job.signal !== undefined ? { signal: job.signal } : {}),
    durationMs: runElapsedMs(job, job.finishedAt ?? Date.now()),
    finishedAt: job.finishedAt ?? Date.now(),
    output: await render(job, read?.lines ?? []),
  };
}

function isResultStatus(status: string | undefined): status is CardResult['status'] {
  return status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'interrupted';
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
