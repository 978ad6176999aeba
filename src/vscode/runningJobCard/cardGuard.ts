// Which webview requests the card's host acts on. The webview is an untrusted boundary: a message
// passes zod (shape) and then this (meaning): it may only name a run the card last rendered, and
// that run must still be in a state that allows the action. Anything else is refused, so the card
// can never act on a job the user did not see on it (a queued job, another run of the same job).
// A refusal has a reason for the log and a plain message for the card; neither contains the id the
// webview sent. No `vscode` import: unit-tested in plain Node.
import { can, isFinished, type Job } from '../../core';
import type { CardActionRequest, CardJobAction, CardState } from '../../shared/runningJobProtocol';

/** A job action as the guard sees it: which action, on which job, and (when known) which run. */
export interface CardJobMessage {
  type: CardJobAction;
  jobId: string;
  /** The run the user saw; a request from the webview always carries it. */
  attempt?: number;
}

/** The runs the card last rendered: job id → run attempt. */
export type ShownRuns = ReadonlyMap<string, number>;

export type CardDecision = { accept: true } | { accept: false; reason: string; message: string };

/** The engine's action for each job button of the card (the guard checks it; the card performs it). */
export const LIFECYCLE_ACTION = {
  pauseJob: 'pause',
  resumeJob: 'resume',
  cancelJob: 'cancel',
  cancelAndRequeue: 'cancelAndRequeue',
} as const;

const VERB: Record<CardJobAction, string> = {
  pauseJob: 'paused',
  resumeJob: 'resumed',
  cancelJob: 'cancelled',
  cancelAndRequeue: 'returned to the queue',
  showLog: 'shown',
  retryJob: 'retried',
};

/** A webview request, as the guard sees it. */
export function guardInput(request: CardActionRequest): CardJobMessage {
  return { type: request.action, jobId: request.jobId, attempt: request.attempt };
}

/** The runs a rendered state shows: running and paused jobs, or the last result. */
export function shownRuns(state: CardState, jobs: (id: string) => Job | undefined): Map<string, number> {
  const shown = new Map<string, number>();
  for (const cardJob of [...state.jobs, ...(state.result ? [state.result] : [])]) {
    const job = jobs(cardJob.id);
    if (job) shown.set(job.id, job.attempt);
  }
  return shown;
}

/**
 * Whether the host may act on `message`. `current` is the job as the engine knows it now. The reason
 * is for the log, the message for the card; neither contains the raw id (the caller logs that,
 * escaped), and the card shows the message next to the job the user pressed the button on.
 */
export function decideCardMessage(message: CardJobMessage, shown: ShownRuns, current: Job | undefined): CardDecision {
  const refuse = (reason: string, userMessage: string): CardDecision => ({ accept: false, reason, message: userMessage });
  const attempt = shown.get(message.jobId);
  if (attempt === undefined) return refuse('names a job the card does not show', 'This job is no longer on the card.');
  if (message.attempt !== undefined && message.attempt !== attempt) {
    return refuse(`names run ${message.attempt}, but the card shows run ${attempt}`, 'The card has changed since: this run is no longer on it.');
  }
  if (!current) return refuse('names a job that no longer exists', 'This job no longer exists.');
  if (current.attempt !== attempt) return refuse(`names run ${attempt}, but the job is on run ${current.attempt} now`, 'This run has ended; the job has started again since.');
  // The log of the run the user saw can always be opened.
  if (message.type === 'showLog') return { accept: true };
  // Retry is the last result's button: a run that has ended.
  if (message.type === 'retryJob') {
    return isFinished(current.status) ? { accept: true } : refuse(`the job is ${current.status}, not ended`, `This job is ${current.status}, so it cannot be retried.`);
  }
  // Otherwise the card acts on running jobs only: a job that went back to the queue meanwhile is not its to cancel.
  if (current.status !== 'running' && current.status !== 'paused') {
    return refuse(`the job is ${current.status} now, not on the card`, current.status === 'queued' ? 'This job is back in the queue now.' : `This job has ended: it is ${current.status}.`);
  }
  if (!can(LIFECYCLE_ACTION[message.type], current.status)) {
    const already = (message.type === 'pauseJob' && current.status === 'paused') || (message.type === 'resumeJob' && current.status === 'running');
    return refuse(`the job is ${current.status} now`, already ? `This job is already ${current.status}.` : `This job is ${current.status} now, so it cannot be ${VERB[message.type]}.`);
  }
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
