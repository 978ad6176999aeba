// The small file operations the lock is made of: read a lock (or takeover claim), parse the identity
// it names, create a name exclusively by hard-linking a fully written temp file to it.
import * as fs from 'node:fs';
import { OwnerInfoSchema, type OwnerInfo } from './role';

export const LOCK_NAME = 'owner.lock';

/** A lock (or takeover claim) file's text, or 'none' when there is no such file. */
export function readLockText(file: string): string | 'none' {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

export function parseOwner(text: string): OwnerInfo | 'damaged' {
  try {
    const parsed = OwnerInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'damaged';
  } catch {
    return 'damaged';
  }
}

/**
 * Creates `target` as a hard link to `source`; false when `target` exists already. A link is
 * exclusive (it never replaces a file) and whole (`source` was written and synced before).
 */
export function linkIfAbsent(source: string, target: string): boolean {
  try {
    fs.linkSync(source, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

