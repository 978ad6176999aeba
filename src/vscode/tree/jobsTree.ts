// The Jobs view: Running / Queue (N) — by lane when more than one is configured — / History.
// Renders JobService's state and events; every change goes back through commands. Nodes are kept in
// maps by id so a change refreshes just its node, and bursts of events are coalesced into one refresh
// (refreshScheduler.ts); the Queue's rows and lanes are listed by queueRows.ts.
//
// At scale (10,000 queued, ~100 jobs finishing a second) the view must stay cheap: an event only
// marks what it touched (O(1), no copy of the queue); the groups, the badge and the context keys are
// worked out once per refresh; the Queue group shows its first QUEUE_PAGE rows and a "Show more…" row,
// like the history, so a refresh sends VS Code a page, not the whole queue; a queue row's position
// comes from its index in that page, not from a search of the queue.
import * as vscode from 'vscode';
import type { JobService, JobServiceEvent } from '../../core';
import { Disposable } from '../lifecycle';
import { reportError } from '../refusals';
import { jobRowItem, jobRowTooltip } from './jobRow';
import { HISTORY_PAGE, SHOW_MORE_QUEUED_COMMAND, groupItem, laneItem, moreItem } from './groupItems';
import { isJobNode, markShown, syncNodes, type GroupKind, type GroupNode, type JobNode, type MoreNode, type TreeNode } from './nodes';
import { QueueRows } from './queueRows';
import { RefreshScheduler, type PendingRefresh } from './refreshScheduler';

export { isJobNode, nodeRow, type GroupKind, type GroupNode, type JobNode, type MoreNode, type TreeNode } from './nodes';
export { QUEUE_PAGE } from './queueRows';
export { SHOW_MORE_QUEUED_COMMAND } from './groupItems';

