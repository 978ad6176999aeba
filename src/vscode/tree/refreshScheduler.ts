// When the Jobs view refreshes, and what: events only mark what they touched (O(1), no copy of the
// queue) and bursts are coalesced into one refresh per REFRESH_MS — BUSY_REFRESH_MS while jobs keep
// streaming through. The tree decides what a refresh sends VS Code (jobsTree.ts, flush).
import type { TreeNode } from './nodes';

const REFRESH_MS = 200;
/**
 * While jobs keep moving between groups for a while (a stream of short jobs), the view refreshes once
 * a second instead: nobody reads rows that change 5 times a second, and each refresh costs the
 * extension host and the workbench. A change after a quiet moment still shows within REFRESH_MS.
 */
const BUSY_REFRESH_MS = 1000;
/** Back-to-back structural refreshes (no quiet moment between them) before the view counts as busy. */
const BUSY_AFTER = 5;

/** What changed since the last refresh. */
export interface PendingRefresh {
  /** Rows and groups to refresh. */
  nodes: TreeNode[];
  /** Jobs changed groups: re-check which groups exist, refresh the groups. */
  structural: boolean;
  /** Anything may differ (a follower reloaded): refresh from the root. */
  everything: boolean;
}

export class RefreshScheduler {
  private readonly dirty = new Set<TreeNode>();
  private membershipDirty = false;
  private everythingDirty = false;
  private timer: NodeJS.Timeout | undefined;
  /** Structural refreshes in a row, each scheduled right after the one before. */
  private busyStreak = 0;
  private lastFlushAt = 0;
  private disposed = false;

  constructor(private readonly refresh: (pending: PendingRefresh) => void) {}

  markDirty(node: TreeNode): void {
    this.dirty.add(node);
    this.schedule();
  }

  markMembership(): void {
    this.membershipDirty = true;
    this.schedule();
  }

  markEverything(): void {
    this.everythingDirty = true;
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    // A quiet moment since the last refresh ends a busy stretch.
    if (Date.now() - this.lastFlushAt > REFRESH_MS * 2) this.busyStreak = 0;
    this.timer = setTimeout(() => this.flush(), this.busyStreak >= BUSY_AFTER ? BUSY_REFRESH_MS : REFRESH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    this.lastFlushAt = Date.now();
    if (this.disposed) return;
    const pending: PendingRefresh = { nodes: [...this.dirty], structural: this.membershipDirty || this.everythingDirty, everything: this.everythingDirty };
    this.dirty.clear();
    this.busyStreak = pending.structural ? this.busyStreak + 1 : 0;
    this.membershipDirty = false;
    this.everythingDirty = false;
    this.refresh(pending);
  }
}
