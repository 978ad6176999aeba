import { changeQueue } from './forwardToOwner';
import type { CommandDefinition } from './shared';

/** Pause Queue: no new job starts; running jobs keep running. */
export const pauseQueue: CommandDefinition = {
  id: 'jobQueue.pauseQueue',
  async run(ctx): Promise<boolean> {
    await changeQueue(ctx.service, { kind: 'pauseQueue' }, () => ctx.service.setQueuePaused(true));
    return true;
  },
};
