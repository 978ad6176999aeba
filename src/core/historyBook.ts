// The finished runs this host keeps in memory, oldest first, bounded by historyLimit; the latest run
// of each job id (for actions on history rows) and the recent durations of each command (for ETAs).
import type { Job } from './model';
import { median } from './progress';

const DURATIONS_KEPT = 20;

export class HistoryBook {
  private runs: Job[] = [];
  private readonly latestRun = new Map<string, Job>();
  private readonly durations = new Map<string, number[]>();

  get size(): number {
    return this.runs.length;
  }

  /** Newest first. */
  all(): Job[] {
    return [...this.runs].reverse();
  }

  page(offset: number, limit: number): Job[] {
    const end = Math.max(0, this.runs.length - offset);
    const start = Math.max(0, end - limit);
    return this.runs.slice(start, end).reverse();
  }

  latest(id: string): Job | undefined {
    return this.latestRun.get(id);
  }

  /** Keys of the kept runs, for compaction. */
  keptKeys(): Set<string> {
    return new Set(this.runs.map(runKey));
  }

  add(job: Job): void {
    this.runs.push(job);
    this.latestRun.set(job.id, job);
    if (job.status === 'completed' && job.startedAt !== undefined && job.finishedAt !== undefined) {
      const list = this.durations.get(job.spec.command) ?? [];
      list.push(job.finishedAt - job.startedAt - (job.pausedMs ?? 0));
      if (list.length > DURATIONS_KEPT) list.shift();
      this.durations.set(job.spec.command, list);
    }
  }

  trim(limit: number): void {
    const excess = this.runs.length - limit;
    if (excess <= 0) return;
    for (const old of this.runs.splice(0, excess)) {
      if (this.latestRun.get(old.id) === old) this.latestRun.delete(old.id);
    }
  }

  clear(): void {
    this.runs = [];
    this.latestRun.clear();
  }

  /** Replaces everything (a follower re-reading the owner's files). */
  replace(runs: readonly Job[], limit: number): void {
    this.clear();
    this.durations.clear();
    for (const run of runs) this.add(run);
    this.trim(limit);
  }

  typicalDuration(command: string): number | undefined {
    return median(this.durations.get(command) ?? []);
  }
}

export function runKey(job: Job): string {
  return `${job.id}#${job.attempt}#${job.finishedAt}`;
}
