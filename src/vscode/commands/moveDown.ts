import { moveBy } from './moveBy';
import { jobCommand } from './shared';

export const moveDown = jobCommand('jobQueue.moveDown', {
  placeHolder: 'Move which queued job down?',
  action: 'move',
  run: (ctx, row) => moveBy(ctx, row, +1),
});
