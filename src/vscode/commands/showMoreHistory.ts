import type { CommandDefinition } from './shared';

/** The "Show more…" row at the end of the History group. */
export const showMoreHistory: CommandDefinition = {
  id: 'jobQueue.showMoreHistory',
  run(ctx) {
    ctx.tree.showMoreHistory();
    return true;
  },
};
