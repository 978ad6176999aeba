import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/** Remove from Queue: the job leaves the queue without a run (kept in the history log as removed). */
export const removeJob = jobCommand('jobQueue.removeJob', {
  placeHolder: 'Remove which queued job?',
  action: 'remove',
  run: async (ctx, row) => {
    await performRowAction(ctx.service, 'remove', row);
    return true;
  },
});
