// Real processes: exit codes, process-group cancel, SIGSTOP pause, parallel slots, output and progress.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually, openService, pidAlive, processState, tempDir, waitForEvent, waitForFileLine, waitForStatus } from './helpers';

const posix = process.platform !== 'win32';

describe('JobService: processes', function () {
  before(function () {
    if (!posix) this.skip();
  });

  it('maps exit 0 to completed and any other code to failed, with the code', async () => {
    const service = await openService({ maxParallelJobs: 2 });
    const ok = service.enqueue({ command: 'exit 0' });
    const bad = service.enqueue({ command: 'exit 7' });
    service.setAutoRun(true);
    const [okRun, badRun] = await Promise.all([waitForStatus(service, ok.id, 'completed'), waitForStatus(service, bad.id, 'failed')]);
    assert.equal(okRun.exitCode, 0);
    assert.equal(badRun.exitCode, 7);
    assert.ok(badRun.finishedAt! >= badRun.startedAt!);
  });

  it('fails a job whose working folder is missing, with the reason', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'true', cwd: '/definitely/not/here' });
    service.sendNextJob();
    const run = await waitForStatus(service, job.id, 'failed');
    assert.match(run.error ?? '', /working folder does not exist/);
  });

  it('fails a job whose configured shell does not exist, and says which', async () => {
    const service = await openService({ shell: '/no/such/shell' });
    const job = service.enqueue({ command: 'true' });
    service.sendNextJob();
    const run = await waitForStatus(service, job.id, 'failed');
    assert.match(run.error ?? '', /shell does not exist: \/no\/such\/shell/);
  });

  it('runs in cwd with env overrides and writes stdout and stderr, in order, to the log', async () => {
    const cwd = tempDir();
    const service = await openService();
    const job = service.enqueue({ command: 'echo "out $JQ_TEST_VAR"; echo err >&2; pwd', cwd, env: { JQ_TEST_VAR: 'x42' } });
    service.sendNextJob();
    const run = await waitForStatus(service, job.id, 'completed');
    const log = fs.readFileSync(run.logPath!, 'utf8').trim().split('\n');
    assert.deepEqual(log, ['out x42', 'err', fs.realpathSync(cwd)]);
  });

  it('never runs more than maxParallelJobs at once', async () => {
    const service = await openService({ maxParallelJobs: 2 });
    let most = 0;
    service.onDidChange(() => (most = Math.max(most, service.getSnapshot().running.length)));
    const jobs = [1, 2, 3, 4, 5].map((n) => service.enqueue({ command: `sleep 0.2 # ${n}` }));
    service.setAutoRun(true);
    assert.equal(service.getSnapshot().running.length, 2);
    await Promise.all(jobs.map((j) => waitForStatus(service, j.id, 'completed')));
    assert.equal(most, 2);
  });

  it('cancel ends the whole process tree, grandchildren included', async () => {
    const dir = tempDir();
    const pids = path.join(dir, 'pids');
    const service = await openService();
    // A child that ignores SIGTERM forces the SIGKILL escalation too.
    const job = service.enqueue({
      command: `sleep 300 & echo $! >> ${pids}; sh -c 'trap "" TERM; echo $$ >> ${pids}; while :; do sleep 1; done' & wait`,
    });
    service.sendNextJob();
    await eventually(() => fs.existsSync(pids) && fs.readFileSync(pids, 'utf8').trim().split('\n').length === 2, 'two children started');
    const children = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    const wrapper = Number(service.getJob(job.id)!.run!.pid);
    assert.ok(children.every(pidAlive) && pidAlive(wrapper));
    const cancelled = await service.cancelJob(job.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.signal, 'a cancelled run records the signal');
    for (const pid of [wrapper, ...children]) assert.equal(pidAlive(pid), false, `pid ${pid} survived the cancel`);
  });

  it('pause stops the process group (state T) and resume continues it', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pid');
    const service = await openService();
    const job = service.enqueue({ command: `sh -c 'echo $$ > ${pidFile}; exec sleep 300'` });
    service.sendNextJob();
    const pid = Number(await waitForFileLine(pidFile, /^\d+$/));
    const paused = service.pauseJob(job.id);
    assert.equal(paused.status, 'paused');
    await eventually(() => processState(pid) === 'T', 'the process is stopped');
    const resumed = service.resumeJob(job.id);
    assert.equal(resumed.status, 'running');
    await eventually(() => processState(pid) === 'S', 'the process runs again');
    service.pauseJob(job.id);
    const cancelled = await service.cancelJob(job.id);
    assert.equal(cancelled.status, 'cancelled', 'a paused job can be cancelled (SIGCONT first)');
    assert.equal(pidAlive(pid), false);
  });

  it('reads progress from output and keeps only a bounded tail', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'i=0; while [ $i -lt 500 ]; do echo "line $i"; i=$((i+1)); done; echo "::progress 40"; sleep 30' });
    service.sendNextJob();
    await waitForEvent(service, (e) => e.type === 'progress' && e.jobId === job.id && e.progress.percent === 40);
    const tail = service.getOutputTail(job.id);
    assert.ok(tail.length <= 100 && tail.length > 10);
    assert.equal(tail[tail.length - 1], '::progress 40');
    assert.equal(service.getProgress(job.id)?.percent, 40);
  });

  it('estimates the ETA from earlier runs of the same command', async () => {
    const service = await openService();
    const first = service.enqueue({ command: 'sleep 0.3' });
    service.sendNextJob();
    await waitForStatus(service, first.id, 'completed');
    const again = service.retryJob(first.id);
    const progress = waitForEvent(service, (e) => e.type === 'progress' && e.jobId === again.id);
    service.sendNextJob();
    const event = await progress;
    assert.equal(event.type === 'progress' && event.progress.etaSource, 'history');
  });
});
