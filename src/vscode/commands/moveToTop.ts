import { can } from '../../core';
import { jobCommand } from './shared';

export const moveToTop = jobCommand('jobQueue.moveToTop', {
  placeHolder: 'Move which queued job to the top?',
  applies: (job) => can('move', job.status),
  run: (ctx, job) => {
    ctx.service.moveJob(job.id, 0);
    return ctx.service.getQueuePosition(job.id);
  },
});
