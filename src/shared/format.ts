// Time formatting shared by the host (tree, status bar) and the webview (running-job card).

/** `hh:mm:ss` for a duration in milliseconds (hours grow past 99 rather than wrap). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** `ETA ~hh:mm:ss`, or `ETA —` when nothing is known. */
export function formatEta(etaMs: number | undefined): string {
  return etaMs === undefined ? 'ETA —' : `ETA ~${formatClock(etaMs)}`;
}

/** Compact duration for list rows: `850ms`, `12s`, `3m 04s`, `2h 05m`. */
export function formatShortDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Run time of a job excluding time spent paused, at `now`. */
export function runElapsedMs(job: { startedAt?: number; finishedAt?: number; pausedMs?: number; pausedAt?: number }, now: number): number {
  if (job.startedAt === undefined) return 0;
  const end = job.finishedAt ?? job.pausedAt ?? now;
  return Math.max(0, end - job.startedAt - (job.pausedMs ?? 0));
}
