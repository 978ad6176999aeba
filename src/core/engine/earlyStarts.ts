// Jobs started ahead of the jobs they wait for: a Slurm job whose dependencies are Slurm jobs already
// submitted goes to Slurm at once with --dependency, and Slurm starts it when they end. Pure rules:
// when that is allowed, what the backend must wait for, and which such runs must be pulled back when
// a dependency's run no longer stands (it failed, or it went back to our queue).
import { backendOf, type Job, type RunHandle } from '../model';
import type { StartRequest } from '../runner/types';
import type { EndIntent } from '../lifecycle';
import { dependencyFailureMessage, dependencyState } from './dependencyState';

/**
 * A Slurm job may be submitted before the jobs it waits for end when every one of them is a Slurm
 * job already submitted: Slurm itself holds it (`--dependency=afterok|afterany`), so the chain is
 * planned by the cluster and starts without a poll's delay. A dependency still in our queue, or one
 * running on this machine, keeps it in our queue.
 */
export function submittableEarly(job: Job, waitingOn: readonly string[], lookup: (id: string) => Job | undefined): boolean {
  if (backendOf(job.spec) !== 'slurm') return false;
  return waitingOn.every((id) => {
    const dep = lookup(id);
    return dep !== undefined && (dep.status === 'running' || dep.status === 'paused') && backendOf(dep.spec) === 'slurm' && dep.run !== undefined;
  });
}

/**
 * What a job started ahead of its dependencies must have its backend wait for: their runs (by
 * `handleOf`, the freshest handle) and the condition; undefined for a job whose dependencies ended.
 */
export function dependencyWait(job: Job, lookup: (id: string) => Job | undefined, handleOf: (dep: Job) => RunHandle): StartRequest['waitsFor'] {
  if (!job.after) return undefined;
  const deps = dependencyState(job.after, lookup);
  if (deps.kind !== 'waiting') return undefined;
  const runs = deps.on.map(lookup).filter((dep): dep is Job => dep !== undefined).map(handleOf);
  return { condition: job.after.condition, runs };
}

/** Whether a queued job waits for one of the Slurm jobs just started (it may be submitted now too). */
export function mayStartMoreEarly(started: readonly Job[], queued: readonly Job[]): boolean {
  const submitted = new Set(started.filter((job) => backendOf(job.spec) === 'slurm').map((job) => job.id));
  return submitted.size > 0 && queued.some((job) => backendOf(job.spec) === 'slurm' && job.after?.ids.some((id) => submitted.has(id)));
}

/** A run started ahead of its dependencies that cannot stand as submitted, and what to do with it. */
export interface PullBack {
  job: Job;
  intent: Exclude<EndIntent, 'cancel' | undefined>;
}

/**
 * Running jobs that were started ahead of their dependencies and whose wait can no longer be met as
 * submitted: a dependency back in our queue (its Slurm job was cancelled; this one must wait for its
 * next run) → back to the queue; an after-success dependency that failed → failed, saying which.
 */
export function runsToPullBack(running: readonly Job[], lookup: (id: string) => Job | undefined): PullBack[] {
  const pulled: PullBack[] = [];
  for (const job of running) {
    if (!job.after) continue;
    if (job.after.ids.some((id) => lookup(id)?.status === 'queued')) {
      pulled.push({ job, intent: 'cancelAndRequeue' });
      continue;
    }
    const deps = dependencyState(job.after, lookup);
    if (deps.kind === 'failed') pulled.push({ job, intent: { kind: 'dependencyFailed', reason: dependencyFailureMessage(deps.on, deps.status) } });
  }
  return pulled;
}
