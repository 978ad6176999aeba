// The status bar item's text, without VS Code (unit-tested): ONE icon — the state that matters most
// (another window runs the queue, a job runs, the queue is paused, jobs wait) — then words.
import { jobTitle, type Job } from '../core';

export interface StatusBarState {
  running: readonly Job[];
  queued: number;
  paused: boolean;
  follower: boolean;
  /** The single running job's progress (0–100), when known. */
  percent: number | undefined;
}

/** Undefined: nothing to show (no job running or queued, and this window runs the queue). */
export function statusBarText(state: StatusBarState): string | undefined {
  const { running, queued, paused, follower, percent } = state;
  if (running.length === 0 && queued === 0 && !follower) return undefined;
  const icon = follower ? '$(link)' : running.length > 0 ? '$(sync~spin)' : paused ? '$(debug-pause)' : '$(list-ordered)';
  const parts: string[] = [];
  if (follower) parts.push('other window');
  if (running.length === 1) {
    const job = running[0]!;
    parts.push(`${noIcons(truncate(jobTitle(job), 28))}${job.status === 'paused' ? ' (paused)' : percent !== undefined ? ` ${Math.floor(percent)}%` : ''}`);
  } else if (running.length > 1) {
    parts.push(`${running.length} running`);
  }
  if (paused) parts.push('paused');
  if (queued > 0 || parts.length === 0) parts.push(`${queued} queued`);
  return `${icon} ${parts.join(' · ')}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Status-bar text turns `$(name)` into an icon: a job's title must not. */
function noIcons(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
