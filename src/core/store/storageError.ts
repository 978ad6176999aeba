// One place that turns a failed file operation into the typed error JobService reports: a
// `storageFailed` JobError whose message names what could not be saved, where, and why in plain words.
import * as path from 'node:path';
import { JobError, isJobError } from '../errors';

/** Plain words for the errno codes a full, read-only or failing disk produces. */
const REASONS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENOENT: 'the folder is missing',
  ENOTDIR: 'the folder is missing',
};

/** Codes where the user can do something about it. */
const ADVICE: Record<string, string> = {
  ENOSPC: ' Free some space and try again.',
  EDQUOT: ' Free some space and try again.',
};

/**
 * `action` completes "Could not … in <folder>", e.g. "save the job history". An error that already is
 * a JobError passes through unchanged, so nested helpers never wrap twice.
 */
export function storageFailed(action: string, file: string, error: unknown): JobError {
  if (isJobError(error)) return error;
  const code = errorCode(error);
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  const message = `Could not ${action} in ${path.dirname(file)}: ${reason}${code ? ` (${code})` : ''}.${(code && ADVICE[code]) ?? ''}`;
  const typed = new JobError('storageFailed', message);
  // Keep the original for logs and debugging; the message is what users see.
  Object.defineProperty(typed, 'cause', { value: error, enumerable: false, configurable: true, writable: true });
  return typed;
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An errno-style error for conditions the OS reports by a count rather than an exception (a write of 0 bytes). */
export function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}
