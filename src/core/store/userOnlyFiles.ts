// The queue's records carry the environments of the terminals its jobs came from (tokens, keys,
// paths): its folder is the user's alone (0700) and so is every file that can hold a job's spec
// (0600). New files are made that way (atomicFile, historyLog, inbox); this brings a queue written
// by an earlier release, or a folder made by someone else's umask, to the same modes at open.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INBOX_DIR } from '../ownership/inbox';
import { USER_ONLY_FILE, USER_ONLY_FOLDER } from './atomicFile';

/** Files that carry job specs: the snapshot, the history, their damaged copies and temp files. */
function carriesSpecs(name: string): boolean {
  return /^(queue\.json|history\.jsonl)(\..*)?$/.test(name);
}

/**
 * Narrows the modes of `dir`, its spec-bearing files and its inbox. Best effort and never throws:
 * a file system without POSIX modes (Windows, some network mounts) keeps what it has.
 */
export function restrictToUser(dir: string): void {
  if (process.platform === 'win32') return;
  chmodQuietly(dir, USER_ONLY_FOLDER);
  for (const name of namesIn(dir)) if (carriesSpecs(name)) chmodQuietly(path.join(dir, name), USER_ONLY_FILE);
  const inbox = path.join(dir, INBOX_DIR);
  chmodQuietly(inbox, USER_ONLY_FOLDER);
  for (const name of namesIn(inbox)) chmodQuietly(path.join(inbox, name), USER_ONLY_FILE);
}

function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function chmodQuietly(file: string, mode: number): void {
  try {
    if ((fs.statSync(file).mode & 0o777) !== mode) fs.chmodSync(file, mode);
  } catch {
    // Gone meanwhile, or not ours to change: nothing more can be done here.
  }
}
