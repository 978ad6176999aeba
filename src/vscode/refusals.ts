// How a refusal reaches the user: the engine's own message, as a warning ("another window runs
// this queue" included: a plain refusal, not a crash); a change that could not be saved, as an
// error. The last refusals are kept for diagnostics and tests.
import { type JobError } from '../core';
import { notify } from './notices';

/** The last messages shown when something was refused, oldest first. */
export const recentRefusals: string[] = [];

/** Tells the user why nothing happened, and returns undefined. */
export function refuse(message: string): undefined {
  recentRefusals.push(message);
  if (recentRefusals.length > 20) recentRefusals.shift();
  void notify('warning', message);
  return undefined;
}

/** `storageFailed` is an error (nothing was acknowledged); any other JobError is a refusal. */
export function showJobError(error: JobError): void {
  if (error.code === 'storageFailed') void notify('error', `Job Queue: ${error.message}`);
  else refuse(error.message);
}
