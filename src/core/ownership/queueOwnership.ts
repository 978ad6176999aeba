// Who may write this storage folder, and what the other windows do meanwhile. States:
//   unclaimed  — the folder holds no queue; nothing is written until the first change claims it;
//   owner      — this host holds owner.lock: it runs jobs, writes the files and drains the inbox;
//   openFailed — this host holds owner.lock but restoring the queue failed (a write error while
//                recording what became of the running jobs): it runs nothing, says so (in its window
//                and in owner.health for the others) and tries the restore again on its timer;
//   follower   — another live host holds it: this one re-reads the owner's files when they change,
//                and takes over (adopting the running jobs) once that host is gone.
// An owner never trusts that it took the lock once: on every tick and before every dispatch round it
// checks that owner.lock still names it, and steps down to follower the moment it does not.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isJobError } from '../errors';
import { USER_ONLY_FOLDER, removeStalePartials } from '../store/atomicFile';
import { QueueFiles } from '../store/queueFiles';
import { INBOX_DIR, readInbox } from './inbox';
import { removeLeftoverLockFiles } from './lockTakeover';
import { clearOpenFailed, openFailure, reportOpenFailed } from './ownerHealth';
import { isOwnerAlive, readOwner, tryAcquireLock, type OwnerLock } from './ownerLock';
import { notOwnerMessage, openFailedMessage, ownerOpenFailedMessage, type OwnerInfo, type QueueRole } from './role';

export interface OwnershipHooks {
  /** This host now owns the folder: load it as the owner (adopt, dispatch). Throws when it cannot. */
  becomeOwner(): void;
  /** Re-read the owner's files (read-only). */
  follow(): void;
  /** This host lost the lock: stop watching its runs as their owner (their records stay for the next one). */
  stepDown(): void;
  roleChanged(role: QueueRole): void;
  drainInbox(): void;
  /** Dispatch what is due (a round was skipped because the lock could not be checked). */
  dispatch(): void;
  /** Tell the user (a storeWarning: the window shows it); `duringOpen` also puts it in the open report. */
  warn(message: string, duringOpen: boolean): void;
}

/** What this host may do with the folder now. */
export type Access = 'owner' | 'follower' | 'openFailed';

type State =
  | { kind: 'unclaimed' }
  | { kind: 'owner'; lock: OwnerLock }
  | { kind: 'openFailed'; lock: OwnerLock; reason: string; nextTry: number }
  | { kind: 'follower'; owner: OwnerInfo; seen: string; toldFailure: string | undefined };

/** A failed restore is tried again after this many checks (5 s at the usual 1 s check). */
const RETRY_OPEN_EVERY_CHECKS = 5;

export class QueueOwnership {
  private state: State = { kind: 'unclaimed' };
  private timer: NodeJS.Timeout | undefined;
  /** The owner's watch on its inbox: a request is taken as it lands, not at the next check. */
  private inboxWatch: fs.FSWatcher | undefined;
  private drainSoon: NodeJS.Immediate | undefined;
  /** A dispatch round was refused because the lock could not be read: the next good check dispatches. */
  private dispatchSkipped = false;

  constructor(
    private readonly dir: string,
    readonly selfLabel: string,
    pollMs: number,
    private readonly hooks: OwnershipHooks,
    /** How often the lock, the owner's files and the inbox are checked (tests: rarely, to see the watch work alone). */
    private readonly checkEveryMs = Math.max(100, Math.min(pollMs, 1000)),
  ) {}

  /** Claims a folder that holds a queue (or a lock); leaves an unused one untouched. */
  open(): void {
    // A lock that cannot be taken (a full disk) fails the open with a plain message; a restore that
    // fails does not (see restore): the timer then tries it again.
    if (QueueFiles.holdsQueue(this.dir) || readOwner(this.dir) !== 'none') this.claim();
    this.timer = setInterval(() => this.tick(), this.checkEveryMs);
    this.timer.unref();
  }

  get role(): QueueRole {
    return this.state.kind === 'follower' ? { kind: 'follower', owner: this.state.owner } : { kind: 'owner' };
  }

  get isOwner(): boolean {
    return this.state.kind === 'owner';
  }

  get isFollower(): boolean {
    return this.state.kind === 'follower';
  }

  /**
   * Asked before every dispatch round: only an owner whose lock still names it starts anything. A
   * lock found lost stops dispatch at once; the step down itself follows right after this call.
   */
  mayDispatch(): boolean {
    if (this.state.kind !== 'owner') return false;
    let held: boolean;
    try {
      held = this.state.lock.stillHeld();
    } catch {
      this.dispatchSkipped = true; // unreadable now: no start on an unconfirmed lock; the next check retries
      return false;
    }
    if (!held) setImmediate(() => this.tick());
    return held;
  }

  notOwnerMessage(): string {
    if (this.state.kind === 'follower') return notOwnerMessage(this.state.owner);
    if (this.state.kind === 'openFailed') return openFailedMessage(this.state.reason);
    return 'This window does not run the queue.';
  }

  /** The first change to an unused folder claims it (or finds that another window just did). */
  claimIfUnclaimed(): Access {
    if (this.state.kind === 'unclaimed') this.claim();
    return this.state.kind === 'follower' || this.state.kind === 'openFailed' ? this.state.kind : 'owner';
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.closeInboxWatch();
    // Give the folder up at once, so a follower takes over (and adopts the running jobs) right away.
    if (this.state.kind === 'openFailed') clearOpenFailed(this.dir);
    if (this.state.kind === 'owner' || this.state.kind === 'openFailed') this.state.lock.release();
  }

