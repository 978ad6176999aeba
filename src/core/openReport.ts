// What opening the queue found. Opening happens before any view can subscribe to events, so
// everything worth telling the user is returned here as well as announced (nothing is lost).
import type { Job } from './model';

export interface StoreWarning {
  message: string;
  /** A copy of the damaged file, kept before anything was changed. */
  backupPath?: string;
}

/** A job passed in (by `jobq add` or another window) while no window ran the queue, refused at open. */
export interface RefusedRequest {
  requestId: string;
  /** Who sent it: "the terminal", or a window's label. */
  from: string;
  /** The job's label, else its command. */
  title: string;
  /** Why it was not queued (e.g. the job it waits for failed). */
  reason: string;
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
  /** Jobs saved for the queue while no window ran it that could not be queued (each sender is answered too). */
  refusedRequests: RefusedRequest[];
  /** Set when opening paused the queue (interruptedPolicy requeueAndPause): why, and how to resume. */
  pausedBecause?: string;
}

export function emptyOpenReport(): OpenReport {
  return { warnings: [], endedWhileClosed: [], interrupted: [], adopted: [], refusedRequests: [] };
}

/**
 * Before an open is tried again (the last attempt failed half-way): what that attempt found is found
 * again, so it is dropped rather than told twice. Warnings stay: they were true, and were shown.
 */
export function forgetFindings(report: OpenReport): void {
  report.endedWhileClosed.length = 0;
  report.interrupted.length = 0;
  report.adopted.length = 0;
  report.refusedRequests.length = 0;
  delete report.pausedBecause;
}
