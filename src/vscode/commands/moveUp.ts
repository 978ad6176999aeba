import { can } from '../../core';
import { moveBy } from './moveBy';
import { jobCommand } from './shared';

export const moveUp = jobCommand('jobQueue.moveUp', {
  placeHolder: 'Move which queued job up?',
  applies: (job) => can('move', job.status),
  run: (ctx, job) => moveBy(ctx, job, -1),
});
