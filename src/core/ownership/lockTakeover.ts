// Taking over a stale lock in one exclusive step.
//
// The old way — rename the stale lock aside, put it back if it turned out to be live — had a gap:
// between one host's judgement and its rename, another host could replace the stale lock with its
// own live one; the rename then moved a live owner's lock aside, a third host linked its own into the
// gap, the put-back failed, and two hosts each believed they owned the folder.
//
// Now a host that judged the lock text T stale first creates a claim, `owner.lock.takeover-<hash(T)>`,
// exclusively (a hard link of its own fully written identity: it fails if the claim exists). Only the
// holder of that claim may replace a lock whose text is T. Under the claim it reads the lock again
// and, only if it is still T, renames its own lock over it (rename replaces atomically). Nobody else
// can change a lock whose text is T meanwhile: creating a lock (a link) fails while one exists, and
// replacing it needs this claim. So a live lock is never moved or replaced, and of any number of
// hosts racing for one stale lock exactly one takes it; the others find it live and follow.
//
// A claim whose holder died mid-takeover is stale itself: it is passed the same way, by a claim on
// the claim (`<claim>.takeover-<hash(claim text)>`), so a dead host never blocks the folder. The
// winner removes every claim it passed through. A claim left by a crash after the rename names a lock
// text that is gone, so it can never authorize anything again; the owner removes it at open.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCK_NAME, linkIfAbsent, parseOwner, readLockText } from './lockFiles';
import type { OwnerInfo } from './role';

export type Takeover =
  | { kind: 'taken' }
  /** The lock is no longer the one judged stale (another host took it, or it was released). */
  | { kind: 'changed' }
  /** A live host holds the claim: it is taking the lock over right now. */
  | { kind: 'busy'; by: OwnerInfo };

/** Hosts that died one after another in the middle of a takeover: more means something else is wrong. */
const MAX_DEAD_CLAIMS = 8;

const CLAIM_MARK = '.takeover-';

/** A lock temp file still unreadable this long after its last write was torn by a dead host. */
const TORN_AFTER_MS = 60_000;

/**
 * Replaces the lock whose text is `staleText` by `ownLockFile` (this host's identity, written and
 * synced), unless another host is doing so or did so first.
 */
export function takeOverStaleLock(dir: string, staleText: string, ownLockFile: string, isAlive: (owner: OwnerInfo) => boolean): Takeover {
  const lockPath = path.join(dir, LOCK_NAME);
  /** Our claim and the dead hosts' claims we passed: removed once we are done, whatever the outcome. */
  const passed: string[] = [];
  try {
    let claim = `${lockPath}${CLAIM_MARK}${digest(staleText)}`;
    for (let tries = 0; ; tries++) {
      if (tries > MAX_DEAD_CLAIMS) throw new Error(`${tries} hosts died while taking the lock over; remove the files ${LOCK_NAME}${CLAIM_MARK}* in ${dir}`);
      if (linkIfAbsent(ownLockFile, claim)) {
        passed.push(claim);
        break;
      }
      const text = readLockText(claim);
      if (text === 'none') continue; // its holder just finished: try for the same claim again
      const claimer = parseOwner(text);
      if (claimer !== 'damaged' && isAlive(claimer)) return { kind: 'busy', by: claimer };
      passed.push(claim);
      claim = `${claim}${CLAIM_MARK}${digest(text)}`;
    }
    if (readLockText(lockPath) !== staleText) return { kind: 'changed' };
    fs.renameSync(ownLockFile, lockPath);
    return { kind: 'taken' };
  } finally {
    // The deepest first: a claim is only ever created while the one it passes still exists.
    for (const name of passed.reverse()) fs.rmSync(name, { force: true });
  }
}

/**
 * Removes what unfinished takeovers and lock attempts of dead hosts left next to the lock (claims,
 * `owner.lock.<instance>.tmp`). Only files whose writer is gone: a live host's claim or temp file is
 * in use. Called by the owner at open.
 */
export function removeLeftoverLockFiles(dir: string, isAlive: (owner: OwnerInfo) => boolean): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`${LOCK_NAME}.`) || !(name.includes(CLAIM_MARK) || name.endsWith('.tmp'))) continue;
    const file = path.join(dir, name);
    try {
      const text = readLockText(file);
      if (text === 'none') continue;
      const writer = parseOwner(text);
      // Unreadable: a dead host's torn temp file — or a live one's still being written, so only an old one.
      const gone = writer === 'damaged' ? Date.now() - fs.statSync(file).mtimeMs > TORN_AFTER_MS : !isAlive(writer);
      if (gone) fs.rmSync(file, { force: true });
    } catch {
      // Best effort: a leftover is never read as a lock.
    }
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
