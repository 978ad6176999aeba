import { changeQueue } from './forwardToOwner';
import type { CommandDefinition } from './shared';

/** Disable Auto-run: jobs start only with Send Job. */
export const disableAutoRun: CommandDefinition = {
  id: 'jobQueue.disableAutoRun',
  async run(ctx): Promise<boolean> {
    await changeQueue(ctx.service, { kind: 'setAutoRun', enabled: false }, () => ctx.service.setAutoRun(false));
    return true;
  },
};
