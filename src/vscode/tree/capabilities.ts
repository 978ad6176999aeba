// The one place that says what a row allows — for the tree's `contextValue` tokens (menus and inline
// actions match `viewItem =~ /\bretryable\b/`), for the palette's quick picks and for the commands'
// own check — derived from the engine's rule (`can`, per row: a queued job, a running run, or one
// finished run in the history), never restated. No vscode import: unit tests read it directly.
import type { Job } from '../../core';
import { can, rowOf, type JobAction, type JobRow } from '../../core/lifecycle';

export type { JobRow } from '../../core/lifecycle';

/**
 * How a queued job waits (the engine's `hold`, `release`, `setDependencies`, `sendJob(id)`, `setStartTime`): the
 * engine checks them with its own `requireQueued` rule (only a queued job; release only a held one,
 * hold only one that is not); `waitActionAllowed` states that same rule for rows.
 */
export type WaitAction = 'hold' | 'release' | 'runAfter' | 'send' | 'startTime' | 'clearStartTime';
export const WAIT_ACTIONS: readonly WaitAction[] = ['hold', 'release', 'runAfter', 'send', 'startTime', 'clearStartTime'];

/** What a row may be asked to do: the engine's actions, how a queued job waits, and the two views of a run. */
export type RowAction = JobAction | WaitAction | 'showLog' | 'showRunningJob' | 'showInSlurm';

export type JobCapability =
  | 'cancellable' | 'pausable' | 'resumable' | 'requeueable' | 'retryable' | 'movable' | 'removable'
  | 'holdable' | 'releasable' | 'schedulable' | 'sendable' | 'timeable' | 'timed'
  | 'haslog' | 'active' | 'finished' | 'onslurm';

export interface RowOptions {
  /** Whether this platform can pause a job (not on Windows): pause and resume are hidden otherwise. */
  canPauseJobs: boolean;
}

/** The token a row carries when it allows the action. */
export const ACTION_TOKEN: Record<RowAction, JobCapability> = {
  cancel: 'cancellable',
  pause: 'pausable',
  resume: 'resumable',
  cancelAndRequeue: 'requeueable',
  retry: 'retryable',
  move: 'movable',
  remove: 'removable',
  hold: 'holdable',
  release: 'releasable',
  runAfter: 'schedulable',
  send: 'sendable',
  startTime: 'timeable',
  clearStartTime: 'timed',
  showLog: 'haslog',
  showRunningJob: 'active',
  showInSlurm: 'onslurm',
};

/** Which action each command that acts on rows performs (menus, palette and the command agree on it). */
export const ROW_COMMANDS: Readonly<Record<string, RowAction>> = {
  'jobQueue.cancelJob': 'cancel',
  'jobQueue.cancelAndRequeue': 'cancelAndRequeue',
  'jobQueue.pauseJob': 'pause',
  'jobQueue.resumeJob': 'resume',
  'jobQueue.retryJob': 'retry',
  'jobQueue.retryWithChanges': 'retry',
  'jobQueue.moveUp': 'move',
  'jobQueue.moveDown': 'move',
  'jobQueue.moveToTop': 'move',
  'jobQueue.removeJob': 'remove',
  'jobQueue.holdJob': 'hold',
  'jobQueue.releaseJob': 'release',
  'jobQueue.runAfter': 'runAfter',
  'jobQueue.sendJob': 'send',
  'jobQueue.setStartTime': 'startTime',
  'jobQueue.clearStartTime': 'clearStartTime',
  'jobQueue.showLog': 'showLog',
  'jobQueue.showLogAsText': 'showLog',
  'jobQueue.showRunningJob': 'showRunningJob',
  'jobQueue.showInSlurm': 'showInSlurm',
};

export function isJobAction(action: RowAction): action is JobAction {
  return action !== 'showLog' && action !== 'showRunningJob' && action !== 'showInSlurm' && !isWaitAction(action);
}

export function isWaitAction(action: RowAction): action is WaitAction {
  return (WAIT_ACTIONS as readonly string[]).includes(action);
}

/**
 * The engine's rule for how a queued job waits, per row: only a queued job (never a run in the
 * history, whatever the job is now); hold one that is not held, release one that is (by the user or
 * for approval: releasing is the user's approval); send one that is not already next; give any a
 * start time, and clear one that has a start time.
 */
export function waitActionAllowed(action: WaitAction, row: JobRow): boolean {
  if (row.kind !== 'queued' || row.job.status !== 'queued') return false;
  switch (action) {
    case 'hold': return row.job.hold === undefined;
    case 'release': return row.job.hold !== undefined;
    case 'runAfter': return true;
    case 'send': return row.job.pending !== true;
    case 'startTime': return true;
    // Only a start time still ahead: one that has come is no longer a wait (the engine drops it then too).
    case 'clearStartTime': return row.job.notBefore !== undefined;
  }
}

/** Whether the UI offers `action` on the row: the engine's rule, and what this platform can do. */
export function rowAllows(row: JobRow, action: RowAction, options: RowOptions): boolean {
  switch (action) {
    case 'showLog':
      return row.job.logPath !== undefined;
    case 'showRunningJob':
      return row.kind === 'running';
    case 'showInSlurm':
      return row.kind === 'running' && row.job.spec.runOn?.kind === 'slurm';
    case 'pause':
    case 'resume':
      return options.canPauseJobs && can(action, row);
    case 'hold':
    case 'release':
    case 'runAfter':
    case 'send':
    case 'startTime':
    case 'clearStartTime':
      return waitActionAllowed(action, row);
    default:
      return can(action, row);
  }
}

const ORDER: readonly RowAction[] = ['cancel', 'pause', 'resume', 'cancelAndRequeue', 'retry', 'move', 'remove', 'hold', 'release', 'runAfter', 'send', 'startTime', 'clearStartTime', 'showLog', 'showRunningJob', 'showInSlurm'];

export function rowCapabilities(row: JobRow, options: RowOptions): JobCapability[] {
  const caps = ORDER.filter((action) => rowAllows(row, action, options)).map((action) => ACTION_TOKEN[action]);
  if (row.kind === 'finished') caps.push('finished');
  return caps;
}

/** `job <status> <capabilities…>`, e.g. `job running cancellable pausable requeueable haslog active`. */
export function rowContextValue(row: JobRow, options: RowOptions): string {
  return ['job', row.job.status, ...rowCapabilities(row, options)].join(' ');
}

export function jobContextValue(job: Job, options: RowOptions): string {
  return rowContextValue(rowOf(job), options);
}

/** A row's identity across refreshes: a job in the queue or running, or one run (id, attempt, end). */
export function rowKey(row: JobRow): string {
  return row.kind === 'finished' ? `history:${row.job.id}#${row.job.attempt}#${row.job.finishedAt ?? 0}` : `${row.kind}:${row.job.id}`;
}
