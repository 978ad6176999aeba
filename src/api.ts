// The API other extensions get from `vscode.extensions.getExtension('job-queue.job-queue').exports`.
// Every input is validated (zod) and refused with a JobError whose message says what is wrong.
import * as z from 'zod/mini';
import {
  DependencyConditionSchema, JobIdSchema, JobSpecSchema, LaneNameSchema,
  type Job, type JobServiceEvent, type QueueRole, type QueueView, type SubmitResult, type WaitReason,
} from './core';

/** What a job waits for: the jobs (ids like "12"), and whether they must complete (`success`, the default) or only end (`any`). */
export const ApiAfterSchema = z.strictObject({
  ids: z.array(JobIdSchema).check(z.minLength(1, 'name at least one job to wait for'), z.maxLength(1000)),
  condition: z.optional(DependencyConditionSchema),
});
export type ApiAfter = z.infer<typeof ApiAfterSchema>;

/** How a job waits: after other jobs, held, not before a time (epoch ms), in a lane (`jobQueue.lanes`). */
const ApiScheduleShape = {
  after: z.optional(ApiAfterSchema),
  hold: z.optional(z.boolean()),
  notBefore: z.optional(z.number().check(z.refine(Number.isFinite, 'must be a finite number of epoch milliseconds'))),
  lane: z.optional(LaneNameSchema),
};

/** What another extension may ask to run: a command line, where, with what environment, called what, and how it waits. */
export const ApiJobRequestSchema = z.strictObject({
  ...z.pick(JobSpecSchema, { command: true, cwd: true, env: true, label: true }).shape,
  ...ApiScheduleShape,
});
export type ApiJobRequest = z.infer<typeof ApiJobRequestSchema>;

/** A retry's changes: any of the request's fields (the rest come from the run retried; its lane too). */
export const ApiRetryChangesSchema = z.strictObject({
  command: z.optional(JobSpecSchema.shape.command),
  cwd: JobSpecSchema.shape.cwd,
  env: JobSpecSchema.shape.env,
  label: JobSpecSchema.shape.label,
  ...ApiScheduleShape,
});
export type ApiRetryChanges = z.infer<typeof ApiRetryChangesSchema>;

/**
 * Jobs added or retried through the API follow the setting `jobQueue.externalJobs`: with
 * `holdForApproval` (the default) they land held, marked with where they came from (the calling
 * extension when it can be told, else `api`), and run only once the user releases them. The API
 * cannot release a job held for approval.
 */
export interface JobQueueApi {
  readonly version: 1;
  /**
   * Validates the request (throws with a message when it is not valid) and adds the job: queued here
   * (`{ kind: 'queued', job }`) when this window runs the queue, else passed to the window that does
   * (`{ kind: 'forwarded', requestId, message }`, and the user is told).
   */
  submit(request: ApiJobRequest): SubmitResult;
  /**
   * `submit`, returning the job when it was queued here; undefined when it was passed to the window
   * that runs the queue (the job is queued there).
   */
  enqueue(request: ApiJobRequest): Job | undefined;
  /** Queued: leaves the queue (cancelled); running: its process tree is ended. Resolves with the finished run. */
  cancel(id: string): Promise<Job>;
  /** A NEW job from a finished run (its latest), with `changes`; returns it. */
  retry(id: string, changes?: ApiRetryChanges): Job;
  /** Holds a queued job: it does not start until released. */
  hold(id: string): Job;
  /** Releases a job held with `hold` (not one held for the user's approval). */
  release(id: string): Job;
  /** What a queued job waits for; `null` (or no ids) clears it. Unknown ids and cycles are refused. */
  setDependencies(id: string, after: { ids: string[]; condition?: 'success' | 'any' } | null): Job;
  getSnapshot(): QueueView;
  getHistory(): Job[];
  /** Why a queued job does not start now (`{ kind: 'waiting', on: ['3'] }`, `held`, …); undefined when it is not queued. */
  getWaitReason(id: string): WaitReason | undefined;
  /** Whether this window runs the queue, or follows the window that does. */
  readonly role: QueueRole;
  /** Where the queue, history and logs are kept. */
  readonly storageDir: string;
  onDidChange(listener: (event: JobServiceEvent) => void): { dispose(): void };
}
