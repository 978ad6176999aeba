import type { CommandDefinition } from './shared';

/** Pause Queue: no new job starts; running jobs keep running. */
export const pauseQueue: CommandDefinition = {
  id: 'jobQueue.pauseQueue',
  run(ctx): boolean {
    ctx.service.setQueuePaused(true);
    return true;
  },
};
