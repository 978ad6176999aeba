// The promise: no job lost, none run twice behind the user's back. Each test here failed on the
// engine before "record before you act": a normal close with two running jobs, a restore with
// fewer slots than survivors, a host killed at the worst step of a start, a dispatch that recursed.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Job } from '../../src/core';
import { QUEUE_SNAPSHOT_VERSION } from '../../src/core/model';
import { eventually, openService, processState, tempDir, waitForFileLine, waitForStatus } from './helpers';

function gateCommand(gate: string, marker: string, code = 0): string {
  return `echo ran >> ${marker}; while [ ! -f ${gate} ]; do sleep 0.02; done; exit ${code}`;
}

function journalHas(storageDir: string, job: Job, code: number): boolean {
  try {
    return fs.readFileSync(path.join(storageDir, 'logs', 'exit-codes'), 'utf8').split('\n').includes(`${job.id}.${job.attempt} ${code}`);
  } catch {
    return false;
  }
}

function lines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('JobService: the promise (record before you act)', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('a normal close with two running jobs: both finish meanwhile, both get their true status, nothing re-runs', async () => {
    const storageDir = tempDir();
    const work = tempDir();
    const first = await openService({ storageDir, maxParallelJobs: 2 });
    const a = first.enqueue({ command: gateCommand(path.join(work, 'gate'), path.join(work, 'a')) });
    const b = first.enqueue({ command: gateCommand(path.join(work, 'gate'), path.join(work, 'b'), 3) });
    first.setAutoRun(true);
    await waitForFileLine(path.join(work, 'a'), /ran/);
    await waitForFileLine(path.join(work, 'b'), /ran/);
    const running = first.getSnapshot().running;
    await first.dispose(); // VS Code closed normally: the jobs go on
    fs.writeFileSync(path.join(work, 'gate'), '');
    await eventually(() => running.every((j) => journalHas(storageDir, j, j.id === a.id ? 0 : 3)), 'both exits recorded');

    const second = await openService({ storageDir, maxParallelJobs: 2 });
    const history = second.getHistory();
    assert.deepEqual(history.map((j) => [j.id, j.status, j.exitCode]).sort(), [[a.id, 'completed', 0], [b.id, 'failed', 3]]);
    assert.equal(second.isQueuePaused(), false);
    assert.deepEqual(second.getSnapshot().queued, []);
    assert.deepEqual(second.openReport.endedWhileClosed.map((j) => j.id).sort(), [a.id, b.id].sort());
    assert.deepEqual(second.openReport.interrupted, []);
    assert.equal(lines(path.join(work, 'a')).length + lines(path.join(work, 'b')).length, 2, 'each ran once');
  });

  it('restore stays within the slots: survivors are counted before anything new starts', async () => {
    const storageDir = tempDir();
    const work = tempDir();
    const first = await openService({ storageDir, maxParallelJobs: 2 });
    const a = first.enqueue({ command: gateCommand(path.join(work, 'gate-a'), path.join(work, 'a')) });
    const b = first.enqueue({ command: gateCommand(path.join(work, 'gate-b'), path.join(work, 'b')) });
    first.enqueue({ command: gateCommand(path.join(work, 'gate-c'), path.join(work, 'c')) });
    first.enqueue({ command: gateCommand(path.join(work, 'gate-d'), path.join(work, 'd')) });
    first.setAutoRun(true);
    await waitForFileLine(path.join(work, 'b'), /ran/);
    const [runA] = first.getSnapshot().running.filter((j) => j.id === a.id);
    await first.dispose();
    fs.writeFileSync(path.join(work, 'gate-a'), '');
    await eventually(() => journalHas(storageDir, runA!, 0), 'a recorded its exit');

    const second = await openService({ storageDir, maxParallelJobs: 2 });
    const running = second.getSnapshot().running;
    assert.equal(running.length, 2, `running: ${running.map((j) => j.id).join(',')}`);
    assert.ok(running.some((j) => j.id === b.id), 'b was adopted');
    assert.equal(second.getSnapshot().queued.length, 1);
    for (const gate of ['gate-b', 'gate-c', 'gate-d']) fs.writeFileSync(path.join(work, gate), '');
  });

  const steps = {
    beforeSpawn: 'after recording the intent, before spawning',
    afterSpawn: 'after spawning, while the job waits at its gate for the intent to be on disk',
    afterRelease: 'just after the job began',
  } as const;
  for (const [step, when] of Object.entries(steps)) {
    it(`a host killed ${when}: the job runs exactly once`, async () => {
      const storageDir = tempDir();
      const work = tempDir();
      const marker = path.join(work, 'marker');
      const gate = path.join(work, 'gate');
      const command = `echo ran >> ${marker}; while [ ! -f ${gate} ]; do sleep 0.02; done; exit 5`;
      const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'crashAtStep.js'), storageDir, step, command], { stdio: ['ignore', 'pipe', 'inherit'] });
      const job = JSON.parse(await new Promise<string>((resolve) => readline.createInterface({ input: host.stdout! }).once('line', resolve))) as Job;
      await new Promise((resolve) => host.once('exit', resolve));
      assert.equal(host.signalCode, 'SIGKILL');

      const service = await openService({ storageDir });
      if (step === 'afterRelease') {
        assert.deepEqual(service.getSnapshot().running.map((j) => j.id), [job.id], 'found again, adopted');
        await waitForFileLine(marker, /ran/);
      } else {
        // The held wrapper saw its gate close with the host and ended without running anything.
        assert.deepEqual(service.getSnapshot().queued.map((j) => [j.id, j.attempt]), [[job.id, 0]], 'provably never ran: still queued');
        assert.equal(service.isQueuePaused(), false);
        assert.deepEqual(lines(marker), [], 'nothing ran');
        assert.equal(service.sendNextJob().outcome, 'started');
        await waitForFileLine(marker, /ran/);
      }
      fs.writeFileSync(gate, '');
      const done = await waitForStatus(service, job.id, 'failed');
      assert.equal(done.exitCode, 5);
      assert.equal(done.attempt, 1);
      assert.deepEqual(lines(marker), ['ran'], 'ran exactly once');
      assert.equal(service.getHistory().filter((j) => j.id === job.id).length, 1);
    });
  }

  it('a job paused before its start is durable is stopped once released', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'sleep 30' });
    assert.equal(service.sendNextJob().outcome, 'started');
    service.pauseJob(job.id); // at once: the run still waits at its gate for the intent's sync
    await service.flush(); // released
    const pid = Number(service.getJob(job.id)!.run!.pid);
    await eventually(() => processState(pid) === 'T', 'the released run to be stopped');
    service.resumeJob(job.id);
    await eventually(() => processState(pid) !== 'T', 'the run to go on');
  });

  it('a job paused and cancelled while still at its gate ends without its command ever beginning', async () => {
    const service = await openService();
    const marker = path.join(tempDir(), 'marker');
    const job = service.enqueue({ command: `echo ran > ${marker}; sleep 30` });
    assert.equal(service.sendNextJob().outcome, 'started');
    service.pauseJob(job.id);
    const cancelled = await service.cancelJob(job.id);
    assert.equal(cancelled.status, 'cancelled');
    await service.flush();
    assert.equal(fs.existsSync(marker), false, 'the command never began');
  });

  it('10,000 queued jobs that fail at once: the dispatch loop never recurses, none is lost', async () => {
    const storageDir = tempDir();
    const count = 10_000;
    const queued = Array.from({ length: count }, (_, i) => ({
      id: String(i + 1), spec: { command: 'true', cwd: '/nonexistent/job-queue-test' }, status: 'queued', attempt: 0, createdAt: 1,
    }));
    fs.writeFileSync(path.join(storageDir, 'queue.json'), JSON.stringify({ version: QUEUE_SNAPSHOT_VERSION, seq: 0, nextId: count + 1, autoRun: true, paused: false, queued, running: [] }));
    const service = await openService({ storageDir, historyLimit: 20_000 });
    assert.equal(service.getSnapshot().queued.length, 0);
    const history = service.getHistory();
    assert.equal(history.length, count);
    assert.ok(history.every((j) => j.status === 'failed' && /working folder does not exist/.test(j.error ?? '')));
    assert.equal(new Set(history.map((j) => j.id)).size, count);
  });
});

