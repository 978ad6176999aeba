// `jobq status --json`: the queue as one JSON object, a documented and versioned shape (README, "From
// the terminal") that scripts may rely on: fields are only added within a version, never renamed or
// removed. Its schema is here so a test can hold the output to it.
import * as z from 'zod/mini';
import { JobStatusSchema, jobTitle, type Job } from '../core/model';
import type { OwnerStatus, QueueView } from './queueFolder';

export const STATUS_JSON_VERSION = 1;
/** The finished runs listed, newest first (the history may hold many thousands). */
export const FINISHED_LISTED = 100;

export const StatusJobSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  /** The label, else the command. */
  title: z.string(),
  command: z.string(),
  /** Set when finished with an exit code. */
  exitCode: z.optional(z.int()),
  /** Queued only: held by you (`user`), or waiting for your approval in VS Code (`approval`). */
  held: z.optional(z.enum(['user', 'approval'])),
  /** Queued only: the jobs it waits for, and whether they must complete (`success`) or just end (`any`). */
  after: z.optional(z.object({ ids: z.array(z.string()), condition: z.enum(['success', 'any']) })),
  /** Queued only: not started before this time (ISO 8601). */
  startAt: z.optional(z.string()),
  lane: z.optional(z.string()),
  /** The job this one retries. */
  retryOf: z.optional(z.string()),
  /** ISO 8601. */
  startedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
});

export const StatusJsonSchema = z.object({
  v: z.literal(STATUS_JSON_VERSION),
  queue: z.object({
    paused: z.boolean(),
    autoRun: z.boolean(),
    /** Whether a VS Code window runs the queue now (`none`: requests wait until one does). */
    owner: z.enum(['running', 'none', 'openFailed']),
  }),
  running: z.array(StatusJobSchema),
  /** In queue order. */
  queued: z.array(StatusJobSchema),
  /** Newest first, at most FINISHED_LISTED. */
  finished: z.array(StatusJobSchema),
});
export type StatusJson = z.infer<typeof StatusJsonSchema>;

export function statusJson(view: QueueView, owner: OwnerStatus): StatusJson {
  return StatusJsonSchema.parse({
    v: STATUS_JSON_VERSION,
    queue: { paused: view.paused, autoRun: view.autoRun, owner: owner.kind },
    running: view.running.map(jobJson),
    queued: view.queued.map(jobJson),
    finished: view.finished.slice(-FINISHED_LISTED).reverse().map(jobJson),
  });
}

function jobJson(job: Job): z.infer<typeof StatusJobSchema> {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    id: job.id,
    status: job.status,
    title: jobTitle(job),
    command: job.spec.command,
    ...(job.exitCode !== undefined ? { exitCode: job.exitCode } : {}),
    ...(job.status === 'queued' && job.hold ? { held: job.hold.by } : {}),
    ...(job.status === 'queued' && job.after ? { after: job.after } : {}),
    ...(job.status === 'queued' && job.notBefore !== undefined ? { startAt: iso(job.notBefore) } : {}),
    ...(job.lane ? { lane: job.lane } : {}),
    ...(job.retryOf ? { retryOf: job.retryOf } : {}),
    ...(job.startedAt !== undefined ? { startedAt: iso(job.startedAt) } : {}),
    ...(job.finishedAt !== undefined ? { finishedAt: iso(job.finishedAt) } : {}),
  };
}
