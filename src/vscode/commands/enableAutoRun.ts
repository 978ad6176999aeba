import type { CommandDefinition } from './shared';

/** Enable Auto-run: whenever a slot is free, the top job starts. */
export const enableAutoRun: CommandDefinition = {
  id: 'jobQueue.enableAutoRun',
  run(ctx): boolean | undefined {
    if (!ctx.requireTrust()) return undefined;
    ctx.service.setAutoRun(true);
    return true;
  },
};
