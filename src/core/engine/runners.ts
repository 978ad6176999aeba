// The backends a queue runs its jobs on, chosen per job by its spec (`runOn`): a local runner always,
// a Slurm runner when the host has one. The engine asks here and knows nothing else of where a job
// runs: checks, starts, finding runs again, pausing — all go to the job's own backend.
import { backendOf, shellOf, type Job } from '../model';
import type { BackendName, JobExecution, JobRunner, LocateResult, StartRequest } from '../runner/types';

/** Stands in for a backend this host does not have: nothing starts on it, and its runs are not judged. */
class MissingBackend implements JobRunner {
  readonly canPauseJobs = false;
  readonly startsHeld = true;
  constructor(readonly backend: BackendName) {}

  checkCanStart(): string {
    return `Could not start: this job runs on ${this.backend === 'slurm' ? 'Slurm, which is not set up here (setting jobQueue.slurm.enabled)' : this.backend}.`;
  }

  start(): JobExecution {
    throw new Error(this.checkCanStart());
  }

  reattach(): LocateResult {
    return { kind: 'unknown', reason: `no ${this.backend} backend is set up in this window to look for it` };
  }
}

export class Runners {
  private readonly byBackend = new Map<BackendName, JobRunner>();

  constructor(local: JobRunner, others: readonly JobRunner[] = []) {
    // The first runner serves local jobs whatever it says it is (tests give a fake one).
    this.byBackend.set('local', local);
    for (const runner of others) this.byBackend.set(runner.backend, runner);
  }

  get local(): JobRunner {
    return this.byBackend.get('local')!;
  }

  /** The backend a job's spec names (a stand-in that refuses, when this host has none). */
  for(job: Pick<Job, 'spec'>): JobRunner {
    const name = backendOf(job.spec);
    return this.byBackend.get(name) ?? new MissingBackend(name);
  }

  all(): JobRunner[] {
    return [...this.byBackend.values()];
  }

  start(job: Job, shell: string, waitsFor?: StartRequest['waitsFor']): JobExecution {
    const request: StartRequest = { jobId: job.id, attempt: job.attempt, spec: job.spec, logPath: job.logPath!, shell: shellOf(job.spec, shell), ...(waitsFor ? { waitsFor } : {}) };
    return this.for(job).start(request);
  }
}
