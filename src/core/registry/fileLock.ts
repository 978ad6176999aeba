// A short exclusive lock between processes: a lock file created with O_EXCL ('wx'), holding the
// holder's pid. Used for the per-user workspace registry's read-modify-write, where every holder
// keeps it for a few milliseconds — so a lock whose holder is gone, or one older than any holder
// could keep it, was left by a process that died holding it and is taken away.
import * as fs from 'node:fs';
import { isPidAlive } from '../runner/processIdentity';
import { errorCode } from '../store/storageError';

/** No holder keeps the registry's lock this long: one older was left behind. */
const ABANDONED_AFTER_MS = 10_000;
const RETRY_MS = 15;
/** Far longer than any holder needs; past it the lock is reported, not waited on forever. */
const GIVE_UP_AFTER_MS = 15_000;

/** Runs `body` while holding `lockFile`; always releases it. */
export async function withFileLock<T>(lockFile: string, body: () => Promise<T>): Promise<T> {
  await acquire(lockFile);
  try {
    return await body();
  } finally {
    await fs.promises.rm(lockFile, { force: true }).catch(() => undefined);
  }
}

async function acquire(lockFile: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      const handle = await fs.promises.open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    if (await abandoned(lockFile)) {
      // Two waiters may both judge it abandoned; only one rename succeeds, the other just retries.
      await fs.promises.rename(lockFile, `${lockFile}.${process.pid}.stale`).then(
        () => fs.promises.rm(`${lockFile}.${process.pid}.stale`, { force: true }),
        () => undefined,
      );
      continue;
    }
    if (Date.now() - started > GIVE_UP_AFTER_MS) throw new Error(`${lockFile} stays locked by another process`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

async function abandoned(lockFile: string): Promise<boolean> {
  try {
    const [text, stat] = await Promise.all([fs.promises.readFile(lockFile, 'utf8'), fs.promises.stat(lockFile)]);
    const pid = Number(text.trim());
    // An empty lock is one being written right now: only its age can say it was left behind.
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isPidAlive(pid)) return true;
    return Date.now() - stat.mtimeMs > ABANDONED_AFTER_MS;
  } catch {
    return false; // gone meanwhile: the next attempt takes it
  }
}
