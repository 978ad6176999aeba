// One writer per storage folder: `owner.lock` holds the owner's identity (pid + process start time
// + an instance token). A lock is stale only when that exact process is gone — never judged by age,
// so a busy or suspended owner is never robbed. Taking a free folder is atomic: the identity is
// written to a private temp file and hard-linked to the lock's name, which fails if any lock exists.
// Taking over a stale lock is one exclusive step too (ownership/lockTakeover.ts): a live owner's
// lock is never moved aside, so two hosts can never both believe they own the folder.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPidAlive, isSameLiveProcess, readProcessInfo } from '../runner/processIdentity';
import { storageFailed } from '../store/storageError';
import { writeSynced } from '../store/atomicFile';
import { LOCK_NAME, linkIfAbsent, parseOwner, readLockText } from './lockFiles';
import { takeOverStaleLock } from './lockTakeover';
import type { OwnerInfo } from './role';

export { LOCK_NAME } from './lockFiles';

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

export function readOwner(dir: string): OwnerInfo | 'none' | 'damaged' {
  const text = readLockText(path.join(dir, LOCK_NAME));
  return text === 'none' ? 'none' : parseOwner(text);
}

/**
 * Takes the folder's lock, or says who holds it. A stale lock (its process is gone, or the file is
 * damaged) is replaced in one exclusive step (lockTakeover.ts); while another live host is in the
 * middle of that step, this host follows it. Any failure leaves no file of this attempt behind.
 */
export function tryAcquireLock(dir: string, label: string): LockAttempt {
  const lockPath = path.join(dir, LOCK_NAME);
  const me: OwnerInfo = { v: 1, pid: process.pid, startToken: selfStartToken(), instance: randomUUID(), label, since: Date.now() };
  const temp = path.join(dir, `${LOCK_NAME}.${me.instance}.tmp`);
  try {
    writeSynced(temp, JSON.stringify(me));
    for (let round = 0; round < 5; round++) {
      if (linkIfAbsent(temp, lockPath)) return acquired(dir, me);
      const text = readLockText(lockPath);
      if (text === 'none') continue; // released between the link and the read: try again
      const holder = parseOwner(text);
      if (holder !== 'damaged' && isOwnerAlive(holder)) return { kind: 'held', owner: holder };
      const takeover = takeOverStaleLock(dir, text, temp, isOwnerAlive);
      if (takeover.kind === 'taken') return acquired(dir, me);
      if (takeover.kind === 'busy') return { kind: 'held', owner: takeover.by };
      // 'changed': the lock is no longer the one judged stale; look again.
    }
    const holder = readOwner(dir);
    if (typeof holder === 'object') return { kind: 'held', owner: holder };
    throw new Error(`the lock kept changing while it was taken (${lockPath})`);
  } catch (error) {
    throw storageFailed('take the queue lock', lockPath, error);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function acquired(dir: string, me: OwnerInfo): LockAttempt {
  liveInstances.add(me.instance);
  return { kind: 'acquired', lock: new OwnerLock(dir, me) };
}

export class OwnerLock {
  private released = false;

  constructor(private readonly dir: string, readonly owner: OwnerInfo) {}

  /**
   * Whether `owner.lock` still names this instance. Anything can replace the file under a live
   * owner — a sync tool, a backup restore, a host that misjudged it — so the owner asks on every
   * tick and before every dispatch round rather than trusting that it took the lock once.
   */
  stillHeld(): boolean {
    if (this.released) return false;
    const holder = readOwner(this.dir);
    return typeof holder === 'object' && holder.instance === this.owner.instance;
  }

  /** Gives the folder up: removes the lock only if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    liveInstances.delete(this.owner.instance);
    const holder = readOwner(this.dir);
    if (typeof holder === 'object' && holder.instance === this.owner.instance) fs.rmSync(path.join(this.dir, LOCK_NAME), { force: true });
  }
}
