import type { CommandDefinition } from './shared';

/** Resume Queue: dispatch may start again. */
export const resumeQueue: CommandDefinition = {
  id: 'jobQueue.resumeQueue',
  run(ctx): boolean {
    ctx.service.setQueuePaused(false);
    return true;
  },
};
