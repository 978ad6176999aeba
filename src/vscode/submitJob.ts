// The one path every "add a job" takes (Add Job, Add Task as Job, the API): JobService.submit, which
// queues the job here when this window runs the queue, or passes it to the window that does.
import type * as vscode from 'vscode';
import type { Job, JobService, JobSpecInput, ScheduleInput, SubmitResult } from '../core';
import { notify } from './notices';

/** Submits the job (and how it waits); when it was passed to the owner window, says so. Throws JobError on refusal. */
export function submitJob(service: JobService, log: vscode.LogOutputChannel, input: JobSpecInput, schedule?: ScheduleInput): SubmitResult {
  const result = service.submit(input, schedule);
  if (result.kind === 'forwarded') {
    log.info(`A new job was passed to the window that runs the queue (request ${result.requestId}).`);
    void notify('info', result.message);
  }
  return result;
}

/** The job when it was queued here; undefined when another window queues it. */
export function queuedJob(result: SubmitResult): Job | undefined {
  return result.kind === 'queued' ? result.job : undefined;
}
