// The job lifecycle rules as pure functions: what each status allows, and the job record each
// transition produces. No I/O, no clocks (time is passed in), so every rule is testable alone.
import { JobError } from './errors';
import { isFinished, jobTitle, type Job, type JobStatus } from './model';
import type { RunExit } from './runner/types';

export type JobAction = 'cancel' | 'cancelAndRequeue' | 'retry' | 'pause' | 'resume' | 'move' | 'remove';

const ALLOWED: Record<JobAction, readonly JobStatus[]> = {
  cancel: ['queued', 'running', 'paused'],
  cancelAndRequeue: ['running', 'paused'],
  retry: ['completed', 'failed', 'cancelled', 'interrupted'],
  pause: ['running'],
  resume: ['paused'],
  move: ['queued'],
  remove: ['queued'],
};

const VERB: Record<JobAction, string> = {
  cancel: 'cancel',
  cancelAndRequeue: 'cancel and return to the queue',
  retry: 'retry',
  pause: 'pause',
  resume: 'resume',
  move: 'move',
  remove: 'remove from the queue',
};

export function can(action: JobAction, status: JobStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** Throws a JobError that says why, when `action` is not allowed for the job's status. */
export function assertCan(action: JobAction, job: Job): void {
  if (can(action, job.status)) return;
  const allowed = ALLOWED[action].join(', ');
  throw new JobError(
    'invalidState',
    `Cannot ${VERB[action]} job #${job.id} (“${shorten(jobTitle(job))}”): it is ${job.status}. Only ${allowed} jobs can be ${pastTense(action)}.`,
    job.id,
  );
}

function pastTense(action: JobAction): string {
  return { cancel: 'cancelled', cancelAndRequeue: 'returned to the queue', retry: 'retried', pause: 'paused', resume: 'resumed', move: 'moved', remove: 'removed' }[action];
}

function shorten(text: string): string {
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
}

export function started(job: Job, now: number, logPath: string): Job {
  return {
    id: job.id,
    spec: job.spec,
    ...(job.retryOf ? { retryOf: job.retryOf } : {}),
    status: 'running',
    attempt: job.attempt + 1,
    createdAt: job.createdAt,
    startedAt: now,
    pausedMs: 0,
    logPath,
  };
}

export function paused(job: Job, now: number): Job {
  return { ...job, status: 'paused', pausedAt: now };
}

export function resumed(job: Job, now: number): Job {
  const { pausedAt, ...rest } = job;
  return { ...rest, status: 'running', pausedMs: (job.pausedMs ?? 0) + (pausedAt === undefined ? 0 : now - pausedAt) };
}

export type EndIntent = 'cancel' | 'cancelAndRequeue' | undefined;

/** The finished run: status from the exit and from whether the user asked it to end. */
export function finished(job: Job, exit: RunExit, intent: EndIntent): Job {
  const { run: _run, pending: _pending, ...rest } = job;
  let status: JobStatus;
  if (intent) status = 'cancelled';
  else if (exit.error !== undefined && exit.exitCode === undefined && exit.signal === undefined) status = exit.error.startsWith('Could not start') ? 'failed' : 'interrupted';
  else status = exit.exitCode === 0 && !exit.signal ? 'completed' : 'failed';
  const end = Math.max(exit.finishedAt, job.startedAt ?? exit.finishedAt);
  const pausedExtra = job.pausedAt !== undefined ? end - job.pausedAt : 0;
  const { pausedAt: _pausedAt, ...withoutPausedAt } = rest;
  return {
    ...withoutPausedAt,
    status,
    finishedAt: end,
    pausedMs: (job.pausedMs ?? 0) + pausedExtra,
    ...(exit.exitCode !== undefined ? { exitCode: exit.exitCode } : {}),
    ...(exit.signal !== undefined ? { signal: exit.signal } : intent && exit.exitCode === undefined ? { signal: 'SIGTERM' } : {}),
    ...(exit.error !== undefined ? { error: exit.error } : {}),
  };
}

/** A queued job that was never started, cancelled from the queue. */
export function cancelledWhileQueued(job: Job, now: number): Job {
  const { pending: _pending, ...rest } = job;
  return { ...rest, status: 'cancelled', finishedAt: now };
}

/** The same job (same id) back in the queue after a run ended early. */
export function requeued(job: Job): Job {
  return {
    id: job.id,
    spec: job.spec,
    ...(job.retryOf ? { retryOf: job.retryOf } : {}),
    status: 'queued',
    attempt: job.attempt,
    createdAt: job.createdAt,
  };
}

/** A run whose host died and whose fate cannot be known. */
export function interrupted(job: Job, now: number, reason: string): Job {
  return finished(job, { error: `Interrupted: ${reason}`, finishedAt: now }, undefined);
}

export function isRetryable(job: Job): boolean {
  return isFinished(job.status);
}
