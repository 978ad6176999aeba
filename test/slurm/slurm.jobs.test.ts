// Every action of the Slurm backend against a real slurmctld + slurmd, run as an ordinary user
// (so pausing takes the STOP/CONT path real users get). Jobs go through the real JobService.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobSpecInput } from '../../src/core/model';
import { slurmHandleFor } from '../../src/core/runner/slurm/slurmFiles';
import { openService, tempDir, waitForStatus } from '../unit/helpers';
import { detailField, fileSize, sleep, submissionsByTag, testRunner, waitForDetails } from './slurmKit';

const onSlurm = (command: string, extra: Partial<JobSpecInput> = {}): JobSpecInput => ({ command, runOn: { kind: 'slurm' }, ...extra });

async function openSlurmService(storageDir = tempDir('jq-slurm-')) {
  const runner = testRunner();
  const service = await openService({ storageDir, backends: [runner], maxParallelJobs: 4 });
  return { service, runner, storageDir };
}

describe('Slurm backend: the actions, on a real cluster', function () {
  it('submits a job that completes with exit code 0, its output in the log; submit→RUNNING latency measured', async () => {
    const { service } = await openSlurmService();
    const job = service.enqueue(onSlurm('echo "hello from $SLURM_JOB_ID"; echo 50%; sleep 1'));
    const t0 = Date.now();
    service.sendJob(job.id);
    const summary = await waitForDetails(service, job.id, /RUNNING/);
    const latency = Date.now() - t0;
    assert.match(summary, /^Slurm \d+ · RUNNING on \S+/);
    const done = await waitForStatus(service, job.id, 'completed', 60_000);
    assert.equal(done.exitCode, 0);
    const log = fs.readFileSync(done.logPath!, 'utf8');
    assert.match(log, /hello from \d+/);
    console.log(`      submit → RUNNING seen by the host: ${latency} ms`);
  });

  it('a command that exits 3 fails with exit code 3', async () => {
    const { service } = await openSlurmService();
    const job = service.enqueue(onSlurm('echo failing; exit 3'));
    service.sendJob(job.id);
    const done = await waitForStatus(service, job.id, 'failed', 60_000);
    assert.equal(done.exitCode, 3);
    assert.equal(done.signal, undefined);
  });

  it('cancel ends the Slurm job and records the job cancelled', async () => {
    const { service } = await openSlurmService();
    const job = service.enqueue(onSlurm('echo started; sleep 120'));
    service.sendJob(job.id);
    await waitForDetails(service, job.id, /RUNNING/);
    const tag = service.getJob(job.id)!.run!.tag as string;
    const ended = await service.cancelJob(job.id);
    assert.equal(ended.status, 'cancelled');
    const state = submissionsByTag().get(tag)?.at(-1);
    assert.match(state ?? '', /CANCELLED|COMPLETING/);
  });

  it('cancel + return puts the same job back in our queue, and it runs again as a new Slurm job', async () => {
    const { service } = await openSlurmService();
    const job = service.enqueue(onSlurm('sleep 120'));
    service.sendJob(job.id);
    await waitForDetails(service, job.id, /RUNNING/);
    const firstTag = service.getJob(job.id)!.run!.tag as string;
    const back = await service.cancelAndRequeue(job.id);
    assert.equal(back.id, job.id);
    assert.equal(back.status, 'queued');
    assert.deepEqual(service.getSnapshot().queued.map((j) => j.id), [job.id]);
    assert.equal(service.getHistory().find((r) => r.id === job.id)?.status, 'cancelled');
    assert.equal(submissionsByTag().get(firstTag)?.length, 1);
    service.sendJob(job.id);
    await waitForDetails(service, job.id, /RUNNING/);
    const secondTag = service.getJob(job.id)!.run!.tag as string;
    assert.notEqual(secondTag, firstTag, 'its second run is a new Slurm job');
    assert.equal(submissionsByTag().get(secondTag)?.length, 1);
    assert.equal((await service.cancelJob(job.id)).status, 'cancelled');
  });

  it('pause and resume as an ordinary user: STOP/CONT to the whole job (its output really stops)', async () => {
    const { service } = await openSlurmService();
    const job = service.enqueue(onSlurm('i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.1; done'));
    service.sendJob(job.id);
    await waitForDetails(service, job.id, /RUNNING/);
    const log = service.getJob(job.id)!.logPath!;
    await sleep(600);
    assert.ok(fileSize(log) > 0, 'it writes before the pause');
    service.pauseJob(job.id);
    await waitForDetails(service, job.id, /RUNNING|SUSPENDED/);
    const deadline = Date.now() + 10_000;
    while (!detailField(service, job.id, 'Pause method') && Date.now() < deadline) await sleep(100);
    assert.match(detailField(service, job.id, 'Pause method') ?? '', /STOP\/CONT signals — scontrol suspend needs an operator/);
    await sleep(500); // output already on its way
    const stoppedAt = fileSize(log);
    await sleep(1500);
    assert.equal(fileSize(log), stoppedAt, 'no output while paused');
    service.resumeJob(job.id);
    await sleep(1500);
    assert.ok(fileSize(log) > stoppedAt, 'output again after resume');
    const ended = await service.cancelJob(job.id);
    assert.equal(ended.status, 'cancelled');
  });

  it('retry resubmits: a new job, a new Slurm job', async () => {
    const { service } = await openSlurmService();
    const job = service.enqueue(onSlurm('test -e marker-file || { touch marker-file; exit 1; }', { cwd: tempDir('jq-slurm-cwd-') }));
    service.sendJob(job.id);
    const failed = await waitForStatus(service, job.id, 'failed', 60_000);
    assert.equal(failed.exitCode, 1);
    const retry = service.retryJob(job.id);
    assert.notEqual(retry.id, job.id);
    service.sendJob(retry.id);
    const done = await waitForStatus(service, retry.id, 'completed', 60_000);
    assert.equal(done.exitCode, 0);
    const submitted = submissionsByTag();
    for (const run of [failed, done]) assert.equal(submitted.get(slurmHandleFor(run.id, run.attempt, run.logPath!).tag)?.length, 1, 'one Slurm job each');
  });

  it('a refused submission (bad partition) fails the job with Slurm\'s reason; nothing is submitted', async () => {
    const { service } = await openSlurmService();
    const job = service.enqueue(onSlurm('echo never', { runOn: { kind: 'slurm', options: { partition: 'no-such-partition' } } }));
    service.sendJob(job.id);
    const failed = await waitForStatus(service, job.id, 'failed', 30_000);
    assert.match(failed.error ?? '', /^Slurm refused the job: .*partition/i);
    assert.equal(submissionsByTag().get(slurmHandleFor(failed.id, failed.attempt, failed.logPath!).tag), undefined);
    assert.ok(!fs.existsSync(path.join(path.dirname(failed.logPath!), `${path.basename(failed.logPath!)}.exit`)));
  });

  it('an output folder (jobQueue.slurm.outputDirectory): the job writes there, the log reads it, the true exit code; clearing the history removes it', async () => {
    const outputDir = tempDir('jq-slurm-scratch-');
    const runner = testRunner({ outputDir });
    const service = await openService({ storageDir: tempDir('jq-slurm-'), backends: [runner], maxParallelJobs: 1 });
    const job = service.enqueue(onSlurm('echo "written on $(hostname)"; exit 6'));
    service.sendJob(job.id);
    const done = await waitForStatus(service, job.id, 'failed', 60_000);
    assert.equal(done.exitCode, 6);
    const written = fs.readdirSync(outputDir);
    assert.deepEqual(written.filter((f) => f.endsWith('.out') || f.endsWith('.out.exit')).length, 2, `output and exit file in the folder: ${written.join(', ')}`);
    assert.match(fs.readFileSync(done.logPath!, 'utf8'), /^written on /, 'the queue\'s log shows the output');
    await service.clearHistory();
    assert.deepEqual(fs.readdirSync(outputDir).filter((f) => f.includes('.out')), [], 'the output went with its log');
  });
});
