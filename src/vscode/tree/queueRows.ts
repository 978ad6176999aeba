// The Queue group's rows, without VS Code (the unit tests list them from a real engine): with one
// lane, the queue in order, a page at a time — exactly as before lanes; with more than one lane
// configured, one sub-group per lane (`gpu · 1 of 1 slot busy · paused · 3 queued`) holding that
// lane's queued jobs in queue order, each lane paged on its own.
//
// At scale: the one-lane path reads a page (getQueuedPage), never the whole queue; with lanes, listing
// the Queue counts each lane's jobs in one pass and listing a lane reads the queue once more — a
// few passes over 10,000 jobs per refresh of the group, never per event.
import { DEFAULT_LANE, type Job, type JobService, type LaneView } from '../../core';
import { syncNodes, type JobNode, type LaneNode, type MoreNode } from './nodes';

export const QUEUE_PAGE = 100;

export type QueueSource = Pick<JobService, 'getLanes' | 'getQueuedPage' | 'getCounts'>;

/** `1 of 2 slots busy · paused` — a lane's use, as its group and the lane picker say it. */
export function laneUse(lane: LaneView): string {
  return `${lane.running} of ${lane.slots} slot${lane.slots === 1 ? '' : 's'} busy${lane.paused ? ' · paused' : ''}`;
}

/** A lane group's description: its use (or that it is not configured) and its queued count. */
export function laneDescription(node: LaneNode): string {
  return [node.view ? laneUse(node.view) : 'not configured (jobQueue.lanes)', `${node.queued} queued`].join(' · ');
}

/** A lane group's capability tokens: `lane pausablelane` or `lane resumablelane` (an unconfigured lane: neither). */
export function laneContextValue(node: LaneNode): string {
  return ['lane', ...(node.view ? [node.view.paused ? 'resumablelane' : 'pausablelane'] : [])].join(' ');
}

function laneOf(job: Job): string {
  return job.lane ?? DEFAULT_LANE;
}

export class QueueRows {
  private flatShown = QUEUE_PAGE;
  private readonly laneShown = new Map<string, number>();
  /** Rows by id: the flat list's, and each lane's (a row is the same node across refreshes). */
  private readonly flat = new Map<string, JobNode>();
  private readonly byLane = new Map<string, Map<string, JobNode>>();
  private readonly lanes = new Map<string, LaneNode>();

  constructor(private readonly service: QueueSource) {}

  /** Whether the Queue shows lanes: more than one lane configured. */
  showsLanes(): boolean {
    return this.service.getLanes().length > 1;
  }

  /** The Queue group's children: its first rows (and "Show more…"), or its lanes. */
  children(): Array<JobNode | LaneNode | MoreNode> {
    const configured = this.service.getLanes();
    if (configured.length <= 1) {
      this.byLane.clear();
      this.lanes.clear();
      const page = syncNodes(this.flat, this.service.getQueuedPage(0, this.flatShown), 'queue');
      page.forEach((row, index) => (row.position = index + 1));
      const remaining = this.service.getCounts().queued - page.length;
      return remaining > 0 ? [...page, { kind: 'more', group: 'queue', remaining }] : page;
    }
    this.flat.clear();
    const counts = new Map<string, number>(configured.map((lane) => [lane.name, 0]));
    for (const job of this.allQueued()) counts.set(laneOf(job), (counts.get(laneOf(job)) ?? 0) + 1);
    const views = new Map(configured.map((lane) => [lane.name, lane]));
    const nodes = [...counts].map(([name, queued]) => {
      const node = this.lanes.get(name) ?? { kind: 'lane' as const, lane: name, view: undefined, queued: 0 };
      node.view = views.get(name);
      node.queued = queued;
      this.lanes.set(name, node);
      return node;
    });
    for (const name of this.lanes.keys()) if (!counts.has(name)) this.lanes.delete(name);
    return nodes;
  }

  /** A lane's queued jobs in queue order (their positions are their places in the whole queue), a page at a time. */
  laneChildren(node: LaneNode): Array<JobNode | MoreNode> {
    const shown = this.laneShown.get(node.lane) ?? QUEUE_PAGE;
    const page: Job[] = [];
    const positions: number[] = [];
    let total = 0;
    this.allQueued().forEach((job, index) => {
      if (laneOf(job) !== node.lane) return;
      total++;
      if (page.length < shown) {
        page.push(job);
        positions.push(index + 1);
      }
    });
    const map = this.byLane.get(node.lane) ?? new Map<string, JobNode>();
    this.byLane.set(node.lane, map);
    const rows = syncNodes(map, page, 'queue', node.lane);
    rows.forEach((row, i) => (row.position = positions[i]));
    const remaining = total - rows.length;
    return remaining > 0 ? [...rows, { kind: 'more', group: 'queue', remaining, lane: node.lane }] : rows;
  }

  /** The lane group a lane's rows are listed under (as last listed). */
  laneNode(name: string): LaneNode | undefined {
    return this.lanes.get(name);
  }

  /** The row shown for a queued job, if it is on a page now. */
  node(id: string): JobNode | undefined {
    const flat = this.flat.get(id);
    if (flat) return flat;
    for (const map of this.byLane.values()) {
      const node = map.get(id);
      if (node) return node;
    }
    return undefined;
  }

  /** Whether this very node is still listed (a row dropped from its page is not refreshed alone). */
  isShown(node: JobNode): boolean {
    return (node.lane !== undefined ? this.byLane.get(node.lane) : this.flat)?.get(node.job.id) === node;
  }

  /** The next page of the queue, or of one lane. */
  showMore(lane?: string): void {
    if (lane === undefined) this.flatShown += QUEUE_PAGE;
    else this.laneShown.set(lane, (this.laneShown.get(lane) ?? QUEUE_PAGE) + QUEUE_PAGE);
  }

  /** How many rows of the queue are shown (where a drop on "Show more…" lands). */
  get shown(): number {
    return this.flatShown;
  }

  private allQueued(): Job[] {
    return this.service.getQueuedPage(0, this.service.getCounts().queued);
  }
}
