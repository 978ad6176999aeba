import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/** Cancel Job: a queued job leaves the queue; a running one has its whole process tree ended. */
export const cancelJob = jobCommand('jobQueue.cancelJob', {
  placeHolder: 'Cancel which job?',
  action: 'cancel',
  run: (ctx, row) => performRowAction(ctx.service, 'cancel', row),
});
