import type { CommandDefinition } from './shared';

/** Disable Auto-run: jobs start only with Send Job. */
export const disableAutoRun: CommandDefinition = {
  id: 'jobQueue.disableAutoRun',
  run(ctx): boolean {
    ctx.service.setAutoRun(false);
    return true;
  },
};
