// The job lifecycle rules as pure functions: what each status allows, and the job record each
// transition produces. No I/O, no clocks (time is passed in), so every rule is testable alone.
import { JobError } from './errors';
import { isFinished, jobTitle, type Job, type JobStatus } from './model';
import type { RunExit } from './runner/types';

export type JobAction = 'cancel' | 'cancelAndRequeue' | 'retry' | 'pause' | 'resume' | 'move' | 'remove';
export const JOB_ACTIONS: readonly JobAction[] = ['cancel', 'cancelAndRequeue', 'retry', 'pause', 'resume', 'move', 'remove'];

/**
 * What an action is addressed to: one row of the Jobs view (and one item of a palette quick pick).
 * - `queued`: a job waiting in the queue;
 * - `running`: a job's current run (running or paused);
 * - `finished`: ONE finished run in the history, named by its id, attempt and end. The job it belongs
 *   to may be queued or running again (Cancel and Return to Queue, an interrupted job re-queued): the
 *   row still stands for that run, never for the job as it is now. Retrying it queues a NEW job from
 *   that run's spec, linked to it by `retryOf`.
 */
export type RowKind = 'queued' | 'running' | 'finished';
export interface JobRow {
  readonly kind: RowKind;
  /** The job (queued), its current run (running), or the finished run the row shows. */
  readonly job: Job;
}

/** The row a record sits in: its status says which (a finished status is a run in the history). */
export function rowKindOf(status: JobStatus): RowKind {
  return status === 'queued' ? 'queued' : isFinished(status) ? 'finished' : 'running';
}

export function rowOf(job: Job): JobRow {
  return { kind: rowKindOf(job.status), job };
}

