// Watches running jobs' logs: the bounded output tail, progress and ETA. It only reads files, so the
// owner and a follower window watch runs the same way; the host never holds a job's output in a pipe.
import type { JobServiceEvent } from './events';
import type { Job, Progress } from './model';
import { OutputTail } from './outputTail';
import { estimateEta, latestProgress } from './progress';

interface Watched {
  job: Job;
  tail: OutputTail;
  lines: string[];
  progress: Progress;
}

export class RunMonitor {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private pollMs: number,
    private readonly typicalDuration: (command: string) => number | undefined,
    private readonly emit: (event: JobServiceEvent) => void,
  ) {}

  watch(job: Job): void {
    const entry: Watched = { job, tail: new OutputTail(job.logPath ?? ''), lines: [], progress: {} };
    this.watched.set(job.id, entry);
    this.refreshProgress(entry);
    this.ensureTimer();
  }

  /** The job's record changed (paused, resumed): progress accounting follows it. */
  update(job: Job): void {
    const entry = this.watched.get(job.id);
    if (!entry) return;
    entry.job = job;
    this.refreshProgress(entry);
  }

  unwatch(id: string): void {
    this.watched.delete(id);
    if (this.watched.size === 0) this.stopTimer();
  }

  clear(): void {
    this.watched.clear();
    this.stopTimer();
  }

  progress(id: string): Progress | undefined {
    const entry = this.watched.get(id);
    return entry ? { ...entry.progress } : undefined;
  }

  lines(id: string): string[] {
    return [...(this.watched.get(id)?.lines ?? [])];
  }

  setPollMs(ms: number): void {
    if (ms === this.pollMs) return;
    this.pollMs = ms;
    this.stopTimer();
    if (this.watched.size > 0) this.ensureTimer();
  }

  dispose(): void {
    this.stopped = true;
    this.clear();
  }

  private ensureTimer(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      for (const entry of this.watched.values()) void this.poll(entry);
    }, this.pollMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(entry: Watched): Promise<void> {
    const read = await entry.tail.readIfChanged().catch(() => undefined);
    if (this.stopped || this.watched.get(entry.job.id) !== entry) return;
    if (read) {
      entry.lines = read.lines;
      this.emit({ type: 'output', jobId: entry.job.id, tail: [...read.lines] });
    }
    this.refreshProgress(entry);
  }

  private refreshProgress(entry: Watched): void {
    const { job } = entry;
    const percent = latestProgress(entry.lines);
    const elapsedMs = Math.max(0, (job.pausedAt ?? Date.now()) - (job.startedAt ?? Date.now()) - (job.pausedMs ?? 0));
    const eta = estimateEta({ percent, elapsedMs, typicalDurationMs: this.typicalDuration(job.spec.command) });
    const next: Progress = { ...(percent !== undefined ? { percent } : {}), ...eta };
    const before = entry.progress;
    // ETA drifts every tick; announce it when it moves by a second or more, percent on any change.
    const moved = before.percent !== next.percent || before.etaSource !== next.etaSource ||
      Math.abs((before.etaMs ?? -1e9) - (next.etaMs ?? -1e9)) >= 1000;
    if (!moved) return;
    entry.progress = next;
    this.emit({ type: 'progress', jobId: job.id, progress: { ...next } });
  }
}
