// The nodes of the Jobs view: a group, a lane's sub-group of the Queue (with more than one lane), a
// job row (a queued job, a running run or one finished run), or the "Show more…" row of a paged group.
import type { Job, LaneView } from '../../core';
import type { JobRow } from './capabilities';

export type GroupKind = 'running' | 'queue' | 'history';
export interface GroupNode { readonly kind: 'group'; readonly group: GroupKind }
/**
 * A lane in the Queue group: `view` is the lane as configured (undefined for a lane that queued jobs
 * name but the settings no longer do), `queued` its queued jobs — both as of the last listing.
 */
export interface LaneNode { readonly kind: 'lane'; readonly lane: string; view: LaneView | undefined; queued: number }
/**
 * `position`: a queue row's place in the queue (1-based), as of the last time the group was listed.
 * `lane`: the lane group the row is listed under (only while the Queue shows lanes).
 */
export interface JobNode { readonly kind: 'job'; readonly group: GroupKind; job: Job; position?: number; readonly lane?: string }
/** The last row of a paged group (or of a lane's list): loads the next page. */
export interface MoreNode { readonly kind: 'more'; readonly group: 'queue' | 'history'; readonly remaining: number; readonly lane?: string }
export type TreeNode = GroupNode | LaneNode | JobNode | MoreNode;

/**
 * The nodes the Jobs view has shown. The workbench hands a menu's or the title bar's command the
 * very instance it got from us; another extension calling our command can only pass a look-alike,
 * which is not in this set — so a node argument is a person's click only when it is one of ours.
 */
const shownNodes = new WeakSet<object>();

/** Called for every node handed to the workbench (getTreeItem). */
export function markShown(node: TreeNode): void {
  shownNodes.add(node);
}

export function isOurNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && shownNodes.has(value);
}

export function isJobNode(node: unknown): node is JobNode {
  return isOurNode(node) && node.kind === 'job';
}

export function isLaneNode(node: unknown): node is LaneNode {
  return isOurNode(node) && node.kind === 'lane';
}

/** What a job row stands for: the queued job, its current run, or one finished run of the history. */
export function nodeRow(node: JobNode): JobRow {
  return { kind: node.group === 'queue' ? 'queued' : node.group === 'running' ? 'running' : 'finished', job: node.job };
}

/** The nodes of `jobs`, kept by id (a refreshed row is the same node); nodes no longer listed are dropped. */
export function syncNodes(map: Map<string, JobNode>, jobs: readonly Job[], group: GroupKind, lane?: string): JobNode[] {
  const seen = new Set<string>();
  const nodes = jobs.map((job) => {
    seen.add(job.id);
    const node = map.get(job.id) ?? { kind: 'job' as const, group, job, ...(lane !== undefined ? { lane } : {}) };
    node.job = job;
    map.set(job.id, node);
    return node;
  });
  for (const id of map.keys()) if (!seen.has(id)) map.delete(id);
  return nodes;
}