/** The one rule: for each action, the rows (and their statuses) it applies to. */
const ALLOWED: Record<JobAction, Partial<Record<RowKind, readonly JobStatus[]>>> = {
  cancel: { queued: ['queued'], running: ['running', 'paused'] },
  cancelAndRequeue: { running: ['running', 'paused'] },
  retry: { finished: ['completed', 'failed', 'cancelled', 'interrupted'] },
  pause: { running: ['running'] },
  resume: { running: ['paused'] },
  move: { queued: ['queued'] },
  remove: { queued: ['queued'] },
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

const PAST: Record<JobAction, string> = {
  cancel: 'cancelled',
  cancelAndRequeue: 'returned to the queue',
  retry: 'retried',
  pause: 'paused',
  resume: 'resumed',
  move: 'moved',
  remove: 'removed',
};

/** Whether `action` applies to the row (a status stands for the row its record sits in). */
export function can(action: JobAction, row: JobRow | JobStatus): boolean {
  const { kind, status } = typeof row === 'string' ? { kind: rowKindOf(row), status: row } : { kind: row.kind, status: row.job.status };
  return ALLOWED[action][kind]?.includes(status) ?? false;
}

/** Throws a JobError that says why, when `action` does not apply to the row (a job record: its own row). */
export function assertCan(action: JobAction, target: JobRow | Job): void {
  const row = 'kind' in target ? target : rowOf(target);
  if (can(action, row)) return;
  const { job } = row;
  const allowed = Object.values(ALLOWED[action]).flat().join(', ');
  // A finished row is one run: say which, so "it is cancelled" is not read as the job's state now.
  const which = row.kind === 'finished' && job.attempt > 1 ? `run ${job.attempt} of ` : '';
  const hint = action === 'retry' && row.kind !== 'finished' ? ' Retry acts on a finished run in the History.' : '';
  throw new JobError(
    'invalidState',
    `Cannot ${VERB[action]} ${which}job #${job.id} (“${shorten(jobTitle(job))}”): it is ${job.status}. Only ${allowed} jobs can be ${PAST[action]}.${hint}`,
    job.id,
  );
}

function shorten(text: string): string {
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
}

/** What a job keeps across its runs besides its spec: its lineage, its lane, what it waits for. */
function kept(job: Job): Pick<Job, 'retryOf' | 'lane' | 'after'> {
  return {
    ...(job.retryOf ? { retryOf: job.retryOf } : {}),
    ...(job.lane ? { lane: job.lane } : {}),
    ...(job.after ? { after: job.after } : {}),
  };
}

/** The run begins: hold, start time and pending were about the wait, and end with it. */
export function started(job: Job, now: number, logPath: string): Job {
  return {
    id: job.id,
    spec: job.spec,
    ...kept(job),
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

/**
 * Why a run was asked to end: the user cancelled it (and maybe returned it to the queue), or a job
 * it waits for failed while it was already submitted (a Slurm job waiting with --dependency).
 */
export type EndIntent = 'cancel' | 'cancelAndRequeue' | { kind: 'dependencyFailed'; reason: string } | undefined;

/** The finished run: status from the exit and from whether it was asked to end, and why. */
export function finished(job: Job, exit: RunExit, intent: EndIntent): Job {
  const { run: _run, pending: _pending, pausedAt: _pausedAt, ...rest } = job;
  const end = Math.max(exit.finishedAt, job.startedAt ?? exit.finishedAt);
  const pausedExtra = job.pausedAt !== undefined ? end - job.pausedAt : 0;
  const times = { finishedAt: end, pausedMs: (job.pausedMs ?? 0) + pausedExtra, ...(exit.usage ? { usage: exit.usage } : {}) };
  // Ended because a job it needed failed: failed, saying which (its own end is only how it stopped).
  if (typeof intent === 'object') return { ...rest, status: 'failed', ...times, error: intent.reason };
  const status: JobStatus = intent ? 'cancelled' : STATUS_OF_END[exit.kind === 'exited' && exit.exitCode !== 0 ? 'exitedWithError' : exit.kind];
  return { ...rest, status, ...times, ...endFields(exit, intent !== undefined) };
}

const STATUS_OF_END: Record<RunExit['kind'] | 'exitedWithError', JobStatus> = {
  exited: 'completed',
  exitedWithError: 'failed',
  signalled: 'failed',
  failedToStart: 'failed',
  unknown: 'interrupted',
};

/** The fields a finished record keeps of its end (a cancelled run with no code of its own: SIGTERM). */
function endFields(exit: RunExit, cancelled: boolean): Pick<Job, 'exitCode' | 'signal' | 'error'> {
  switch (exit.kind) {
    case 'exited': return { exitCode: exit.exitCode };
    case 'signalled': return { ...(exit.exitCode !== undefined ? { exitCode: exit.exitCode } : {}), signal: exit.signal };
    case 'failedToStart':
    case 'unknown': return { ...(cancelled ? { signal: 'SIGTERM' } : {}), error: exit.reason };
  }
}

/** A queued job that was never started, cancelled from the queue. */
export function cancelledWhileQueued(job: Job, now: number): Job {
  const { pending: _pending, hold: _hold, notBefore: _notBefore, ...rest } = job;
  return { ...rest, status: 'cancelled', finishedAt: now };
}

/** A queued job that can never run: a job it needs to succeed did not. It leaves the queue as failed. */
export function dependencyFailed(job: Job, now: number, reason: string): Job {
  const { pending: _pending, hold: _hold, notBefore: _notBefore, ...rest } = job;
  return { ...rest, status: 'failed', finishedAt: now, error: reason };
}

/** The same job (same id) back in the queue after a run ended early. */
export function requeued(job: Job): Job {
  return {
    id: job.id,
    spec: job.spec,
    ...kept(job),
    status: 'queued',
    attempt: job.attempt,
    createdAt: job.createdAt,
  };
}

/** A run whose host died and whose fate cannot be known. */
export function interrupted(job: Job, now: number, reason: string): Job {
  return finished(job, { kind: 'unknown', reason: `Interrupted: ${reason}`, finishedAt: now }, undefined);
}
