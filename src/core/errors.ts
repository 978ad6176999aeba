// Typed refusals: every action that is not allowed throws one of these, with a message fit to show
// the user as it is, and changes nothing.
export type JobErrorCode =
  | 'unknownJob'
  | 'invalidState'
  | 'invalidSpec'
  | 'invalidArgument'
  | 'notSupported'
  /** This host is a follower: another window owns the queue (see JobService.role). */
  | 'notOwner'
  /** The change could not be made durable (disk full, I/O error): nothing was acknowledged. */
  | 'storageFailed'
  | 'disposed';

export class JobError extends Error {
  override readonly name = 'JobError';
  constructor(readonly code: JobErrorCode, message: string, readonly jobId?: string) {
    super(message);
  }
}

export function isJobError(e: unknown): e is JobError {
  return e instanceof JobError;
}
