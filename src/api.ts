// The API other extensions get from `vscode.extensions.getExtension('job-queue.job-queue').exports`.
import * as z from 'zod/mini';
import { JobSpecSchema, type Job, type JobServiceEvent, type QueueView } from './core';

/** What another extension may ask to run: a command line, where, with what environment, called what. */
export const ApiJobRequestSchema = z.strictObject(z.pick(JobSpecSchema, { command: true, cwd: true, env: true, label: true }).shape);
export type ApiJobRequest = z.infer<typeof ApiJobRequestSchema>;

export interface JobQueueApi {
  readonly version: 1;
  /** Validates the request (throws with a message when it is not valid) and queues it. */
  enqueue(request: ApiJobRequest): Job;
  getSnapshot(): QueueView;
  getHistory(): Job[];
  /** Where the queue, history and logs are kept. */
  readonly storageDir: string;
  onDidChange(listener: (event: JobServiceEvent) => void): { dispose(): void };
}
