// Recovery as a pure function: from the snapshot and the history log, what is queued, what was
// running, what is in the history and which inbox requests were already taken. No I/O, no clocks:
// what to do about the running jobs (adopt, record their end, interrupt) is decided afterwards by
// looking at them, never here.
import { isActive, type HistoryEvent, type Job, type LaneState, type QueueSnapshot } from './model';

/** Changes to how a queued job waits: it keeps its place in the queue. */
const SCHEDULING_EVENTS: ReadonlySet<HistoryEvent['type']> = new Set(['held', 'released', 'dependenciesChanged', 'startTimeChanged']);

export interface RecoveredState {
  queued: Job[];
  /** Jobs the records say are running: confirmed (`run` set) or only intended (`starting`). */
  running: Job[];
  /** Finished runs since the last history clear, oldest first. */
  finished: Job[];
  nextId: number;
  autoRun: boolean;
  paused: boolean;
  /** Lanes' own flags (paused), by name. */
  lanes: Record<string, LaneState>;
  /** Inbox requests already enqueued (a request is never enqueued twice). */
  takenRequests: Set<string>;
}

/**
 * `replayFrom`: the seq the snapshot includes; 0 replays the whole log (the snapshot is damaged, or
 * the log was renumbered and its seqs no longer line up with the snapshot's).
 */
export function recoverState(snapshot: QueueSnapshot, events: readonly HistoryEvent[], replayFrom: number): RecoveredState {
  let nextId = snapshot.nextId;
  // Keyed by id, in queue order (a Map keeps insertion order): replay stays linear in the log.
  const queued = new Map<string, Job>(snapshot.queued.map((j) => [j.id, { ...j, status: 'queued' }]));
  const running = new Map(snapshot.running.map((j) => [j.id, j]));
  const takenRequests = new Set<string>();
  for (const job of [...snapshot.queued, ...snapshot.running]) if (job.requestId) takenRequests.add(job.requestId);
  let cleared = 0;
  events.forEach((event, index) => {
    if (event.type === 'historyCleared') cleared = index + 1;
  });
  const finished: Job[] = [];
  for (const [index, event] of events.entries()) {
    const job = event.job;
    if (!job) continue;
    nextId = Math.max(nextId, numericId(job.id) + 1);
    if (job.requestId) takenRequests.add(job.requestId);
    if (index >= cleared && event.type === 'finished') finished.push(job);
    if (event.seq <= replayFrom) continue;
    // A queued job whose scheduling changed (held, released, dependencies, start time) keeps its place.
    if (SCHEDULING_EVENTS.has(event.type) && queued.has(job.id)) {
      queued.set(job.id, job);
      continue;
    }
    queued.delete(job.id);
    running.delete(job.id);
    if (isActive(job.status)) running.set(job.id, job);
    else if (job.status === 'queued' && event.type !== 'removed') queued.set(job.id, job);
  }
  return {
    queued: [...queued.values()],
    running: [...running.values()],
    finished,
    nextId,
    autoRun: snapshot.autoRun,
    paused: snapshot.paused,
    lanes: { ...snapshot.lanes },
    takenRequests,
  };
}

function numericId(id: string): number {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : 0;
}
