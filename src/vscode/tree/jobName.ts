import { jobTitle, type Job } from '../../core';

/** The job's identity: `Job #4`. */
export function jobName(job: Pick<Job, 'id'> | string): string {
  return `Job #${typeof job === 'string' ? job : job.id}`;
}

/** The identity with what the user recognises it by: `Job #4 “build”` (one line, shortened). */
export function jobNameAndTitle(job: Pick<Job, 'id' | 'spec'>, max = 80): string {
  const title = jobTitle(job).replace(/\s+/g, ' ').trim();
  return `${jobName(job)} “${title.length > max ? `${title.slice(0, max - 1)}…` : title}”`;
}
