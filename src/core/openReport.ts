// What opening the queue found. Opening happens before any view can subscribe to events, so
// everything worth telling the user is returned here as well as announced (nothing is lost).
import type { Job } from './model';

export interface StoreWarning {
  message: string;
  /** A copy of the damaged file, kept before anything was changed. */
  backupPath?: string;
}

export interface OpenReport {
  /** Damaged files that were recovered from (each with a copy kept). */
  warnings: StoreWarning[];
  /** Runs that finished while no host was watching, with their true exit status. */
  endedWhileClosed: Job[];
  /** Runs whose end cannot be known (no process, no exit record). */
  interrupted: Job[];
  /** Runs found still running and watched again. */
  adopted: Job[];
  /** Set when opening paused the queue (interruptedPolicy requeueAndPause): why, and how to resume. */
  pausedBecause?: string;
}

export function emptyOpenReport(): OpenReport {
  return { warnings: [], endedWhileClosed: [], interrupted: [], adopted: [] };
}
