// May we signal this run's process group right now? Asked before EVERY signal (STOP, CONT, TERM,
// and the final KILL), because a group id is a number the system hands out again.
//
// The rule:
//   1. While the wrapper is provably the process we started (our own child not yet reaped, or the
//      pid alive with the start token we recorded), its group (id = its pid) is ours.
//   2. Once the wrapper is gone, members it left (grandchildren) still carry the group id. The
//      group is still ours only if the id cannot have been handed out again since rule 1 last held:
//        - POSIX does not reuse an id while a process or a group with that id exists. So if a
//          process now has that pid with ANOTHER start token, our group ended at some point: never
//          signal it again.
//        - If the group is seen empty, it has ended and its id is free: never signal it again.
//        - Otherwise the group has been seen alive at every check since rule 1 held; if those
//          checks were at most MAX_GAP_MS apart, the id cannot have been freed, reused by another
//          process, made a group and orphaned in between (that would take a full cycle of the pid
//          space within the gap). Past that gap we cannot vouch for it: never signal it again.
//   "Never again" is sticky: once lost, ownership does not come back.
import { isGroupAlive, readProcessInfo } from './processIdentity';

export const MAX_GAP_MS = 1000;

export interface OwnedGroup {
  readonly pid: number;
  readonly startToken: string;
}

export class GroupOwnership {
  private lost = false;
  private lastProof: number;

  /**
   * `run` is read at each check (not copied); `wrapperIsOurs` says whether rule 1 holds now.
   * The identity was proven when the execution was made (spawned, or found again), so that is
   * the first proof.
   */
  constructor(
    private readonly run: OwnedGroup,
    private readonly wrapperIsOurs: () => boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.lastProof = this.now();
  }

  /** Whether a signal to group `run.pid` now reaches only processes of our run. */
  owns(): boolean {
    if (this.lost) return false;
    // A run that never got a pid (spawn failed) has no group: -0 would be the host's own.
    if (this.run.pid <= 1) return this.lose();
    const now = this.now();
    if (this.wrapperIsOurs()) {
      this.lastProof = now;
      return true;
    }
    const atPid = readProcessInfo(this.run.pid);
    if (atPid && atPid.startToken !== this.run.startToken) return this.lose();
    if (!isGroupAlive(this.run.pid)) return this.lose();
    if (now - this.lastProof > MAX_GAP_MS) return this.lose();
    this.lastProof = now;
    return true;
  }

  /** The wrapper just ended in our sight (our child, reaped now): the group was ours until now. */
  wrapperEnded(): void {
    if (!this.lost) this.lastProof = this.now();
  }

  private lose(): false {
    this.lost = true;
    return false;
  }
}
