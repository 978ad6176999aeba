// Surviving everything, on a real cluster: a host killed while its jobs are pending and running,
// a job that ends while no host watches and after Slurm forgot it, the controller gone mid-run.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Job, JobSpecInput } from '../../src/core/model';
import { openService, tempDir, waitForStatus } from '../unit/helpers';
import { controller, slurmState, sleep, submissionsByTag, testRunner, waitForDetails } from './slurmKit';

const onSlurm = (command: string, extraArgs?: string[]): JobSpecInput => ({ command, runOn: { kind: 'slurm', ...(extraArgs ? { options: { extraArgs } } : {}) } });

/** Runs the crash host until it reports, then SIGKILLs it. */
async function crashHostWith(storageDir: string, specs: JobSpecInput[], waitFor: string[]): Promise<{ ids: string[]; jobs: Job[] }> {
  const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'slurmHost.js'), storageDir, JSON.stringify(specs), JSON.stringify(waitFor)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the crash host never reported')), 60_000);
      readline.createInterface({ input: host.stdout! }).once('line', (l) => {
        clearTimeout(timer);
        resolve(l);
      });
      host.once('exit', (code) => reject(new Error(`the crash host exited (${code}) before reporting`)));
    });
    return JSON.parse(line) as { ids: string[]; jobs: Job[] };
  } finally {
    host.kill('SIGKILL');
    await new Promise((r) => (host.exitCode !== null || host.signalCode !== null ? r(undefined) : host.once('exit', r)));
  }
}

describe('Slurm backend: surviving hosts and controllers', function () {
  it('a host SIGKILLed with one job pending and one running: reopened, both adopted, true exit codes, nothing submitted twice', async () => {
    const storageDir = tempDir('jq-slurm-crash-');
    const { ids, jobs } = await crashHostWith(storageDir, [
      onSlurm('echo running; sleep 3; exit 5'),
      onSlurm('echo was pending; exit 7', ['--begin=now+5']),
    ], ['RUNNING', 'PENDING']);
    const tags = jobs.map((j) => j.run!.tag as string);
    const service = await openService({ storageDir, backends: [testRunner()] });
    assert.deepEqual(service.openReport.adopted.map((j) => j.id).sort(), [...ids].sort());
    assert.deepEqual(service.getSnapshot().running.map((j) => j.id).sort(), [...ids].sort());
    const [a, b] = await Promise.all([waitForStatus(service, ids[0]!, 'failed', 60_000), waitForStatus(service, ids[1]!, 'failed', 60_000)]);
    assert.equal(a.exitCode, 5);
    assert.equal(b.exitCode, 7);
    const submitted = submissionsByTag();
    for (const tag of tags) assert.equal(submitted.get(tag)?.length, 1, `${tag} submitted once: ${JSON.stringify([...submitted])}`);
    assert.equal(service.getSnapshot().queued.length, 0);
  });

  it('a job that ends while no host watches, after Slurm forgot it (MinJobAge): its true exit code from the exit file', async () => {
    const storageDir = tempDir('jq-slurm-forgot-');
    let service = await openService({ storageDir, backends: [testRunner()] });
    const job = service.enqueue(onSlurm('sleep 1; exit 4'));
    service.sendJob(job.id);
    await waitForDetails(service, job.id, /RUNNING/);
    const tag = service.getJob(job.id)!.run!.tag as string;
    await service.dispose(); // the window closes; the job goes on in Slurm
    const end = Date.now() + 170_000;
    while (slurmState(tag) !== undefined) {
      if (Date.now() > end) throw new Error(`Slurm still lists ${tag} (${slurmState(tag)})`);
      await sleep(1000);
    }
    service = await openService({ storageDir, backends: [testRunner()] });
    const run = service.getHistory().find((r) => r.id === job.id);
    assert.equal(run?.status, 'failed');
    assert.equal(run?.exitCode, 4);
  });

  it('the controller stopped and restarted mid-run: shown unreachable, never interrupted, completes with its true code', async () => {
    const service = await openService({ backends: [testRunner()] });
    const job = service.enqueue(onSlurm('sleep 30; exit 2'));
    service.sendJob(job.id);
    await waitForDetails(service, job.id, /RUNNING/);
    await controller('stop');
    try {
      const summary = await waitForDetails(service, job.id, /Slurm unreachable since/, 40_000);
      assert.match(summary, /^Slurm \d+ · Slurm unreachable since/);
      assert.equal(service.getJob(job.id)?.status, 'running');
      await sleep(2000);
      assert.equal(service.getJob(job.id)?.status, 'running');
    } finally {
      await controller('start');
    }
    const done = await waitForStatus(service, job.id, 'failed', 90_000);
    assert.equal(done.exitCode, 2);
  });
});
