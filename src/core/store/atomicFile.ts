// Atomic file writes: a reader sees the old file or the new one, never half of either, and a failed
// write leaves the old file as it was and no temp file behind. Every failure is a `storageFailed`
// JobError (see storageError.ts).
//
// Durability: the temp file's data is always synced before the rename, so even a power loss can never
// replace a good file with an empty or half-written one (some file systems persist a rename before
// the data it points to). Only the synchronous write also syncs the folder after the rename, which
// is what makes the new file itself survive a power loss; the asynchronous one is for a snapshot the
// history log can rebuild, where "old or new" is enough.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPidAlive } from '../runner/processIdentity';
import { errorCode, storageFailed } from './storageError';

const PARTIAL_SUFFIX = '.partial';
/**
 * Every file written here is the user's alone: the queue's records carry the environments of the
 * terminals jobs were queued from (tokens, keys). Set when the temp file is created, so no reader
 * ever sees the data under a wider mode, and kept by the rename.
 */
export const USER_ONLY_FILE = 0o600;
export const USER_ONLY_FOLDER = 0o700;

/** Temp files of writes this process has started and not finished: removeStalePartials spares them. */
const inFlight = new Set<string>();
let tempCounter = 0;

/** `<file>.<pid>.<n>.partial`: unique per write, so two writes of one file never share a temp file. */
function tempPathFor(file: string): string {
  const temp = `${file}.${process.pid}.${++tempCounter}${PARTIAL_SUFFIX}`;
  inFlight.add(path.resolve(temp));
  return temp;
}

function defaultAction(file: string): string {
  return `save ${path.basename(file)}`;
}

/** `action` completes the error message "Could not … in <folder>", e.g. "save the queue". */
export async function writeFileAtomic(file: string, data: string, action = defaultAction(file)): Promise<void> {
  commitTemp(await writeTemp(file, data, action), file, action);
}

/**
 * First half of an asynchronous atomic write: `data`, synced, in a new temp file next to `file`.
 * Returns the temp file's path for commitTemp or discardTemp. On failure nothing is left behind.
 */
export async function writeTemp(file: string, data: string, action = defaultAction(file)): Promise<string> {
  const temp = tempPathFor(file);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, 'w', USER_ONLY_FILE);
    await handle.writeFile(data, 'utf8');
    await handle.datasync();
    const closing = handle;
    handle = undefined;
    await closing.close();
    return temp;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    inFlight.delete(path.resolve(temp));
    throw storageFailed(action, file, error);
  }
}

/**
 * Second half: the rename. Synchronous on purpose: a caller can then check, in the same tick, that no
 * newer write has landed meanwhile (see CoalescingWriter.writeNow).
 */
export function commitTemp(temp: string, file: string, action = defaultAction(file)): void {
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    discardTemp(temp);
    throw storageFailed(action, file, error);
  } finally {
    inFlight.delete(path.resolve(temp));
  }
}

/** Drops a temp file that will not be renamed (a newer write superseded it). Never throws. */
export function discardTemp(temp: string): void {
  // One that cannot be removed is left for removeStalePartials at the next open.
  removeQuietly(temp);
  inFlight.delete(path.resolve(temp));
}

/**
 * The durable write: temp file, write, fsync, rename, fsync of the folder (where the platform has
 * one). When it returns, the new content survives a power loss. On failure it throws storageFailed;
 * if only the folder sync failed, the new file is in place but not known to be durable.
 */
export function writeFileAtomicSync(file: string, data: string, action = defaultAction(file)): void {
  const temp = tempPathFor(file);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'w', USER_ONLY_FILE);
    // writeFileSync loops until every byte is written, or throws (ENOSPC on a full disk).
    fs.writeFileSync(fd, data, 'utf8');
    fs.fdatasyncSync(fd);
    const closing = fd;
    fd = undefined;
    fs.closeSync(closing);
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    discardTemp(temp);
    throw storageFailed(action, file, error);
  } finally {
    inFlight.delete(path.resolve(temp));
  }
  try {
    fsyncDirectory(path.dirname(file));
  } catch (error) {
    throw storageFailed(action, file, error);
  }
}

