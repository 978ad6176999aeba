// "Can this queued job start now, and if not, why?" — pure functions, no I/O, no clocks (the time is
// passed in). Dispatch, Send Job, the refusals and (later) the views all ask here, so a job's wait
// has one explanation everywhere: held, waiting for Job #3, not before 02:00, its lane paused or full.
import { dependencyFailed } from '../lifecycle';
import { DEFAULT_LANE, backendOf, isFinished, type After, type Hold, type Job, type JobStatus } from '../model';
import { dependencyFailureMessage, dependencyState, endedBadly } from './dependencyState';
import { submittableEarly } from './earlyStarts';

/** Why a queued job does not start now (`ready`: it would, given a free slot and auto-run or Send Job). */
export type WaitReason =
  | { kind: 'ready' }
  /** A job it needs to succeed did not: it leaves the queue as failed (never waits forever). */
  | { kind: 'dependencyFailed'; on: string; status: JobStatus; message: string }
  | { kind: 'held'; hold: Hold }
  /** Jobs it waits for that are still queued or running. */
  | { kind: 'waiting'; on: string[] }
  | { kind: 'notBefore'; at: number }
  | { kind: 'queuePaused' }
  /** Its lane is not configured (e.g. removed from the settings): it waits until it is. */
  | { kind: 'noLane'; lane: string }
  | { kind: 'lanePaused'; lane: string }
  | { kind: 'laneFull'; lane: string; slots: number }
  /** A Slurm job: as many of the queue's jobs are on the cluster as `jobQueue.slurm.maxJobs` allows. */
  | { kind: 'clusterFull'; slots: number };

/** One lane as dispatch sees it. */
export interface LaneUse {
  slots: number;
  paused: boolean;
  running: number;
}

/** A lane as views show it. */
export interface LaneView extends LaneUse {
  name: string;
}

/** How many of the queue's jobs may be on the Slurm cluster at once, and how many are. */
export interface ClusterUse {
  slots: number;
  running: number;
}

/**
 * What the rules read: the time, the flags, the lanes, the cluster, and any job by id. A lane's
 * slots count the jobs running on this machine; a Slurm job takes a cluster slot instead (the
 * cluster has its own capacity), but its lane's pause still holds it.
 */
export interface SchedulingView {
  now: number;
  paused: boolean;
  lanes: ReadonlyMap<string, LaneUse>;
  cluster: ClusterUse;
  /** The job as it is now: queued, running, else its latest finished run; undefined when not known. */
  lookup(id: string): Job | undefined;
}

export function laneOf(job: Pick<Job, 'lane'>): string {
  return job.lane ?? DEFAULT_LANE;
}

/** Why `job` (queued) does not start now; lane capacity included. */
export function whyWaits(job: Job, view: SchedulingView): WaitReason {
  if (job.after) {
    const deps = dependencyState(job.after, view.lookup);
    if (deps.kind === 'failed') return { kind: 'dependencyFailed', on: deps.on, status: deps.status, message: dependencyFailureMessage(deps.on, deps.status) };
  }
  if (job.hold) return { kind: 'held', hold: job.hold };
  if (job.after) {
    const deps = dependencyState(job.after, view.lookup);
    if (deps.kind === 'waiting' && !submittableEarly(job, deps.on, view.lookup)) return { kind: 'waiting', on: deps.on };
  }
  if (job.notBefore !== undefined && job.notBefore > view.now) return { kind: 'notBefore', at: job.notBefore };
  if (view.paused) return { kind: 'queuePaused' };
  const name = laneOf(job);
  const lane = view.lanes.get(name);
  if (!lane) return { kind: 'noLane', lane: name };
  if (lane.paused) return { kind: 'lanePaused', lane: name };
  if (backendOf(job.spec) === 'slurm') {
    return view.cluster.running >= view.cluster.slots ? { kind: 'clusterFull', slots: view.cluster.slots } : { kind: 'ready' };
  }
  if (lane.running >= lane.slots) return { kind: 'laneFull', lane: name, slots: lane.slots };
  return { kind: 'ready' };
}

/** Whether the job itself may start (not held, due, its dependencies satisfied), whatever the slots. */
export function isDue(job: Job, now: number, lookup: (id: string) => Job | undefined): boolean {
  if (job.hold || (job.notBefore !== undefined && job.notBefore > now)) return false;
  if (!job.after) return true;
  const deps = dependencyState(job.after, lookup);
  return deps.kind === 'satisfied' || (deps.kind === 'waiting' && submittableEarly(job, deps.on, lookup));
}

/** Where a job held for approval came from, as the user reads it: the calling extension's id, "the API" or "the terminal". */
export function approvalSource(source: string): string {
  if (source === 'api') return 'the API';
  if (source === 'terminal') return 'the terminal';
  return source;
}

