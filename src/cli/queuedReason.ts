// Why a queued job waits, read from the queue's snapshot (the terminal command has no engine): the
// engine's own rules (whyWaits) over what the snapshot says — flags, lanes' pauses, the running and
// queued jobs (a dependency no longer among them has finished, as for the engine when the history
// was trimmed) — and the shared sentence (core/queuedWait.ts). Lanes' slots live in VS Code's
// settings, which the files do not hold: a full lane reads as "its turn" here.
import { laneOf, whyWaits, type LaneUse, type SchedulingView } from '../core/engine/scheduling';
import { backendOf, type Job, type QueueSnapshot } from '../core/model';
import { queuedWaitText, type QueueFlags } from '../core/queuedWait';

export function schedulingViewOf(snapshot: QueueSnapshot, now: number): SchedulingView {
  const lanes = new Map<string, LaneUse>();
  const lane = (name: string): LaneUse => {
    let use = lanes.get(name);
    if (!use) lanes.set(name, (use = { slots: Number.POSITIVE_INFINITY, paused: snapshot.lanes?.[name]?.paused ?? false, running: 0 }));
    return use;
  };
  for (const job of snapshot.queued) lane(laneOf(job));
  for (const job of snapshot.running) if (backendOf(job.spec) !== 'slurm') lane(laneOf(job)).running++;
  const byId = new Map<string, Job>();
  for (const job of [...snapshot.queued, ...snapshot.running]) byId.set(job.id, job);
  return { now, paused: snapshot.paused, lanes, cluster: { slots: Number.POSITIVE_INFINITY, running: 0 }, lookup: (id) => byId.get(id) };
}

/** The sentence for `job` as the history log has it now (it is queued), in the queue the snapshot shows. */
export function queuedReason(snapshot: QueueSnapshot, job: Job, owner: QueueFlags['owner'], now = Date.now()): string {
  return queuedWaitText(job, whyWaits(job, schedulingViewOf(snapshot, now)), { autoRun: snapshot.autoRun, owner });
}
