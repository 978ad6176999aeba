// The engine depends only on the runner port: with fake backends (no process, no file of their own)
// every rule still holds — a run's end is judged by its typed kind, never by its message; a job
// goes to the backend its spec names; nothing starts before its intent is durable; recovery asks
// the job's own backend and does what its answer says.
import * as assert from 'node:assert/strict';
import type { Job, JobSpec, RunHandle } from '../../src/core/model';
import type { BackendName, JobExecution, JobRunner, LocateResult, RunDetails, RunExit, StartRequest } from '../../src/core/runner/types';
import { eventually, historyEvents, openService, queuedIds, tempDir, waitForStatus } from './helpers';

/** A run that exists only in memory; the test ends it with the RunExit it chooses. */
class FakeExecution implements JobExecution {
  readonly exited: Promise<RunExit>;
  end!: (exit: RunExit) => void;
  released = false;
  abandoned = false;
  constructor(readonly handle: RunHandle, private readonly detailText?: RunDetails) {
    this.exited = new Promise((resolve) => (this.end = resolve));
  }
  pause(): void {}
  resume(): void {}
  async terminate(): Promise<void> {
    this.end({ kind: 'signalled', signal: 'SIGTERM', finishedAt: Date.now() });
  }
  detach(): void {}
  release(): void {
    this.released = true;
  }
  abandon(): boolean {
    if (this.released) return false;
    this.abandoned = true;
    return true;
  }
  details(): RunDetails | undefined {
    return this.detailText;
  }
}

class FakeRunner implements JobRunner {
  readonly canPauseJobs = true;
  readonly startsHeld = true;
  readonly started: Array<{ request: StartRequest; execution: FakeExecution; durableIntent: boolean }> = [];
  refuse: string | undefined;
  /** What reattach() answers for a handle, by the job id it carries. */
  fates = new Map<string, LocateResult>();
  constructor(readonly backend: BackendName, private readonly storageDir: string) {}

  checkCanStart(_spec: JobSpec): string | undefined {
    return this.refuse;
  }

  start(request: StartRequest): JobExecution {
    // Record before you act: the `starting` intent is already in the history file when a backend is asked.
    const durableIntent = historyEvents(this.storageDir).some((e) => e.type === 'starting' && e.job?.id === request.jobId);
    const execution = new FakeExecution({ kind: `fake-${this.backend}`, jobId: request.jobId }, { summary: `${this.backend} run of #${request.jobId}`, fields: [] });
    this.started.push({ request, execution, durableIntent });
    return execution;
  }

  reattach(handle: RunHandle): LocateResult {
    return this.fates.get(String(handle.jobId)) ?? { kind: 'unknown', reason: 'the fake backend lost it' };
  }
}

