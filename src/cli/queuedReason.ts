// Why a queued job waits, read from the queue's files (the terminal command has no engine): the
// engine's own rules (whyWaits) over what the files say — flags, lanes' pauses, the running and
// queued jobs — and the shared sentence (core/queuedWait.ts). Lanes' slots live in VS Code's
// settings, which the files do not hold: a full lane reads as "its turn" here.
import { laneOf, whyWaits, type LaneUse, type SchedulingView } from '../core/engine/scheduling';
import { backendOf, type Job } from '../core/model';
import { queuedWaitText } from '../core/queuedWait';
import type { QueueView } from './queueFolder';

export function schedulingViewOf(view: QueueView, now: number): SchedulingView {
  const lanes = new Map<string, LaneUse>();
  const lane = (name: string): LaneUse => {
    let use = lanes.get(name);
    if (!use) lanes.set(name, (use = { slots: Number.POSITIVE_INFINITY, paused: view.lanes[name]?.paused ?? false, running: 0 }));
    return use;
  };
  for (const job of view.queued) lane(laneOf(job));
  for (const job of view.running) if (backendOf(job.spec) !== 'slurm') lane(laneOf(job)).running++;
  const byId = new Map<string, Job>();
  for (const job of [...view.finished, ...view.queued, ...view.running]) byId.set(job.id, job);
  return { now, paused: view.paused, lanes, cluster: { slots: Number.POSITIVE_INFINITY, running: 0 }, lookup: (id) => byId.get(id) };
}

/** The sentence for a queued job (undefined when it is not queued). */
export function queuedReason(view: QueueView, id: string, ownerRuns: boolean, now = Date.now()): string | undefined {
  const job = view.queued.find((j) => j.id === id);
  if (!job) return undefined;
  return queuedWaitText(job, whyWaits(job, schedulingViewOf(view, now)), { autoRun: view.autoRun, ownerRuns });
}