/** A wait in plain words ("waits for Job #3"), for refusals and views. */
export function describeWait(reason: WaitReason): string {
  switch (reason.kind) {
    case 'ready': return 'ready to start';
    case 'dependencyFailed': return reason.message;
    case 'held': return reason.hold.by === 'user' ? 'held' : `held for approval (added by ${approvalSource(reason.hold.source)})`;
    case 'waiting': return `waits for ${reason.on.map((id) => `Job #${id}`).join(', ')}`;
    case 'notBefore': return `not before ${new Date(reason.at).toLocaleString()}`;
    case 'queuePaused': return 'the queue is paused';
    case 'noLane': return `its lane “${reason.lane}” is not configured (jobQueue.lanes)`;
    case 'lanePaused': return `its lane “${reason.lane}” is paused`;
    case 'laneFull': return `every slot of its lane “${reason.lane}” is busy`;
    case 'clusterFull': return `${reason.slots} of this queue's jobs are already on Slurm (jobQueue.slurm.maxJobs)`;
  }
}

export interface Round {
  /** The jobs to start now, in the order they start. */
  take: Job[];
  /** The earliest start time still ahead (a timer dispatches then). */
  nextDue: number | undefined;
  /** The jobs Send Job marked pending, in queue order (taken ones included). */
  pending: Job[];
}

/**
 * What one dispatch round starts: Send Job's pending jobs first, then (auto-run) the queue in order;
 * a job that cannot start (held, waiting, not due, its lane paused or full) is skipped without
 * holding up the jobs behind it. Each lane fills only its own free slots.
 */
export function pickRound(queued: readonly Job[], view: SchedulingView, autoRun: boolean): Round {
  let nextDue: number | undefined;
  const pending: Job[] = [];
  for (const job of queued) {
    if (job.notBefore !== undefined && job.notBefore > view.now && !job.hold && (nextDue === undefined || job.notBefore < nextDue)) nextDue = job.notBefore;
    if (job.pending) pending.push(job);
  }
  const take: Job[] = [];
  if (view.paused) return { take, nextDue, pending };
  const free = new Map<string, number>();
  const open = new Set<string>();
  for (const [name, lane] of view.lanes) {
    if (lane.paused) continue;
    open.add(name);
    if (lane.slots > lane.running) free.set(name, lane.slots - lane.running);
  }
  let clusterFree = Math.max(0, view.cluster.slots - view.cluster.running);
  const consider = (job: Job): void => {
    const lane = laneOf(job);
    if (backendOf(job.spec) === 'slurm') {
      if (clusterFree === 0 || !open.has(lane) || !isDue(job, view.now, view.lookup)) return;
      take.push(job);
      clusterFree--;
      return;
    }
    const slots = free.get(lane);
    if (!slots || !isDue(job, view.now, view.lookup)) return;
    take.push(job);
    if (slots === 1) free.delete(lane);
    else free.set(lane, slots - 1);
  };
  const full = () => free.size === 0 && clusterFree === 0;
  for (const job of pending) {
    if (full()) break;
    consider(job);
  }
  if (autoRun) {
    for (const job of queued) {
      if (full()) break;
      if (!job.pending) consider(job);
    }
  }
  return { take, nextDue, pending };
}

/**
 * Queued after-success jobs that can never run (a job they need failed, was cancelled or
 * interrupted, and is not queued or running again), down the chains: each with its reason.
 */
export function failedDependents(queued: readonly Job[], lookup: (id: string) => Job | undefined, now: number): Job[] {
  const waiting = queued.filter((j) => j.after?.condition === 'success');
  if (waiting.length === 0) return [];
  const failed = new Map<string, Job>();
  const see = (id: string) => failed.get(id) ?? lookup(id);
  let changed = true;
  while (changed) {
    changed = false;
    for (const job of waiting) {
      if (failed.has(job.id)) continue;
      const deps = dependencyState(job.after!, see);
      if (deps.kind !== 'failed') continue;
      failed.set(job.id, dependencyFailed(job, now, dependencyFailureMessage(deps.on, deps.status)));
      changed = true;
    }
  }
  return [...failed.values()];
}

/**
 * Why `after` cannot be given to job `selfId` (undefined: a new job), in plain words; undefined when
 * it can. Unknown ids, the job itself, a dependency that already failed an after-success wait, and
 * cycles through the queued jobs' own dependencies are refused.
 */
export function dependencyProblem(selfId: string | undefined, after: After, lookup: (id: string) => Job | undefined): string | undefined {
  for (const id of after.ids) {
    if (id === selfId) return `Job #${id} cannot wait for itself.`;
    const job = lookup(id);
    if (!job) return `There is no Job #${id} to wait for.`;
    if (after.condition === 'success' && isFinished(job.status) && job.status !== 'completed') {
      return `Job #${id} ${endedBadly(job.status)}: a job that waits for its success would never run. Retry it, or wait for any end.`;
    }
  }
  if (selfId === undefined) return undefined;
  const path = cycleThrough(selfId, after.ids, lookup);
  return path ? `Job #${selfId} cannot wait for Job #${path[0]}: that would make a cycle (${[selfId, ...path].map((id) => `#${id}`).join(' → ')}).` : undefined;
}

/** A path from one of `from` back to `target` through queued jobs' dependencies, if there is one. */
function cycleThrough(target: string, from: readonly string[], lookup: (id: string) => Job | undefined): string[] | undefined {
  const seen = new Set<string>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (id === target) return path;
    if (seen.has(id)) return undefined;
    seen.add(id);
    const job = lookup(id);
    if (!job || job.status !== 'queued' || !job.after) return undefined;
    for (const next of job.after.ids) {
      const found = visit(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  for (const id of from) {
    const found = visit(id, [id]);
    if (found) return found;
  }
  return undefined;
}
