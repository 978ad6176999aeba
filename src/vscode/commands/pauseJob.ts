import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/** Pause Job: SIGSTOP to the job's process group (hidden where the platform cannot). */
export const pauseJob = jobCommand('jobQueue.pauseJob', {
  placeHolder: 'Pause which running job?',
  action: 'pause',
  run: (ctx, row) => performRowAction(ctx.service, 'pause', row),
});
