// The one place that says which actions a job allows, as `contextValue` tokens for menus
// (`viewItem =~ /\bcancellable\b/`). Derived from the engine's lifecycle rules, never restated.
import { can, isFinished, type Job } from '../../core';

export type JobCapability = 'cancellable' | 'pausable' | 'resumable' | 'requeueable' | 'retryable' | 'movable' | 'removable' | 'haslog' | 'active' | 'finished';

export function jobCapabilities(job: Job, options: { canPauseJobs: boolean }): JobCapability[] {
  const caps: JobCapability[] = [];
  if (can('cancel', job.status)) caps.push('cancellable');
  if (options.canPauseJobs && can('pause', job.status)) caps.push('pausable');
  if (options.canPauseJobs && can('resume', job.status)) caps.push('resumable');
  if (can('cancelAndRequeue', job.status)) caps.push('requeueable');
  if (can('retry', job.status)) caps.push('retryable');
  if (can('move', job.status)) caps.push('movable');
  if (can('remove', job.status)) caps.push('removable');
  if (job.logPath) caps.push('haslog');
  if (job.status === 'running' || job.status === 'paused') caps.push('active');
  if (isFinished(job.status)) caps.push('finished');
  return caps;
}

/** `job <status> <capabilities…>`, e.g. `job running cancellable pausable requeueable haslog active`. */
export function jobContextValue(job: Job, options: { canPauseJobs: boolean }): string {
  return ['job', job.status, ...jobCapabilities(job, options)].join(' ');
}
