// Where a queued job's dependencies stand, read from their latest runs: what scheduling (may it
// start?) and early starts (may it be submitted ahead, with Slurm's --dependency?) both ask.
import { isFinished, type After, type Job, type JobStatus } from '../model';

export type DependencyState =
  | { kind: 'satisfied' }
  | { kind: 'waiting'; on: string[] }
  | { kind: 'failed'; on: string; status: JobStatus };

/**
 * A dependency is satisfied by its latest finished run: completed (`success`), any end (`any`). One
 * that is queued or running (also back in the queue after a run) is not yet. One no longer known
 * (the history was cleared or trimmed) finished in a way that satisfied it: had it failed, its
 * after-success dependents would have left the queue with it.
 */
export function dependencyState(after: After, lookup: (id: string) => Job | undefined): DependencyState {
  const waiting: string[] = [];
  for (const id of after.ids) {
    const job = lookup(id);
    if (!job) continue;
    if (!isFinished(job.status)) waiting.push(id);
    else if (after.condition === 'success' && job.status !== 'completed') return { kind: 'failed', on: id, status: job.status };
  }
  return waiting.length > 0 ? { kind: 'waiting', on: waiting } : { kind: 'satisfied' };
}

const ENDED: Partial<Record<JobStatus, string>> = { failed: 'failed', cancelled: 'was cancelled', interrupted: 'was interrupted' };

/** How a dependency ended badly, in words ("Job #12 failed", "… was cancelled"). */
export function endedBadly(status: JobStatus): string {
  return ENDED[status] ?? status;
}

/** "needs Job #12, which failed": why an after-success dependent left the queue. */
export function dependencyFailureMessage(on: string, status: JobStatus): string {
  return `needs Job #${on}, which ${endedBadly(status)}`;
}
