// Who may write this storage folder, and what the other windows do meanwhile. States:
//   unclaimed — the folder holds no queue; nothing is written until the first change claims it;
//   owner     — this host holds owner.lock: it runs jobs, writes the files and drains the inbox;
//   follower  — another live host holds it: this one re-reads the owner's files when they change,
//               and takes over (adopting the running jobs) once that host is gone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { USER_ONLY_FOLDER } from '../store/atomicFile';
import { QueueFiles } from '../store/queueFiles';
import { INBOX_DIR, readInbox } from './inbox';
import { isOwnerAlive, readOwner, tryAcquireLock, type OwnerLock } from './ownerLock';
import { notOwnerMessage, type OwnerInfo, type QueueRole } from './role';

export interface OwnershipHooks {
  /** This host now owns the folder: load it as the owner (adopt, dispatch). */
  becomeOwner(): void;
  /** Re-read the owner's files (read-only). */
  follow(): void;
  roleChanged(role: QueueRole): void;
  drainInbox(): void;
}

type State =
  | { kind: 'unclaimed' }
  | { kind: 'owner'; lock: OwnerLock }
  | { kind: 'follower'; owner: OwnerInfo; seen: string };

export class QueueOwnership {
  private state: State = { kind: 'unclaimed' };
  private timer: NodeJS.Timeout | undefined;
  /** The owner's watch on its inbox: a request is taken as it lands, not at the next check. */
  private inboxWatch: fs.FSWatcher | undefined;
  private drainSoon: NodeJS.Immediate | undefined;

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

  notOwnerMessage(): string {
    return this.state.kind === 'follower' ? notOwnerMessage(this.state.owner) : 'This window does not run the queue.';
  }

  /** The first change to an unused folder claims it (or finds that another window just did). */
  claimIfUnclaimed(): 'owner' | 'follower' {
    if (this.state.kind === 'unclaimed') this.claim();
    return this.state.kind === 'follower' ? 'follower' : 'owner';
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.inboxWatch?.close();
    this.inboxWatch = undefined;
    if (this.drainSoon) clearImmediate(this.drainSoon);
    // Give the folder up at once, so a follower takes over (and adopts the running jobs) right away.
    if (this.state.kind === 'owner') this.state.lock.release();
  }

  private claim(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: USER_ONLY_FOLDER });
    const attempt = tryAcquireLock(this.dir, this.selfLabel);
    if (attempt.kind === 'acquired') {
      this.state = { kind: 'owner', lock: attempt.lock };
      this.hooks.becomeOwner();
      this.watchInbox();
    } else {
      this.state = { kind: 'follower', owner: attempt.owner, seen: QueueFiles.stamp(this.dir) };
      this.hooks.follow();
    }
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
      this.inboxWatch.on('error', () => {
        this.inboxWatch?.close();
        this.inboxWatch = undefined;
      });
      this.inboxWatch.unref();
    } catch {
      // No watch here: the regular check drains it.
    }
  }

  private tick(): void {
    try {
      const before = this.roleKey();
      if (this.state.kind === 'owner') this.hooks.drainInbox();
      else if (this.state.kind === 'follower') this.followerTick(this.state);
      else if (readOwner(this.dir) !== 'none' || readInbox(this.dir).length > 0) this.claim();
      if (this.roleKey() !== before) this.hooks.roleChanged(this.role);
    } catch (error) {
      // A timer must never throw: the next tick tries again.
      console.error('[job-queue] ownership check failed', error);
    }
  }

  private followerTick(state: Extract<State, { kind: 'follower' }>): void {
    const holder = readOwner(this.dir);
    if (typeof holder !== 'object' || !isOwnerAlive(holder)) {
      this.claim(); // the owner is gone (or gave the folder up): take over, or follow whoever did first
      return;
    }
    if (holder.instance !== state.owner.instance) state.owner = holder;
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
