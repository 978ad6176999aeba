import { changeQueue } from './forwardToOwner';
import type { CommandDefinition } from './shared';

/** Resume Queue: dispatch may start again. */
export const resumeQueue: CommandDefinition = {
  id: 'jobQueue.resumeQueue',
  async run(ctx): Promise<boolean> {
    await changeQueue(ctx.service, { kind: 'resumeQueue' }, () => ctx.service.setQueuePaused(false));
    return true;
  },
};
