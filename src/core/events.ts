// Everything JobService tells its views. Views render these; they never poll.
import type { Job, Progress } from './model';
import type { QueueRole } from './ownership/role';
import type { LaneView } from './engine/scheduling';

export type JobServiceEvent =
  /** A job was added to the queue, changed status, or changed any field (pending, attempt...). */
  | { type: 'jobChanged'; job: Job }
  /** A job left the queue without running (removed, cancelled while queued). */
  | { type: 'jobRemoved'; jobId: string }
  /** Queue order changed (enqueue, move, dispatch, return): `queued` jobs now; views read the page they show (getQueuedPage). */
  | { type: 'queueChanged'; queued: number }
  /** A run finished and was added to the history (newest first). */
  | { type: 'historyAdded'; entry: Job }
  | { type: 'historyCleared' }
  | { type: 'flagsChanged'; autoRun: boolean; paused: boolean }
  /** A lane was paused or resumed, or the lanes' settings changed: every lane as it is now. */
  | { type: 'lanesChanged'; lanes: LaneView[] }
  /** Progress or ETA of a running job moved (throttled). */
  | { type: 'progress'; jobId: string; progress: Progress }
  /** New output lines of a running job (throttled; `tail` is the bounded last lines). */
  | { type: 'output'; jobId: string; tail: string[] }
  /** Something on disk was wrong and was recovered from; `backupPath` keeps the bad copy. */
  | { type: 'storeWarning'; message: string; backupPath?: string }
  /** What the backend shows about a run changed (a Slurm job's state, reason, node): see getRunDetails. */
  | { type: 'runDetailsChanged'; jobId: string }
  /** A job found running after a restart is watched again. */
  | { type: 'jobAdopted'; job: Job }
  /** This host became the queue's owner or a follower of another window (see JobService.role). */
  | { type: 'roleChanged'; role: QueueRole }
  /** A follower re-read the owner's files: views re-render everything from the service. */
  | { type: 'reloaded' };

export type JobServiceEventType = JobServiceEvent['type'];
export type JobServiceListener = (event: JobServiceEvent) => void;

export interface Disposable {
  dispose(): void;
}
