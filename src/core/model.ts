// The single definition of every record the engine persists or hands out. Types are z.infer of
// these schemas; nothing else declares their shape.
import { z } from 'zod';

export const JOB_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const FINISHED_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];
export const ACTIVE_STATUSES: readonly JobStatus[] = ['running', 'paused'];

/** Where a job came from: a typed command line or a workspace task converted to one. */
export const JobSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command') }),
  z.object({ kind: z.literal('task'), name: z.string(), folder: z.string().optional() }),
  z.object({ kind: z.literal('api'), extensionId: z.string().optional() }),
]);
export type JobSource = z.infer<typeof JobSourceSchema>;

/** What the user asked to run. Immutable once enqueued. */
export const JobSpecSchema = z.object({
  command: z.string().trim().min(1, 'command must not be empty').max(100_000),
  cwd: z.string().min(1).optional(),
  env: z.record(z.string(), z.string()).optional(),
  label: z.string().trim().max(200).optional(),
  source: JobSourceSchema.optional(),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;
/** Input accepted by enqueue(): the spec plus an optional lineage link (set by retry). */
export type JobSpecInput = z.input<typeof JobSpecSchema>;

/**
 * Runner-specific data needed to find a running job again after the host restarts (a local pid and
 * its start time, a Slurm job id, ...). Opaque above the runner port.
 */
export const RunHandleSchema = z.record(z.string(), z.unknown());
export type RunHandle = z.infer<typeof RunHandleSchema>;

export const ProgressSchema = z.object({
  /** 0..100, or undefined when the output has not said. */
  percent: z.number().min(0).max(100).optional(),
  /** Milliseconds left, from the progress rate or the median of earlier runs. */
  etaMs: z.number().nonnegative().optional(),
  etaSource: z.enum(['rate', 'history']).optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const JobSchema = z.object({
  id: z.string().min(1),
  spec: JobSpecSchema,
  /** Id of the job this one retries (a retry is a new job). */
  retryOf: z.string().optional(),
  status: JobStatusSchema,
  /** How many times this job has been started (cancel + return and interrupted re-queue keep the id). */
  attempt: z.number().int().nonnegative(),
  createdAt: z.number(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  /** Milliseconds spent paused in the current/last run, so elapsed and ETA exclude them. */
  pausedMs: z.number().nonnegative().optional(),
  pausedAt: z.number().optional(),
  exitCode: z.number().int().optional(),
  signal: z.string().optional(),
  error: z.string().optional(),
  /** Send Job was pressed while every slot was busy: start as soon as a slot frees. */
  pending: z.boolean().optional(),
  /** Set while running: how the runner finds the process again. */
  run: RunHandleSchema.optional(),
  /** Absolute path of this run's output log. */
  logPath: z.string().optional(),
});
export type Job = z.infer<typeof JobSchema>;

export const QUEUE_SNAPSHOT_VERSION = 1;
export const QueueSnapshotSchema = z.object({
  version: z.literal(QUEUE_SNAPSHOT_VERSION),
  /** Sequence number of the last history event this snapshot includes. */
  seq: z.number().int().nonnegative(),
  nextId: z.number().int().positive(),
  autoRun: z.boolean(),
  paused: z.boolean(),
  queued: z.array(JobSchema),
  running: z.array(JobSchema),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshotSchema>;

export const HISTORY_EVENT_VERSION = 1;
export const HISTORY_EVENT_TYPES = [
  'enqueued', 'started', 'paused', 'resumed', 'finished', 'returned', 'removed', 'adopted', 'historyCleared',
] as const;
/** One line of the append-only history log: a transition and the job as it was right after it. */
export const HistoryEventSchema = z.object({
  v: z.literal(HISTORY_EVENT_VERSION),
  seq: z.number().int().positive(),
  at: z.number(),
  type: z.enum(HISTORY_EVENT_TYPES),
  job: JobSchema.optional(),
});
export type HistoryEvent = z.infer<typeof HistoryEventSchema>;
export type HistoryEventType = HistoryEvent['type'];

/** What to do with a job whose fate is unknown after the host died (no process, no exit record). */
export const InterruptedPolicySchema = z.enum(['requeueAndPause', 'requeue', 'keepInHistory']);
export type InterruptedPolicy = z.infer<typeof InterruptedPolicySchema>;

export function isFinished(status: JobStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export function isActive(status: JobStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** Short human name for a job: its label, else its command line. */
export function jobTitle(job: Pick<Job, 'spec'>): string {
  return job.spec.label || job.spec.command;
}
