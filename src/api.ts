// The API other extensions get from `vscode.extensions.getExtension('job-queue.job-queue').exports`.
import * as z from 'zod/mini';
import { JobSpecSchema, type Job, type JobServiceEvent, type QueueRole, type QueueView, type SubmitResult } from './core';

/** What another extension may ask to run: a command line, where, with what environment, called what. */
export const ApiJobRequestSchema = z.strictObject(z.pick(JobSpecSchema, { command: true, cwd: true, env: true, label: true }).shape);
export type ApiJobRequest = z.infer<typeof ApiJobRequestSchema>;

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
  getSnapshot(): QueueView;
  getHistory(): Job[];
  /** Whether this window runs the queue, or follows the window that does. */
  readonly role: QueueRole;
  /** Where the queue, history and logs are kept. */
  readonly storageDir: string;
  onDidChange(listener: (event: JobServiceEvent) => void): { dispose(): void };
}
