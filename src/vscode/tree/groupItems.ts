// The tree items of the Jobs view that are not job rows: a group (Running / Queue / History), a
// lane's group in the Queue, and the "Show more…" row of a paged list.
import * as vscode from 'vscode';
import type { JobService } from '../../core';
import type { GroupKind, LaneNode, MoreNode } from './nodes';
import { QUEUE_PAGE, laneContextValue, laneDescription } from './queueRows';

export const HISTORY_PAGE = 50;
/** The queue's "Show more…" row (not in the palette: it only makes sense on that row). */
export const SHOW_MORE_QUEUED_COMMAND = 'jobQueue.showMoreQueued';

export function groupItem(service: JobService, group: GroupKind): vscode.TreeItem {
  const snapshot = service.getSnapshot();
  const labels: Record<GroupKind, string> = {
    running: `Running (${snapshot.running.length}/${snapshot.maxParallelJobs})`,
    queue: `Queue (${snapshot.queued.length})`,
    history: `History (${service.historySize})`,
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

export function moreItem(node: MoreNode): vscode.TreeItem {
  const page = node.group === 'queue' ? QUEUE_PAGE : HISTORY_PAGE;
  const item = new vscode.TreeItem(`Show ${Math.min(page, node.remaining)} more…`);
  item.id = node.lane !== undefined ? `lane:${node.lane}:more` : `${node.group}:more`;
  item.description = node.group === 'queue' ? `${node.remaining} more queued` : `${node.remaining} older`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = node.group === 'queue'
    ? { command: SHOW_MORE_QUEUED_COMMAND, title: 'Show More of the Queue' }
    : { command: 'jobQueue.showMoreHistory', title: 'Show More History' };
  if (node.group === 'queue') item.command.arguments = [node];
  return item;
}

/** A lane's group in the Queue: its name, its use and queued count; Pause/Resume Lane by its tokens. */
export function laneItem(node: LaneNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.lane, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `lane:${node.lane}`;
  item.description = laneDescription(node);
  item.contextValue = laneContextValue(node);
  item.iconPath = new vscode.ThemeIcon(!node.view ? 'warning' : node.view.paused ? 'layers-dot' : 'layers');
  item.tooltip = node.view
    ? `Lane ${node.lane}: ${node.view.slots} slot${node.view.slots === 1 ? '' : 's'} of its own${node.view.paused ? ', paused — nothing new starts in it (Resume Lane)' : ''}.`
    : `Lane ${node.lane} is not configured (jobQueue.lanes): its jobs wait until it is.`;
  return item;
}