export const JOBS_VIEW_ID = 'jobQueue.jobs';
const DRAG_MIME = 'application/vnd.code.tree.jobqueue.jobs';

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
  private readonly queue: QueueRows;
  private historyShown = HISTORY_PAGE;
  private lastPresence = '';
  private readonly refresher = new RefreshScheduler((pending) => this.flush(pending));
  private lastChrome = '';
  private lastContext = '';
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly service: JobService, private readonly storageNote: string | undefined) {
    super();
    this.queue = new QueueRows(service);
    this.view = this._register(vscode.window.createTreeView(JOBS_VIEW_ID, {
      treeDataProvider: this,
      dragAndDropController: this,
      canSelectMany: true,
      showCollapseAll: false,
    }));
    this._register(service.onDidChange((e) => this.onEngineEvent(e)));
    this._register(vscode.commands.registerCommand(SHOW_MORE_QUEUED_COMMAND, (node?: unknown) => this.showMoreQueued(node)));
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
    if (node.kind === 'lane') return this.queue.laneChildren(node);
    if (node.kind !== 'group') return [];
    if (node.group === 'running') return syncNodes(this.runningNodes, this.service.getRunning(), 'running');
    if (node.group === 'queue') return this.queue.children();
    const page = this.service.getHistoryPage(0, this.historyShown).map((job): JobNode => ({ kind: 'job', group: 'history', job }));
    const remaining = this.service.historySize - page.length;
    return remaining > 0 ? [...page, { kind: 'more', group: 'history', remaining }] : page;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'group') return undefined;
    if (node.kind === 'lane') return this.groups.queue;
    return (node.lane !== undefined ? this.queue.laneNode(node.lane) : undefined) ?? this.groups[node.group];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    markShown(node);
    if (node.kind === 'group') return groupItem(this.service, node.group);
    if (node.kind === 'lane') return laneItem(node);
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
    this.refresher.markDirty(this.groups.history);
  }

  /** Shows the next page of the queue, or of one lane (its "Show more…" row). */
  showMoreQueued(node?: unknown): void {
    const lane = typeof node === 'object' && node !== null && (node as MoreNode).kind === 'more' ? (node as MoreNode).lane : undefined;
    this.queue.showMore(lane);
    this.refresher.markDirty(this.groups.queue);
  }

  /** The row of a queued job on its page (listed now: the Queue, and its lanes), e.g. to select it. */
  queuedNode(id: string): JobNode | undefined {
    for (const child of this.queue.children()) if (child.kind === 'lane') this.queue.laneChildren(child);
    return this.queue.node(id);
  }

  /**
   * A plain description of what the view shows, for tests and diagnostics: `group` is where a row
   * is listed — `root`, a group, or `queue/<lane>` for a lane's rows.
   */
  describe(): Array<{ group: string; label: string; description: string; contextValue: string; id: string }> {
    return [...this.rows()].map(({ item, where }) => ({ group: where, label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? '', id: item.id ?? '' }));
  }

  /** The node of the row with this id, as the workbench hands it to a menu's command (integration tests). */
  shownNode(id: string): TreeNode | undefined {
    for (const { node, item } of this.rows()) if (item.id === id) return node;
    return undefined;
  }

  /** Every row, each through getTreeItem as the workbench renders it, with the group it is listed in. */
  private *rows(parent?: TreeNode, where = 'root'): Generator<{ node: TreeNode; item: vscode.TreeItem; where: string }> {
    for (const child of this.getChildren(parent)) {
      yield { node: child, item: this.getTreeItem(child), where };
      if (child.kind === 'group') yield* this.rows(child, child.group);
      else if (child.kind === 'lane') yield* this.rows(child, `queue/${child.lane}`);
    }
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
    else if (target?.kind === 'more' && target.group === 'queue' && target.lane === undefined) index = Math.min(this.queue.shown, queued.length - 1);
    else if ((target?.kind === 'group' && target.group === 'queue') || target?.kind === 'lane' || target?.kind === 'more') index = queued.length - 1;
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

  /** O(1) per event: mark what the event touched; the rest is worked out once per refresh. */
  private onEngineEvent(e: JobServiceEvent): void {
    switch (e.type) {
      case 'progress':
      case 'runDetailsChanged': {
        const node = this.runningNodes.get(e.jobId);
        if (node) this.refresher.markDirty(node);
        return;
      }
      case 'output':
      case 'storeWarning':
        return;
      case 'reloaded':
      case 'roleChanged':
        // A follower re-read the owner's files (or took over): anything may differ, render it all.
        this.updateChrome();
        this.refresher.markEverything();
        return;
      case 'flagsChanged':
        // The title bar's toggles follow at once (a rare event).
        this.updateChrome();
        this.refresher.markDirty(this.groups.queue);
        return;
      case 'jobChanged': {
        // Same job, same place (pending flag, running ⇄ paused): just its row. A row left off the
        // queue's page has no node: nothing shows it.
        const node = this.runningNodes.get(e.job.id) ?? this.queue.node(e.job.id);
        const samePlace = node && ((node.group === 'running' && (e.job.status === 'running' || e.job.status === 'paused')) || (node.group === 'queue' && e.job.status === 'queued'));
        if (node && samePlace) {
          node.job = e.job;
          this.refresher.markDirty(node);
          return;
        }
        this.refresher.markMembership();
        return;
      }
      default:
        // Jobs moved between groups, or a lane was paused or (re)configured: the groups are listed again.
        this.refresher.markMembership();
    }
  }

  private groupPresence(): string {
    const { running, queued } = this.service.getCounts();
    return [running > 0, queued > 0 || running > 0 || this.service.historySize > 0, this.service.historySize > 0].join();
  }

  /**
   * One refresh for everything since the last: the root when a group appeared or went (checked at
   * every refresh: a node can outlive its group — a run that left and came back — and its row alone
   * would not bring the group back), else every group when jobs moved between them, else just the
   * rows that changed (and are still shown).
   */
  private flush({ nodes, structural, everything }: PendingRefresh): void {
    if (this.isDisposed) return;
    const presence = this.groupPresence();
    if (everything || presence !== this.lastPresence) {
      this.changed.fire(undefined);
    } else {
      const groups = structural ? this.getChildren() : nodes.filter((n): n is GroupNode => n.kind === 'group');
      for (const group of groups) this.changed.fire(group);
      for (const node of nodes) {
        if (node.kind !== 'job' || groups.includes(this.groups[node.group])) continue;
        const shown = node.group === 'running' ? this.runningNodes.get(node.job.id) === node : node.group === 'queue' && this.queue.isShown(node);
        if (shown) this.changed.fire(node);
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
        for (const node of this.runningNodes.values()) if (node.job.status === 'running') this.refresher.markDirty(node);
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
    this.refresher.dispose();
    if (this.ticker) clearInterval(this.ticker);
  }
}
