// Checks a backend makes before a job starts, so a job that cannot run fails at once with a sentence
// (kind `failedToStart`) rather than a bare exit code 127 in its log.
import * as fs from 'node:fs';

/** A plain message when the job's working folder cannot be used, else undefined (none given: fine). */
export function workingFolderProblem(cwd: string | undefined): string | undefined {
  if (cwd === undefined) return undefined;
  try {
    if (fs.statSync(cwd).isDirectory()) return undefined;
    return `Could not start: the working folder is not a folder: ${cwd}`;
  } catch {
    return `Could not start: the working folder does not exist: ${cwd}`;
  }
}