async function untilStarted(runner: FakeRunner, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (runner.started.length < count || !runner.started.slice(0, count).every((s) => s.execution.released)) {
    if (Date.now() > deadline) throw new Error(`expected ${count} released runs, saw ${runner.started.length}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('engine: only the runner port', () => {
  it('judges a run\'s end by its typed kind, never by its message', async () => {
    const storageDir = tempDir();
    const local = new FakeRunner('local', storageDir);
    const service = await openService({ storageDir, runner: local, maxParallelJobs: 4 });
    const ids = ['exited 0', 'exited 3', 'signalled', 'failed to start', 'unknown'].map((label) => service.enqueue({ command: 'x', label }).id);
    service.setAutoRun(true);
    await untilStarted(local, 4);
    const ends: RunExit[] = [
      { kind: 'exited', exitCode: 0, finishedAt: Date.now() },
      { kind: 'exited', exitCode: 3, finishedAt: Date.now() },
      { kind: 'signalled', signal: 'SIGKILL', finishedAt: Date.now() },
      // A message that does not begin with "Could not start" still fails the job: its kind says so.
      { kind: 'failedToStart', reason: 'Slurm refused the job: invalid partition', finishedAt: Date.now() },
    ];
    ends.forEach((exit, i) => local.started[i].execution.end(exit));
    await untilStarted(local, 5);
    local.started[4].execution.end({ kind: 'unknown', reason: 'Could not start-ish words, but the end is unknown', finishedAt: Date.now() });
    const [ok, three, killed, refused, lost] = await Promise.all(ids.map((id, i) => waitForStatus(service, id, (['completed', 'failed', 'failed', 'failed', 'interrupted'] as const)[i])));
    assert.equal(ok.exitCode, 0);
    assert.equal(three.exitCode, 3);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(refused.error, 'Slurm refused the job: invalid partition');
    assert.equal(lost.error, 'Could not start-ish words, but the end is unknown');
    assert.ok(local.started.every((s) => s.durableIntent), 'every start was asked for only after its intent was in the history');
  });

  it('sends each job to the backend its spec names, and refuses one whose backend is missing', async () => {
    const storageDir = tempDir();
    const local = new FakeRunner('local', storageDir);
    const slurm = new FakeRunner('slurm', storageDir);
    const service = await openService({ storageDir, runner: local, backends: [slurm], maxParallelJobs: 2 });
    const here = service.enqueue({ command: 'make' }).id;
    const there = service.enqueue({ command: 'train', runOn: { kind: 'slurm', options: { partition: 'gpu' } } }).id;
    service.setAutoRun(true);
    await untilStarted(slurm, 1);
    await untilStarted(local, 1);
    assert.deepEqual(local.started.map((s) => s.request.jobId), [here]);
    assert.deepEqual(slurm.started.map((s) => s.request.jobId), [there]);
    assert.deepEqual(slurm.started[0].request.spec.runOn, { kind: 'slurm', options: { partition: 'gpu' } });
    assert.equal(service.getRunDetails(there)?.summary, `slurm run of #${there}`, 'what the backend shows reaches the views');

    const alone = await openService({ runner: new FakeRunner('local', tempDir()) });
    const orphan = alone.enqueue({ command: 'train', runOn: { kind: 'slurm' } }).id;
    alone.setAutoRun(true);
    const failed = await waitForStatus(alone, orphan, 'failed');
    assert.match(failed.error ?? '', /Slurm, which is not set up here/);
  });

  it('a backend that refuses a job fails it at once with the backend\'s sentence, and starts nothing', async () => {
    const storageDir = tempDir();
    const local = new FakeRunner('local', storageDir);
    local.refuse = 'Could not start: sbatch was not found on PATH';
    const service = await openService({ storageDir, runner: local });
    const id = service.enqueue({ command: 'x' }).id;
    service.setAutoRun(true);
    const failed = await waitForStatus(service, id, 'failed');
    assert.equal(failed.error, 'Could not start: sbatch was not found on PATH');
    assert.equal(local.started.length, 0);
  });

  it('on reopen, asks the job\'s own backend and does what it answers: adopt, finish, or queue again unchanged', async () => {
    const storageDir = tempDir();
    const first = new FakeRunner('local', storageDir);
    const firstSlurm = new FakeRunner('slurm', storageDir);
    const service = await openService({ storageDir, runner: first, backends: [firstSlurm], maxParallelJobs: 3 });
    const adopted = service.enqueue({ command: 'a', runOn: { kind: 'slurm' } }).id;
    const ended = service.enqueue({ command: 'b', runOn: { kind: 'slurm' } }).id;
    const never = service.enqueue({ command: 'c' }).id;
    service.setAutoRun(true);
    await untilStarted(firstSlurm, 2);
    await untilStarted(first, 1);
    service.setAutoRun(false); // so that reopening starts nothing by itself
    await service.dispose(); // runs go on without a host

    const local = new FakeRunner('local', storageDir);
    const slurm = new FakeRunner('slurm', storageDir);
    const still = new FakeExecution({ kind: 'fake-slurm', jobId: adopted });
    slurm.fates.set(adopted, { kind: 'running', execution: still });
    slurm.fates.set(ended, { kind: 'finished', exit: { kind: 'exited', exitCode: 7, finishedAt: Date.now() } });
    local.fates.set(never, { kind: 'neverStarted' });
    const reopened = await openService({ storageDir, runner: local, backends: [slurm], maxParallelJobs: 3 });
    assert.equal(reopened.getJob(adopted)?.status, 'running');
    const finished: Job | undefined = reopened.getJob(ended);
    assert.equal(finished?.status, 'failed');
    assert.equal(finished?.exitCode, 7);
    const back = reopened.getJob(never);
    assert.equal(back?.status, 'queued');
    assert.equal(back?.attempt, 0, 'never started: its attempt is not counted');
    assert.equal(local.started.length + slurm.started.length, 0, 'nothing was started again on reopen');
    still.end({ kind: 'exited', exitCode: 0, finishedAt: Date.now() });
    await waitForStatus(reopened, adopted, 'completed');
  });

  it('a Slurm job whose dependencies are submitted Slurm jobs goes to Slurm at once, told what to wait for', async () => {
    const storageDir = tempDir();
    const local = new FakeRunner('local', storageDir);
    const slurm = new FakeRunner('slurm', storageDir);
    const service = await openService({ storageDir, runner: local, backends: [slurm], maxParallelJobs: 2 });
    const onSlurm = { kind: 'slurm' as const };
    const first = service.enqueue({ command: 'prepare', runOn: onSlurm }).id;
    const then = service.enqueue({ command: 'train', runOn: onSlurm }, { after: { ids: [first] } }).id;
    const here = service.enqueue({ command: 'report' }, { after: { ids: [first] } }).id;
    service.setAutoRun(true);
    await untilStarted(slurm, 2);
    assert.deepEqual(slurm.started.map((s) => s.request.jobId), [first, then], 'the dependent was submitted while its dependency runs');
    assert.deepEqual(slurm.started[1]!.request.waitsFor, { condition: 'success', runs: [slurm.started[0]!.execution.handle] });
    assert.equal(slurm.started[0]!.request.waitsFor, undefined);
    assert.equal(local.started.length, 0, 'a local job waits in our queue: only Slurm can hold a job for another');
    assert.equal(service.getJob(here)?.status, 'queued');
    slurm.started[0]!.execution.end({ kind: 'exited', exitCode: 0, finishedAt: Date.now() });
    await untilStarted(local, 1);
    slurm.started[1]!.execution.end({ kind: 'exited', exitCode: 0, finishedAt: Date.now() });
    await waitForStatus(service, then, 'completed');
  });

  it('an early-submitted dependent fails with the reason when its dependency fails, and goes back to the queue when its dependency does', async () => {
    const storageDir = tempDir();
    const slurm = new FakeRunner('slurm', storageDir);
    const service = await openService({ storageDir, runner: new FakeRunner('local', storageDir), backends: [slurm] });
    const onSlurm = { kind: 'slurm' as const };
    const a = service.enqueue({ command: 'a', runOn: onSlurm }).id;
    const b = service.enqueue({ command: 'b', runOn: onSlurm }, { after: { ids: [a] } }).id;
    service.setAutoRun(true);
    await untilStarted(slurm, 2);
    slurm.started[0]!.execution.end({ kind: 'exited', exitCode: 4, finishedAt: Date.now() });
    const failed = await waitForStatus(service, b, 'failed');
    assert.equal(failed.error, `needs Job #${a}, which failed`);
    assert.equal(failed.signal, undefined, 'its own end (cancelled by us) is not the reason shown');

    const c = service.enqueue({ command: 'c', runOn: onSlurm }).id;
    const d = service.enqueue({ command: 'd', runOn: onSlurm }, { after: { ids: [c], condition: 'any' } }).id;
    await untilStarted(slurm, 4);
    service.setAutoRun(false);
    // c's Slurm job is cancelled and c waits in our queue again: d's --dependency names a job that
    // will never run, so d comes back too, to wait for c's next run.
    await service.cancelAndRequeue(c);
    await eventually(() => service.getJob(d)?.status === 'queued', 'the dependent back in the queue');
    // d came back first (before c's Slurm job was cancelled, so Slurm's afterany could not start it),
    // then c went to the bottom, as a job returned to the queue does; d waits for it wherever it stands.
    assert.deepEqual(queuedIds(service), [d, c]);
    assert.deepEqual(service.getWaitReason(d), { kind: 'waiting', on: [c] });
  });
});
