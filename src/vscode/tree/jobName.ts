import type { Job } from '../../core';

/** The job's identity: `Job #4`. */
export function jobName(job: Pick<Job, 'id'> | string): string {
  return `Job #${typeof job === 'string' ? job : job.id}`;
}
