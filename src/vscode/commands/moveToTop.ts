import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

export const moveToTop = jobCommand('jobQueue.moveToTop', {
  placeHolder: 'Move which queued job to the top?',
  action: 'move',
  run: (ctx, row) => performRowAction(ctx.service, 'move', row, { toIndex: 0 }),
});
