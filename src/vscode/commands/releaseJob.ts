import { performWaitAction } from './rowActions';
import { jobCommand } from './shared';

/**
 * Release Job: a held job may start again. A job held for approval (added through the API, `jobq`
 * or a command argument) is released only by a person here — its row, our notification's or
 * dialog's button, our quick pick — or by Send Job on it: that is the user's approval. A job id
 * passed as an argument (another extension, an agent's tool) releases only the user's own holds.
 * Nothing is released in an untrusted workspace.
 */
export const releaseJob = jobCommand('jobQueue.releaseJob', {
  placeHolder: 'Release which held job?',
  action: 'release',
  run: (ctx, row, _args, by) => (ctx.requireTrust() ? performWaitAction(ctx.service, 'release', row, { by }) : undefined),
});
