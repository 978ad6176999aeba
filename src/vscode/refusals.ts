// How a refusal reaches the user: the engine's own message, as a warning ("another window runs
// this queue" included: a plain refusal, not a crash); a change that could not be saved, as an
// error. The last refusals are kept for diagnostics and tests.
import { isJobError } from '../core';
import { notify } from './notices';

/** Where a report is logged (the extension's log channel). */
export interface ReportLog {
  info(message: string): void;
  error(message: string, ...args: unknown[]): void;
}

/** The last messages shown when something was refused, oldest first. */
export const recentRefusals: string[] = [];

/** Tells the user why nothing happened, and returns undefined. */
export function refuse(message: string): undefined {
  recentRefusals.push(message);
  if (recentRefusals.length > 20) recentRefusals.shift();
  void notify('warning', message);
  return undefined;
}


/**
 * What every surface (commands, the card, drag and drop) does with an error, the same way: a change
 * that could not be saved is an error notification; any other JobError is a refusal — a warning, or,
 * with `refusalShownBy: 'caller'`, left to the caller (the card shows it next to the job); anything
 * else is an error. Logged with `where`. Returns the message the caller may show.
 */
export function reportError(error: unknown, where: string, log: ReportLog | undefined, refusalShownBy: 'warning' | 'caller' = 'warning'): string {
  if (isJobError(error)) {
    if (error.code === 'storageFailed') {
      log?.error(`${where}: ${error.message}`);
      void notify('error', `Job Queue: ${error.message}`);
    } else {
      log?.info(`${where} refused (${error.code}): ${error.message}`);
      if (refusalShownBy === 'warning') refuse(error.message);
    }
    return error.message;
  }
  log?.error(`${where} failed`, error);
  void notify('error', `Job Queue: ${(error as Error).message}`);
  return `It failed: ${(error as Error).message}`;
}
