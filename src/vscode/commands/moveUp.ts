import { moveBy } from './moveBy';
import { jobCommand } from './shared';

export const moveUp = jobCommand('jobQueue.moveUp', {
  placeHolder: 'Move which queued job up?',
  action: 'move',
  run: (ctx, row) => moveBy(ctx, row, -1),
});
