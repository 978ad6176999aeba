import type { CommandDefinition } from './shared';

/** Show Running Job: the running-job card (it also shows the empty state with Send Job). */
export const showRunningJob: CommandDefinition = {
  id: 'jobQueue.showRunningJob',
  run(ctx) {
    ctx.showRunningJobCard();
    return true;
  },
};
