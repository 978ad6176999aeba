import type { CommandDefinition } from './shared';

/** The extension's own diagnostics (not a job's output). */
export const showExtensionLog: CommandDefinition = {
  id: 'jobQueue.showExtensionLog',
  run(ctx) {
    ctx.log.show(true);
    return true;
  },
};
