// One writer per storage folder: `owner.lock` holds the owner's identity (pid + process start time
// + an instance token). A lock is stale only when that exact process is gone — never judged by age,
// so a busy or suspended owner is never robbed. Taking the lock is atomic: the identity is written
// to a private temp file and hard-linked to the lock's name, which fails if any lock exists.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readProcessInfo, isSameLiveProcess } from '../runner/processIdentity';
import { OwnerInfoSchema, type OwnerInfo } from './role';

export const LOCK_NAME = 'owner.lock';

export type LockAttempt =
  | { kind: 'acquired'; lock: OwnerLock }
  | { kind: 'held'; owner: OwnerInfo };

/** This process's identity, once: a pid plus its start time cannot be reused. */
function selfStartToken(): string {
  return readProcessInfo(process.pid)?.startToken ?? '';
}

/** Instances of this process that hold a lock: another instance of one process is alive too. */
const liveInstances = new Set<string>();

export function isOwnerAlive(owner: OwnerInfo): boolean {
  if (owner.pid === process.pid) return liveInstances.has(owner.instance);
  if (!owner.startToken) return isPidAlive(owner.pid);
  return isSameLiveProcess(owner.pid, owner.startToken);
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readOwner(dir: string): OwnerInfo | 'none' | 'damaged' {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, LOCK_NAME), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
  try {
    const parsed = OwnerInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'damaged';
  } catch {
    return 'damaged';
  }
}

/**
 * Takes the folder's lock, or says who holds it. A stale lock (its process is gone, or the file is
 * damaged) is moved aside and the attempt repeated; if what was moved turns out not to be the stale
 * lock (another host took over in between), it is put back and this host follows.
 */
export function tryAcquireLock(dir: string, label: string): LockAttempt {
  const lockPath = path.join(dir, LOCK_NAME);
  const me: OwnerInfo = { v: 1, pid: process.pid, startToken: selfStartToken(), instance: randomUUID(), label, since: Date.now() };
  const text = JSON.stringify(me);
  const temp = path.join(dir, `${LOCK_NAME}.${me.instance}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    for (let round = 0; round < 5; round++) {
      try {
        fs.linkSync(temp, lockPath);
        liveInstances.add(me.instance);
        return { kind: 'acquired', lock: new OwnerLock(dir, me) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readOwner(dir);
      if (holder === 'none') continue;
      if (holder !== 'damaged' && isOwnerAlive(holder)) return { kind: 'held', owner: holder };
      moveStaleLockAside(dir, holder);
    }
    const holder = readOwner(dir);
    if (typeof holder === 'object') return { kind: 'held', owner: holder };
    throw new Error(`Could not take the queue lock ${lockPath}`);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function moveStaleLockAside(dir: string, judged: OwnerInfo | 'damaged'): void {
  const lockPath = path.join(dir, LOCK_NAME);
  const aside = path.join(dir, `${LOCK_NAME}.stale-${randomUUID()}`);
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another host moved it first
    throw error;
  }
  const moved = fs.readFileSync(aside, 'utf8');
  let movedOwner: OwnerInfo | 'damaged' = 'damaged';
  try {
    const parsed = OwnerInfoSchema.safeParse(JSON.parse(moved));
    if (parsed.success) movedOwner = parsed.data;
  } catch {
    // damaged
  }
  const same = judged === 'damaged' ? movedOwner === 'damaged' : movedOwner !== 'damaged' && movedOwner.instance === judged.instance;
  if (!same && movedOwner !== 'damaged' && isOwnerAlive(movedOwner)) {
    // We moved a live lock that replaced the stale one meanwhile: give it back.
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // Someone else holds it now: that host wins; ours is the one that follows.
    }
  }
  fs.rmSync(aside, { force: true });
}

export class OwnerLock {
  private released = false;

  constructor(private readonly dir: string, readonly owner: OwnerInfo) {}

  /** Gives the folder up: removes the lock only if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    liveInstances.delete(this.owner.instance);
    const holder = readOwner(this.dir);
    if (typeof holder === 'object' && holder.instance === this.owner.instance) fs.rmSync(path.join(this.dir, LOCK_NAME), { force: true });
  }
}
