import { performWaitAction } from './rowActions';
import { jobCommand } from './shared';

/** Clear Start Time: a queued job with a start time ahead may start at its turn again. */
export const clearStartTime = jobCommand('jobQueue.clearStartTime', {
  placeHolder: 'Clear the start time of which queued job?',
  action: 'clearStartTime',
  run: (ctx, row, _args, by) => performWaitAction(ctx.service, 'clearStartTime', row, { by }),
});
