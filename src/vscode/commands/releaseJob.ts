import { performWaitAction } from './rowActions';
import { jobCommand } from './shared';

/**
 * Release Job: a held job may start again. A job held for approval (added through the API) is
 * released only here or by Send Job on it: that is the user's approval. Nothing is released in an
 * untrusted workspace.
 */
export const releaseJob = jobCommand('jobQueue.releaseJob', {
  placeHolder: 'Release which held job?',
  action: 'release',
  run: (ctx, row) => (ctx.requireTrust() ? performWaitAction(ctx.service, 'release', row) : undefined),
});
