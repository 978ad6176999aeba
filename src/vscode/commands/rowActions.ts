// What a command does to a row, and which rows the palette offers — without VS Code, so the unit
// tests walk the very path the commands take. The row's own rule is checked first (a history row
// is one finished run, never the job it belongs to now), then the engine checks the job as it is.
import { JobError, isFinished, jobTitle, type AfterInput, type Job, type JobService, type RetryChanges, type SendResult } from '../../core';
import { assertCan, rowOf, type JobAction, type JobRow } from '../../core/lifecycle';
import type { ArgumentOrigin } from './gesture';
import { rowAllows, waitActionAllowed, type RowAction, type RowOptions, type WaitAction } from '../tree/capabilities';
import type { RunRef } from './runRef';
import { followsAnotherWindow, forwardRowAction, forwardWaitAction } from './forwardToOwner';

export interface RowActionArgs {
  /** retry: what to change in the spec of the new job, and how it waits (lane, hold, dependencies, start time). */
  changes?: RetryChanges;
  /** move: the 0-based place in the queue. */
  toIndex?: number;
}

/** Performs `action` on the row; throws the engine's JobError (a plain message) when it is refused. */
export function performRowAction(service: JobService, action: JobAction, row: JobRow, args: RowActionArgs = {}): Job | number | undefined | Promise<Job | number | undefined> {
  assertCan(action, row);
  const { id } = row.job;
  // A follower asks the owner. A retry with changes is not a request the owner takes (it stays refused here).
  if (followsAnotherWindow(service) && !(action === 'retry' && args.changes && Object.keys(args.changes).length > 0)) return forwardRowAction(service, action, row, args.toIndex ?? 0);
  switch (action) {
    case 'cancel':
      return service.cancelJob(id);
    case 'cancelAndRequeue':
      return service.cancelAndRequeue(id);
    case 'pause':
      return service.pauseJob(id);
    case 'resume':
      return service.resumeJob(id);
    case 'retry':
      // A NEW job from THAT run's spec, linked to it; the engine finds the run by id, attempt and end.
      return service.retryJob(id, args.changes ?? {}, { attempt: row.job.attempt, ...(row.job.finishedAt !== undefined ? { finishedAt: row.job.finishedAt } : {}) });
    case 'move':
      service.moveJob(id, args.toIndex ?? 0);
      return service.getQueuePosition(id);
    case 'remove':
      service.removeJob(id);
      return undefined;
  }
}

const WAIT_VERB: Record<WaitAction, { verb: string; allowed: string }> = {
  hold: { verb: 'hold', allowed: 'Only a queued job that is not held can be held.' },
  release: { verb: 'release', allowed: 'Only a held job in the queue can be released.' },
  runAfter: { verb: 'set what runs before', allowed: 'Only a queued job can wait for other jobs.' },
  send: { verb: 'send', allowed: 'Only a queued job that is not already next can be sent.' },
  startTime: { verb: 'give a start time to', allowed: 'Only a queued job can be given a start time.' },
  clearStartTime: { verb: 'clear the start time of', allowed: 'Only a queued job with a start time ahead has one to clear.' },
};

/** Throws a JobError that says why, when the wait action does not apply to the row (the row's rule, as for the engine's actions). */
export function assertWaitAction(action: WaitAction, row: JobRow): void {
  if (waitActionAllowed(action, row)) return;
  const { job } = row;
  const which = row.kind === 'finished' && job.attempt > 1 ? `run ${job.attempt} of ` : '';
  const title = jobTitle(job).length > 60 ? `${jobTitle(job).slice(0, 59)}…` : jobTitle(job);
  const state = job.status === 'queued' && job.hold ? 'held' : job.status === 'queued' && job.pending ? 'already next' : job.status;
  throw new JobError('invalidState', `Cannot ${WAIT_VERB[action].verb} ${which}job #${job.id} (“${title}”): it is ${state}. ${WAIT_VERB[action].allowed}`, job.id);
}

export interface WaitActionArgs {
  /** Who asks: a command's argument from elsewhere (`external`) may not release or send a job held for approval. */
  by: ArgumentOrigin;
  /** runAfter: the jobs to wait for and the condition (none, or null: clears them). */
  after?: AfterInput;
  /** startTime: not before this (epoch ms); undefined clears it. */
  notBefore?: number;
}

/**
 * Performs a wait action on the row: the row's rule first, then the engine (hold, release,
 * setDependencies, sendJob(id) — which releases a held job and sends it). Throws the engine's
 * JobError when refused; Send Job's own refusal comes back as its result.
 */
export function performWaitAction(service: JobService, action: WaitAction, row: JobRow, args: WaitActionArgs): Job | SendResult | Promise<Job | SendResult> {
  assertWaitAction(action, row);
  const { id } = row.job;
  if (followsAnotherWindow(service)) return forwardWaitAction(service, action, row, args);
  switch (action) {
    case 'hold':
      return service.hold(id);
    case 'release':
      return service.release(id, args.by);
    case 'runAfter':
      return service.setDependencies(id, args.after ?? null);
    case 'send':
      return service.sendJob(id, args.by);
    case 'startTime':
      return service.setStartTime(id, args.notBefore);
    case 'clearStartTime':
      return service.setStartTime(id, undefined);
  }
}

/** The row a reference names: a job id is the job as it is now; a run reference is that run. */
export function findRow(service: JobService, ref: string | RunRef): JobRow | undefined {
  if (typeof ref === 'string') {
    const job = service.getJob(ref);
    return job ? rowOf(job) : undefined;
  }
  const running = service.getSnapshot().running.find((j) => j.id === ref.id && j.attempt === ref.attempt);
  if (running && ref.finishedAt === undefined) return { kind: 'running', job: running };
  const run = service.getHistory().find((j) => j.id === ref.id && j.attempt === ref.attempt && (ref.finishedAt === undefined || j.finishedAt === ref.finishedAt));
  return run ? { kind: 'finished', job: run } : undefined;
}

/** Reads a command argument as a reference: a job id, or a finished run (an object with id, attempt and end). */
export function asReference(value: unknown): string | RunRef | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string') return undefined;
  const { id, attempt, finishedAt } = value as { id: string; attempt?: unknown; finishedAt?: unknown };
  return typeof attempt === 'number' && typeof finishedAt === 'number' ? { id, attempt, finishedAt } : id;
}

/** How many finished runs the palette offers (newest first). */
export const PALETTE_HISTORY = 200;

/** The rows the palette offers for an action: those it allows, running jobs first, then the queue, then recent runs. */
export function paletteRows(service: JobService, action: RowAction, options: RowOptions): JobRow[] {
  const snapshot = service.getSnapshot();
  const rows: JobRow[] = [
    ...snapshot.running.map((job): JobRow => ({ kind: 'running', job })),
    ...snapshot.queued.map((job): JobRow => ({ kind: 'queued', job })),
    ...service.getHistoryPage(0, PALETTE_HISTORY).map((job): JobRow => ({ kind: 'finished', job })),
  ];
  return rows.filter((row) => rowAllows(row, action, options));
}

/** Said next to an earlier run of a job that is queued or running again, so it is not taken for the job. */
export function laterState(service: JobService, row: JobRow): string | undefined {
  if (row.kind !== 'finished') return undefined;
  const now = service.getJob(row.job.id);
  return now && !isFinished(now.status) ? now.status : undefined;
}
