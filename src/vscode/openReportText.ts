// The words for what opening the queue found, and for the Jobs view's message line. Pure functions
// with no `vscode` import, so every sentence is unit-tested in plain Node.
import { describeOwner, type Job, type QueueRole, type RefusedRequest } from '../core';
import { jobNameAndTitle } from './tree/jobName';

const LISTED_IDS = 5;

/** `#4, #7` (at most five, then `…`). */
export function idList(jobs: readonly Job[]): string {
  const ids = jobs.slice(0, LISTED_IDS).map((j) => `#${j.id}`);
  return jobs.length > LISTED_IDS ? `${ids.join(', ')}, …` : ids.join(', ');
}

/** `Job #4 “build”`, on one line and short enough for a notification. */
const jobName = (job: Job): string => jobNameAndTitle(job, 60);

function outcome(job: Job): string {
  if (job.status !== 'failed') return job.status;
  if (job.exitCode !== undefined) return `failed (exit ${job.exitCode})`;
  if (job.signal) return `failed (killed by ${job.signal})`;
  return 'failed';
}

export interface EndedSummary {
  message: string;
  /** How many did not complete: the summary is then worth an error, not an info. */
  notCompleted: number;
}

/** ONE sentence for every run that ended while no window was watching it. */
export function endedWhileClosedSummary(jobs: readonly Job[]): EndedSummary | undefined {
  if (jobs.length === 0) return undefined;
  const notCompleted = jobs.filter((j) => j.status !== 'completed').length;
  if (jobs.length === 1) {
    return { message: `${jobName(jobs[0]!)} finished while VS Code was closed: ${outcome(jobs[0]!)}.`, notCompleted };
  }
  const parts: string[] = [];
  for (const status of ['completed', 'failed', 'cancelled', 'interrupted'] as const) {
    const these = jobs.filter((j) => j.status === status);
    if (these.length === 0) continue;
    parts.push(status === 'completed' ? `${these.length} completed` : `${these.length} ${status} (${idList(these)})`);
  }
  return { message: `${jobs.length} jobs finished while VS Code was closed: ${parts.join(', ')}.`, notCompleted };
}

/**
 * ONE sentence for the jobs saved while no window ran the queue (from `jobq add` or another window)
 * that could not be queued at open: they were promised a place, so their refusal is never silent.
 */
export function refusedRequestsSummary(refused: readonly RefusedRequest[]): string | undefined {
  if (refused.length === 0) return undefined;
  const one = (r: RefusedRequest) => `“${oneLine(r.title)}” (from ${r.from}): ${r.reason.replace(/\.$/, '')}`;
  if (refused.length === 1) return `A job saved while VS Code was closed was not queued — ${one(refused[0]!)}.`;
  const listed = refused.slice(0, LISTED_IDS).map(one).join('; ');
  return `${refused.length} jobs saved while VS Code was closed were not queued — ${listed}${refused.length > LISTED_IDS ? '; …' : ''}.`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** What happened to runs whose end cannot be known, and what the queue did about it. */
export function interruptedSummary(jobs: readonly Job[], options: { requeued: (job: Job) => boolean; pausedBecause?: string }): string | undefined {
  if (jobs.length === 0) return undefined;
  const one = jobs.length === 1;
  const sentences = [one
    ? `${jobName(jobs[0]!)} was interrupted while VS Code was closed: its end cannot be known.`
    : `${jobs.length} jobs were interrupted while VS Code was closed (${idList(jobs)}): their end cannot be known.`];
  const requeued = jobs.filter(options.requeued);
  if (requeued.length === jobs.length) sentences.push(one ? 'It is back at the top of the queue.' : 'They are back at the top of the queue.');
  else if (requeued.length > 0) sentences.push(`${idList(requeued)} ${requeued.length === 1 ? 'is' : 'are'} back at the top of the queue; the others stay in the history (Retry runs them again).`);
  else sentences.push(one ? 'It stays in the history; Retry runs it again.' : 'They stay in the history; Retry runs them again.');
  if (options.pausedBecause !== undefined) sentences.push('The queue was paused so nothing re-runs behind your back: resume it when you are ready.');
  return sentences.join(' ');
}

/** The Jobs view's line while the queue stays paused for the reason opening gave. */
export function pausedMessage(pausedBecause: string): string {
  const why = pausedBecause.trim().replace(/\s+/g, ' ');
  const sentence = /paused/i.test(why) ? why : `The queue is paused: ${why}`;
  const withStop = /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  // The engine's reason may already say how to resume; say it only when it does not.
  return /resume/i.test(withStop) ? withStop : `${withStop} Resume Queue (in the view's title bar) starts jobs again.`;
}

export function followerMessage(role: Extract<QueueRole, { kind: 'follower' }>): string {
  return `This queue is run by another VS Code window (${describeOwner(role.owner)}). Jobs added here are passed to it; act on running jobs there.`;
}

/** The Jobs view's `message`: who runs the queue, and why it is paused; undefined when nothing to say. */
export function jobsViewMessage(state: { role: QueueRole; pausedBecause?: string }): string | undefined {
  const lines = [
    state.role.kind === 'follower' ? followerMessage(state.role) : '',
    state.pausedBecause !== undefined ? pausedMessage(state.pausedBecause) : '',
  ].filter(Boolean);
  return lines.length > 0 ? lines.join(' ') : undefined;
}
