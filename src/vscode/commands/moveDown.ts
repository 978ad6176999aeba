import { can } from '../../core';
import { moveBy } from './moveBy';
import { jobCommand } from './shared';

export const moveDown = jobCommand('jobQueue.moveDown', {
  placeHolder: 'Move which queued job down?',
  applies: (job) => can('move', job.status),
  run: (ctx, job) => moveBy(ctx, job, +1),
});
