import { changeQueue } from './forwardToOwner';
import type { CommandDefinition } from './shared';

/** Enable Auto-run: whenever a slot is free, the top job starts. */
export const enableAutoRun: CommandDefinition = {
  id: 'jobQueue.enableAutoRun',
  async run(ctx): Promise<boolean | undefined> {
    if (!ctx.requireTrust()) return undefined;
    await changeQueue(ctx.service, { kind: 'setAutoRun', enabled: true }, () => ctx.service.setAutoRun(true));
    return true;
  },
};
