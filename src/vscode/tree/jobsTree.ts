// The Jobs view: Running / Queue (N) / History. Renders JobService's state and events; every
// change goes back through commands. Nodes are kept in maps by id so a change refreshes just its
// node, and bursts of events are coalesced into one refresh per REFRESH_MS (BUSY_REFRESH_MS while
// jobs keep streaming through).
//
// At scale (10,000 queued, ~100 jobs finishing a second) the view must stay cheap: an event only
// marks what it touched (O(1), no copy of the queue); the groups, the badge and the context keys are
// worked out once per refresh; the Queue group shows its first QUEUE_PAGE rows and a "Show more…" row,
// like the history, so a refresh sends VS Code a page, not the whole queue; a queue row's position
// comes from its index in that page, not from a search of the queue.
import * as vscode from 'vscode';
import type { Job, JobService, JobServiceEvent } from '../../core';
import { Disposable } from '../lifecycle';
import { reportError } from '../refusals';
import { jobRowItem, jobRowTooltip } from './jobRow';
import { isJobNode, type GroupKind, type GroupNode, type JobNode, type MoreNode, type TreeNode } from './nodes';

export { isJobNode, nodeRow, type GroupKind, type GroupNode, type JobNode, type MoreNode, type TreeNode } from './nodes';

export const JOBS_VIEW_ID = 'jobQueue.jobs';
const DRAG_MIME = 'application/vnd.code.tree.jobqueue.jobs';
const HISTORY_PAGE = 50;
export const QUEUE_PAGE = 100;
const REFRESH_MS = 200;
/**
 * While jobs keep moving between groups for a while (a stream of short jobs), the view refreshes once
 * a second instead: nobody reads rows that change 5 times a second, and each refresh costs the
 * extension host and the workbench. A change after a quiet moment still shows within REFRESH_MS.
 */
const BUSY_REFRESH_MS = 1000;
/** Back-to-back structural refreshes (no quiet moment between them) before the view counts as busy. */
const BUSY_AFTER = 5;
/** The queue's "Show more…" row (not in the palette: it only makes sense on that row). */
export const SHOW_MORE_QUEUED_COMMAND = 'jobQueue.showMoreQueued';

export class JobsTree extends Disposable implements vscode.TreeDataProvider<TreeNode>, vscode.TreeDragAndDropController<TreeNode> {
  readonly dragMimeTypes = [DRAG_MIME];
  readonly dropMimeTypes = [DRAG_MIME];
  private readonly changed = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeNode>;

