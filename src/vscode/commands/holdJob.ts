import { performWaitAction } from './rowActions';
import { jobCommand } from './shared';

/** Hold Job: a queued job is skipped by dispatch (auto-run and Send Job without a job) until released. */
export const holdJob = jobCommand('jobQueue.holdJob', {
  placeHolder: 'Hold which queued job?',
  action: 'hold',
  run: (ctx, row, _args, by) => performWaitAction(ctx.service, 'hold', row, { by }),
});
