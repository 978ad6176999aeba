// The nodes of the Jobs view: a group, a job row (a queued job, a running run or one finished run),
// or the "Show more…" row of a paged group.
import type { Job } from '../../core';
import type { JobRow } from './capabilities';

export type GroupKind = 'running' | 'queue' | 'history';
export interface GroupNode { readonly kind: 'group'; readonly group: GroupKind }
/** `position`: a queue row's place in the queue (1-based), as of the last time the group was listed. */
export interface JobNode { readonly kind: 'job'; readonly group: GroupKind; job: Job; position?: number }
/** The last row of a paged group: loads the next page. */
export interface MoreNode { readonly kind: 'more'; readonly group: 'queue' | 'history'; readonly remaining: number }
export type TreeNode = GroupNode | JobNode | MoreNode;

export function isJobNode(node: unknown): node is JobNode {
  return typeof node === 'object' && node !== null && (node as TreeNode).kind === 'job';
}

/** What a job row stands for: the queued job, its current run, or one finished run of the history. */
export function nodeRow(node: JobNode): JobRow {
  return { kind: node.group === 'queue' ? 'queued' : node.group === 'running' ? 'running' : 'finished', job: node.job };
}