  private readonly groups: Record<GroupKind, GroupNode> = {
    running: { kind: 'group', group: 'running' },
    queue: { kind: 'group', group: 'queue' },
    history: { kind: 'group', group: 'history' },
  };
  private readonly runningNodes = new Map<string, JobNode>();
  private readonly queuedNodes = new Map<string, JobNode>();
  private historyShown = HISTORY_PAGE;
  private queueShown = QUEUE_PAGE;
  private lastPresence = '';
  /** Rows and groups to refresh at the next flush. */
  private readonly dirty = new Set<TreeNode>();
  /** Jobs changed groups since the last flush: re-check which groups exist, refresh the groups. */
  private membershipDirty = false;
  /** Anything may differ (a follower reloaded): refresh from the root. */
  private everythingDirty = false;
  private lastChrome = '';
  private lastContext = '';
  private flushTimer: NodeJS.Timeout | undefined;
  /** Structural refreshes in a row, each scheduled right after the one before. */
  private busyStreak = 0;
  private lastFlushAt = 0;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly service: JobService, private readonly storageNote: string | undefined) {
    super();
    this.view = this._register(vscode.window.createTreeView(JOBS_VIEW_ID, {
      treeDataProvider: this,
      dragAndDropController: this,
      canSelectMany: true,
      showCollapseAll: false,
    }));
    this._register(service.onDidChange((e) => this.onEngineEvent(e)));
    this._register(vscode.commands.registerCommand(SHOW_MORE_QUEUED_COMMAND, () => this.showMoreQueued()));
    this._register({ dispose: () => this.stopTimers() });
    this.lastPresence = this.groupPresence();
    this.updateChrome();
    this.updateTicker();
  }

  // ---- rendering -----------------------------------------------------------------------------

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) {
      const counts = this.service.getCounts();
      if (counts.running === 0 && counts.queued === 0 && this.service.historySize === 0) return [];
      return [
        ...(counts.running > 0 ? [this.groups.running] : []),
        this.groups.queue,
        ...(this.service.historySize > 0 ? [this.groups.history] : []),
      ];
    }
    if (node.kind !== 'group') return [];
    if (node.group === 'running') return this.syncNodes(this.runningNodes, this.service.getRunning(), 'running');
    if (node.group === 'queue') {
      const page = this.syncNodes(this.queuedNodes, this.service.getQueuedPage(0, this.queueShown), 'queue');
      page.forEach((row, index) => (row.position = index + 1));
      const remaining = this.service.getCounts().queued - page.length;
      return remaining > 0 ? [...page, { kind: 'more', group: 'queue', remaining }] : page;
    }
    const page = this.service.getHistoryPage(0, this.historyShown).map((job): JobNode => ({ kind: 'job', group: 'history', job }));
    const remaining = this.service.historySize - page.length;
    return remaining > 0 ? [...page, { kind: 'more', group: 'history', remaining }] : page;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'group' ? undefined : this.groups[node.group];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'group') return this.groupItem(node.group);
    if (node.kind === 'more') return moreItem(node);
    return jobRowItem(this.service, node);
  }

  /** A row's tooltip, made only when VS Code is about to show it (a refresh sends rows without one). */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'job') item.tooltip = jobRowTooltip(this.service, node);
    return item;
  }

  /** Shows the History group (expanded) in the Jobs view, e.g. from a notification. */
  async revealHistory(): Promise<void> {
    if (this.service.historySize === 0) return;
    await this.view.reveal(this.groups.history, { expand: true, focus: false, select: false });
  }

  /** Loads the next page of the history (the "Show more…" row). */
  showMoreHistory(): void {
    this.historyShown += HISTORY_PAGE;
    this.markDirty(this.groups.history);
  }

  /** Shows the next page of the queue (its "Show more…" row). */
  showMoreQueued(): void {
    this.queueShown += QUEUE_PAGE;
    this.markDirty(this.groups.queue);
  }

  /** A plain description of what the view shows, for tests and diagnostics. */
  describe(): Array<{ group: string; label: string; description: string; contextValue: string; id: string }> {
    const rows: Array<{ group: string; label: string; description: string; contextValue: string; id: string }> = [];
    for (const group of this.getChildren()) {
      const g = this.getTreeItem(group);
      rows.push({ group: 'root', label: String(g.label), description: String(g.description ?? ''), contextValue: g.contextValue ?? '', id: g.id ?? '' });
      for (const child of this.getChildren(group)) {
        const item = this.getTreeItem(child);
        rows.push({ group: (group as GroupNode).group, label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? '', id: item.id ?? '' });
      }
    }
    return rows;
  }

  /** The nodes of `jobs`, kept by id (a refreshed row is the same node); nodes no longer listed are dropped. */
  private syncNodes(map: Map<string, JobNode>, jobs: Job[], group: GroupKind): JobNode[] {
    const seen = new Set<string>();
    const nodes = jobs.map((job) => {
      seen.add(job.id);
      const node = map.get(job.id) ?? { kind: 'job' as const, group, job };
      node.job = job;
      map.set(job.id, node);
      return node;
    });
    for (const id of map.keys()) if (!seen.has(id)) map.delete(id);
    return nodes;
  }

  private groupItem(group: GroupKind): vscode.TreeItem {
    const snapshot = this.service.getSnapshot();
    const labels: Record<GroupKind, string> = {
      running: `Running (${snapshot.running.length}/${snapshot.maxParallelJobs})`,
      queue: `Queue (${snapshot.queued.length})`,
      history: `History (${this.service.historySize})`,
    };
    const item = new vscode.TreeItem(labels[group], vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${group}`;
    item.contextValue = `group ${group}`;
    if (group === 'queue') {
      item.description = [snapshot.paused ? 'paused' : '', snapshot.autoRun ? 'auto-run' : ''].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(snapshot.paused ? 'debug-pause' : 'list-ordered');
    } else {
      item.iconPath = new vscode.ThemeIcon(group === 'running' ? 'pulse' : 'history');
    }
    return item;
  }

  // ---- drag and drop (reorder inside the queue) ------------------------------------------------

  handleDrag(source: readonly TreeNode[], data: vscode.DataTransfer): void {
    const ids = source.filter((n): n is JobNode => isJobNode(n) && n.group === 'queue').map((n) => n.job.id);
    if (ids.length > 0) data.set(DRAG_MIME, new vscode.DataTransferItem(ids));
  }

  async handleDrop(target: TreeNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const ids = data.get(DRAG_MIME)?.value as string[] | undefined;
    if (!ids?.length) return;
    const queued = this.service.getSnapshot().queued;
    let index: number;
    if (isJobNode(target) && target.group === 'queue') index = queued.findIndex((j) => j.id === target.job.id);
    else if (target?.kind === 'more' && target.group === 'queue') index = Math.min(this.queueShown, queued.length - 1);
    else if (target?.kind === 'group' && target.group === 'queue') index = queued.length - 1;
    else return;
    // Dropping on a row puts the dragged jobs where that row is, in their dragged order.
    for (const [offset, id] of ids.entries()) {
      try {
        this.service.moveJob(id, Math.max(0, index) + offset);
      } catch (error) {
        reportError(error, 'drag and drop', undefined);
        return;
      }
    }
  }

  // ---- events ----------------------------------------------------------------------------------

  /** O(1) per event: mark what the event touched; the rest is worked out once per flush. */
  private onEngineEvent(e: JobServiceEvent): void {
    switch (e.type) {
      case 'progress':
      case 'runDetailsChanged': {
        const node = this.runningNodes.get(e.jobId);
        if (node) this.markDirty(node);
        return;
      }
      case 'output':
      case 'storeWarning':
        return;
      case 'reloaded':
      case 'roleChanged':
        // A follower re-read the owner's files (or took over): anything may differ, render it all.
        this.everythingDirty = true;
        this.updateChrome();
        this.schedule();
        return;
      case 'flagsChanged':
        // The title bar's toggles follow at once (a rare event).
        this.updateChrome();
        this.markDirty(this.groups.queue);
        return;
      case 'jobChanged': {
        // Same job, same place (pending flag, running ⇄ paused): just its row. A row left off the
        // queue's page has no node: nothing shows it.
        const node = this.runningNodes.get(e.job.id) ?? this.queuedNodes.get(e.job.id);
        const samePlace = node && ((node.group === 'running' && (e.job.status === 'running' || e.job.status === 'paused')) || (node.group === 'queue' && e.job.status === 'queued'));
        if (node && samePlace) {
          node.job = e.job;
          this.markDirty(node);
          return;
        }
        this.membershipDirty = true;
        this.schedule();
        return;
      }
      default:
        this.membershipDirty = true;
        this.schedule();
    }
  }

  private groupPresence(): string {
    const { running, queued } = this.service.getCounts();
    return [running > 0, queued > 0 || running > 0 || this.service.historySize > 0, this.service.historySize > 0].join();
  }

  private markDirty(node: TreeNode): void {
    this.dirty.add(node);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushTimer) return;
    // A quiet moment since the last refresh ends a busy stretch.
    if (Date.now() - this.lastFlushAt > REFRESH_MS * 2) this.busyStreak = 0;
    this.flushTimer = setTimeout(() => this.flush(), this.busyStreak >= BUSY_AFTER ? BUSY_REFRESH_MS : REFRESH_MS);
  }

  /**
   * One refresh for everything since the last: the root when a group appeared or went (checked at
   * every flush: a node can outlive its group — a run that left and came back — and its row alone
   * would not bring the group back), else every group when jobs moved between them, else just the
   * rows that changed (and are still shown).
   */
  private flush(): void {
    this.flushTimer = undefined;
    this.lastFlushAt = Date.now();
    if (this.isDisposed) return;
    const nodes = [...this.dirty];
    this.dirty.clear();
    const everything = this.everythingDirty;
    const structural = this.membershipDirty || everything;
    this.busyStreak = structural ? this.busyStreak + 1 : 0;
    this.membershipDirty = false;
    this.everythingDirty = false;
    const presence = this.groupPresence();
    if (everything || presence !== this.lastPresence) {
      this.changed.fire(undefined);
    } else {
      const groups = structural ? this.getChildren() : nodes.filter((n): n is GroupNode => n.kind === 'group');
      for (const group of groups) this.changed.fire(group);
      for (const node of nodes) {
        if (node.kind !== 'job' || groups.includes(this.groups[node.group])) continue;
        const map = node.group === 'running' ? this.runningNodes : node.group === 'queue' ? this.queuedNodes : undefined;
        if (map?.get(node.job.id) === node) this.changed.fire(node);
      }
    }
    this.lastPresence = presence;
    if (structural) {
      this.updateChrome();
      this.updateTicker();
    }
  }

  /** Elapsed time in running rows ticks once a second, and only while something runs. */
  private updateTicker(): void {
    const running = this.service.getCounts().running > 0;
    if (running && !this.ticker) {
      this.ticker = setInterval(() => {
        for (const node of this.runningNodes.values()) if (node.job.status === 'running') this.markDirty(node);
      }, 1000);
    } else if (!running && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** The view's badge and description, and the context keys of the title bar: sent only when they change. */
  private updateChrome(): void {
    const snapshot = this.service.getCounts();
    const count = snapshot.queued;
    const state = [snapshot.paused ? 'paused' : '', snapshot.autoRun ? 'auto-run' : ''].filter(Boolean).join(' · ');
    const description = [state, this.storageNote ?? ''].filter(Boolean).join(' · ') || undefined;
    const chrome = `${count}|${description ?? ''}`;
    if (chrome !== this.lastChrome) {
      this.lastChrome = chrome;
      this.view.badge = count > 0 ? { value: count, tooltip: `${count} job${count === 1 ? '' : 's'} queued` } : undefined;
      this.view.description = description;
    }
    const context = `${snapshot.paused}|${snapshot.autoRun}`;
    if (context !== this.lastContext) {
      this.lastContext = context;
      void vscode.commands.executeCommand('setContext', 'jobQueue.paused', snapshot.paused);
      void vscode.commands.executeCommand('setContext', 'jobQueue.autoRun', snapshot.autoRun);
    }
  }

  private stopTimers(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.ticker) clearInterval(this.ticker);
  }
}

function moreItem(node: MoreNode): vscode.TreeItem {
  const page = node.group === 'queue' ? QUEUE_PAGE : HISTORY_PAGE;
  const item = new vscode.TreeItem(`Show ${Math.min(page, node.remaining)} more…`);
  item.id = `${node.group}:more`;
  item.description = node.group === 'queue' ? `${node.remaining} more queued` : `${node.remaining} older`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = node.group === 'queue'
    ? { command: SHOW_MORE_QUEUED_COMMAND, title: 'Show More of the Queue' }
    : { command: 'jobQueue.showMoreHistory', title: 'Show More History' };
  return item;
}