/**
 * Makes the folder's entries (a rename, a new file) durable. Returns false where folders cannot be
 * synced (Windows, some network and FUSE file systems): there the rename is as durable as the
 * platform makes it. Throws a real I/O error.
 */
export function fsyncDirectory(dir: string): boolean {
  if (process.platform === 'win32') return false;
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (error) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes(errorCode(error) ?? '')) return false;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
    return true;
  } catch (error) {
    if (['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EBADF', 'EISDIR'].includes(errorCode(error) ?? '')) return false;
    throw error;
  } finally {
    closeQuietly(fd);
  }
}

/**
 * Keeps a synced copy of a file that could not be read, next to it, so nothing is dropped without a
 * copy. Returns the copy's path. Throws storageFailed (and leaves no half copy) if it cannot be made:
 * the caller must then not change the original.
 */
export function backupCorruptFile(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt++) {
    const backup = path.join(path.dirname(file), `${path.basename(file)}.corrupt-${stamp}${attempt ? `-${attempt}` : ''}`);
    try {
      fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
    } catch (error) {
      // Two copies in the same millisecond: take the next name.
      if (errorCode(error) === 'EEXIST' && attempt < 100) continue;
      if (errorCode(error) !== 'EEXIST') removeQuietly(backup);
      throw storageFailed(`keep a copy of the damaged ${path.basename(file)}`, file, error);
    }
    try {
      const fd = fs.openSync(backup, 'r+');
      try {
        // A copy takes its original's mode, which an older release may have left readable by others.
        fs.fchmodSync(fd, USER_ONLY_FILE);
        fs.fdatasyncSync(fd);
      } finally {
        closeQuietly(fd);
      }
      return backup;
    } catch (error) {
      removeQuietly(backup);
      throw storageFailed(`keep a copy of the damaged ${path.basename(file)}`, file, error);
    }
  }
}

/**
 * Whose temp files a folder holds. `owner`: only the owner writes there (the queue's own files), so
 * while this process owns the folder every partial file is stale except its own writes in flight.
 * `anyone`: other processes write there too (the inbox: follower windows, `jobq`), so a partial file
 * is stale only when the process named in it is gone — or, since a dead writer's pid may be reused,
 * when it is older than any write could take.
 */
export type PartialWriters = 'owner' | 'anyone';

/** No atomic write of a small file takes this long: a partial file this old was left by a dead writer. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/**
 * Deletes the `*.partial` temp files in `dir` left by writers that died mid-write, and returns how
 * many it deleted. Call it only while this process owns the folder (e.g. at open). Partial files of
 * writes this process has in flight are always kept.
 */
export function removeStalePartials(dir: string, writers: PartialWriters = 'owner'): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 0;
    throw storageFailed('clean up the temp files', path.join(dir, `*${PARTIAL_SUFFIX}`), error);
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith(PARTIAL_SUFFIX)) continue;
    const full = path.join(dir, name);
    if (inFlight.has(path.resolve(full))) continue;
    try {
      if (writers === 'anyone' && !abandoned(full, name)) continue;
      fs.rmSync(full);
      removed++;
    } catch {
      // Gone already, or not removable: harmless, it is never read.
    }
  }
  return removed;
}

/** `<file>.<pid>.<n>.partial` of a process that is gone, or too old to be a write still going on. */
function abandoned(full: string, name: string): boolean {
  const pid = Number(/\.(\d+)\.\d+\.partial$/.exec(name)?.[1]);
  if (Number.isInteger(pid) && pid > 0 && !isPidAlive(pid)) return true;
  return Date.now() - fs.statSync(full).mtimeMs > ABANDONED_AFTER_MS;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The error that matters was reported by the write itself.
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Best effort: the caller reports the failure that led here.
  }
}

/**
 * Writes `data` to `file` (`w`: a new content; `a`: appended) and syncs it before returning: a lock's
 * temp file, or the few lines a compaction carries over. Throws the raw error (callers word it).
 */
export function writeSynced(file: string, data: string | Buffer, flag: 'w' | 'a' = 'w'): void {
  const fd = fs.openSync(file, flag);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