  private claim(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: USER_ONLY_FOLDER });
    const attempt = tryAcquireLock(this.dir, this.selfLabel);
    if (attempt.kind === 'acquired') this.restore(attempt.lock);
    else {
      this.state = { kind: 'follower', owner: attempt.owner, seen: QueueFiles.stamp(this.dir), toldFailure: undefined };
      this.hooks.follow();
    }
  }

  /**
   * Restores the queue as its owner. An open either completes or says what failed and tries again:
   * a host that holds the lock but never restored would leave every other window following it forever.
   */
  private restore(lock: OwnerLock): void {
    const toldBefore = this.state.kind === 'openFailed' ? this.state.reason : undefined;
    this.state = { kind: 'owner', lock };
    try {
      this.hooks.becomeOwner();
    } catch (error) {
      const reason = isJobError(error) ? error.message : String(error);
      this.state = { kind: 'openFailed', lock, reason, nextTry: Date.now() + RETRY_OPEN_EVERY_CHECKS * this.checkEveryMs };
      try {
        this.hooks.stepDown(); // what the failed attempt started watching is let go; the next attempt looks again
      } catch (stepDownError) {
        // The files may not even be readable: the views keep what they show; the retry loads them again.
        console.error('[job-queue] showing the queue after a failed open failed too', stepDownError);
      }
      if (reason === toldBefore) return; // the same failure again: told once, not every 5 s
      reportOpenFailed(this.dir, lock.owner, reason);
      this.hooks.warn(openFailedMessage(reason), true);
      return;
    }
    clearOpenFailed(this.dir);
    removeLeftoverLockFiles(this.dir, isOwnerAlive);
    try {
      removeStalePartials(path.join(this.dir, INBOX_DIR), 'anyone'); // a `jobq` killed mid-write
    } catch {
      // Clutter only (never read as a request): tried again at the next open.
    }
    this.watchInbox();
  }

  /**
   * The regular check still drains the inbox (a watch can miss events: network file systems, a
   * folder replaced); the watch only makes a request from the terminal or another window quick.
   */
  private watchInbox(): void {
    if (this.inboxWatch) return;
    try {
      const dir = path.join(this.dir, INBOX_DIR);
      fs.mkdirSync(dir, { recursive: true, mode: USER_ONLY_FOLDER });
      this.inboxWatch = fs.watch(dir, (_event, name) => {
        if (name && !String(name).endsWith('.json')) return; // a writer's temp file, not a request yet
        this.drainSoon ??= setImmediate(() => {
          this.drainSoon = undefined;
          if (this.state.kind === 'owner') this.tick();
        });
      });
      this.inboxWatch.on('error', () => this.closeInboxWatch());
      this.inboxWatch.unref();
    } catch {
      // No watch here: the regular check drains it.
    }
  }

  private closeInboxWatch(): void {
    this.inboxWatch?.close();
    this.inboxWatch = undefined;
    if (this.drainSoon) clearImmediate(this.drainSoon);
    this.drainSoon = undefined;
  }

  private tick(): void {
    try {
      const before = this.roleKey();
      if (this.state.kind === 'owner' || this.state.kind === 'openFailed') this.ownerTick(this.state);
      else if (this.state.kind === 'follower') this.followerTick(this.state);
      else if (readOwner(this.dir) !== 'none' || readInbox(this.dir).length > 0) this.claim();
      if (this.roleKey() !== before) this.hooks.roleChanged(this.role);
    } catch (error) {
      // A timer must never throw: the next tick tries again.
      console.error('[job-queue] ownership check failed', error);
    }
  }

  private ownerTick(state: Extract<State, { kind: 'owner' | 'openFailed' }>): void {
    if (!state.lock.stillHeld()) {
      this.loseLock(state.lock);
      return;
    }
    if (state.kind === 'openFailed') {
      if (Date.now() >= state.nextTry) this.restore(state.lock);
      return;
    }
    this.hooks.drainInbox();
    if (this.dispatchSkipped) {
      this.dispatchSkipped = false;
      this.hooks.dispatch();
    }
  }

  /**
   * owner.lock no longer names this host (another host, a sync tool or a restored backup replaced
   * it). It stops at once: nothing more is started or written as owner; its running jobs keep
   * running and keep their records, for whichever host owns the folder now to adopt.
   */
  private loseLock(lock: OwnerLock): void {
    lock.release(); // removes nothing: the file is not ours any more
    this.closeInboxWatch();
    this.state = { kind: 'unclaimed' };
    this.hooks.stepDown();
    this.hooks.warn('This window stopped running the job queue: its lock file (owner.lock) was replaced — by another window, a sync tool or a restored backup. Its running jobs go on and are watched by the window that runs the queue now.', false);
    this.claim(); // follow whoever holds it now, or take the folder again if that lock is stale
  }

  private followerTick(state: Extract<State, { kind: 'follower' }>): void {
    const holder = readOwner(this.dir);
    if (typeof holder !== 'object' || !isOwnerAlive(holder)) {
      this.claim(); // the owner is gone (or gave the folder up): take over, or follow whoever did first
      return;
    }
    if (holder.instance !== state.owner.instance) state.owner = holder;
    const failure = openFailure(this.dir, holder);
    if (failure !== undefined && failure !== state.toldFailure) this.hooks.warn(ownerOpenFailedMessage(holder, failure), false);
    state.toldFailure = failure;
    const stamp = QueueFiles.stamp(this.dir);
    if (stamp !== state.seen) {
      state.seen = stamp;
      this.hooks.follow();
    }
  }

  /** What the views show: an unclaimed folder is one this window will run. */
  private roleKey(): string {
    return this.state.kind === 'follower' ? `follower:${this.state.owner.instance}` : 'owner';
  }
}
