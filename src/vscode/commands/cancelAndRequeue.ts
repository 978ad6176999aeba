import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/** Cancel and Return to Queue: end the run; the same job goes back to the bottom of the queue. */
export const cancelAndRequeue = jobCommand('jobQueue.cancelAndRequeue', {
  placeHolder: 'Cancel and return which running job to the queue?',
  action: 'cancelAndRequeue',
  run: (ctx, row) => performRowAction(ctx.service, 'cancelAndRequeue', row),
});
