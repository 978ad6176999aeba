// Which webview messages the card's host acts on. The webview is an untrusted boundary: a message
// passes zod (shape) and then this (meaning): it may only name a run the card last rendered, and
// that run must still be in a state that allows the action. Anything else is dropped, so the card
// can never act on a job the user did not see on it (a queued job, another run of the same job).
// No `vscode` import: unit-tested in plain Node.
import { can, type Job } from '../../core';
import type { CardState, WebviewMessage } from '../../shared/runningJobProtocol';

export type CardJobMessage = Extract<WebviewMessage, { jobId: string }>;

/** The runs the card last rendered: job id → run attempt. */
export type ShownRuns = ReadonlyMap<string, number>;

export type CardDecision = { accept: true } | { accept: false; reason: string };

const LIFECYCLE_ACTION = {
  pauseJob: 'pause',
  resumeJob: 'resume',
  cancelJob: 'cancel',
  cancelAndRequeue: 'cancelAndRequeue',
} as const;

export function isJobMessage(message: WebviewMessage): message is CardJobMessage {
  return 'jobId' in message;
}

/** The runs a rendered state shows (the card shows only running and paused jobs). */
export function shownRuns(state: CardState, jobs: (id: string) => Job | undefined): Map<string, number> {
  const shown = new Map<string, number>();
  for (const cardJob of state.jobs) {
    const job = jobs(cardJob.id);
    if (job) shown.set(job.id, job.attempt);
  }
  return shown;
}

/**
 * Whether the host may act on `message`. `current` is the job as the engine knows it now. The reason
 * is for the log and never contains the raw id (the caller logs that, escaped).
 */
export function decideCardMessage(message: CardJobMessage, shown: ShownRuns, current: Job | undefined): CardDecision {
  const attempt = shown.get(message.jobId);
  if (attempt === undefined) return { accept: false, reason: 'names a job the card does not show' };
  if (!current) return { accept: false, reason: 'names a job that no longer exists' };
  if (current.attempt !== attempt) return { accept: false, reason: `names run ${attempt}, but the job is on run ${current.attempt} now` };
  // The log of the run the user saw can always be opened.
  if (message.type === 'showLog') return { accept: true };
  // The card shows running jobs only: a job that went back to the queue meanwhile is not its to cancel.
  if (current.status !== 'running' && current.status !== 'paused') return { accept: false, reason: `the job is ${current.status} now, not on the card` };
  if (!can(LIFECYCLE_ACTION[message.type], current.status)) return { accept: false, reason: `the job is ${current.status} now` };
  return { accept: true };
}

/** A raw value from the webview, made safe for one log line: quoted, escaped, bounded. */
export function describeUntrusted(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  // JSON escapes control characters; escape everything else outside printable ASCII too (bidi
  // overrides, line separators), so the line reads as what was sent.
  const escaped = text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…(${escaped.length} chars)` : escaped;
}