describe('JobService: options are validated', () => {
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no storageDir', { storageDir: undefined }, /storageDir/],
    ['an empty storageDir', { storageDir: '' }, /storageDir/],
    ['a relative storageDir', { storageDir: 'queue' }, /absolute/],
    ['cancelGraceMs NaN', { cancelGraceMs: Number.NaN }, /cancelGraceMs/],
    ['a bogus interruptedPolicy', { interruptedPolicy: 'bogus' }, /interruptedPolicy/],
    ['maxParallelJobs 0', { maxParallelJobs: 0 }, /maxParallelJobs/],
    ['maxParallelJobs 1.5', { maxParallelJobs: 1.5 }, /maxParallelJobs/],
  ];
  for (const [what, options, message] of bad) {
    it(`refuses ${what} with a JobError and writes nothing`, async () => {
      const dir = tempDir();
      const { openJobService } = await import('../../src/core');
      await assert.rejects(openJobService({ storageDir: path.join(dir, 'q'), ...options } as never), (error: Error & { code?: string }) => {
        assert.equal(error.name, 'JobError');
        assert.equal(error.code, 'invalidArgument');
        assert.match(error.message, message);
        return true;
      });
      assert.equal(fs.existsSync(path.join(dir, 'q')), false);
    });
  }

  it('configure refuses a bad value and keeps the old ones', async () => {
    const service = await openService({ maxParallelJobs: 2 });
    assert.throws(() => service.configure({ cancelGraceMs: Number.POSITIVE_INFINITY }), /cancelGraceMs/);
    assert.throws(() => service.configure({ maxParallelJobs: -1 }), /maxParallelJobs/);
    assert.equal(service.getSnapshot().maxParallelJobs, 2);
  });

  it('a shell given by a name that is not on PATH fails the job with a plain reason', async () => {
    const service = await openService({ shell: 'no-such-shell-here' });
    const job = service.enqueue({ command: 'echo hi' });
    service.sendNextJob();
    const failed = await waitForStatus(service, job.id, 'failed');
    assert.match(failed.error ?? '', /no-such-shell-here/);
  });

  it('an unused folder is not written to until its queue is used', async () => {
    const dir = path.join(tempDir(), 'storage');
    const service = await openService({ storageDir: dir });
    assert.equal(fs.existsSync(dir), false);
    assert.deepEqual(service.getSnapshot().queued, []);
    service.enqueue({ command: 'true' });
    assert.ok(fs.existsSync(path.join(dir, 'history.jsonl')));
  });
});
