// The bundled terminal command (dist/cli.js, what the shim runs) as a separate process against a
// real JobService in this process: `wait` exits with a real job's exit code, `log` prints and
// follows its output, `list` shows the queue, and the words of `add -- …` reach the job's shell as
// they were typed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openService, waitForStatus } from './helpers';
import { CLI_BUNDLE, jobqProcess, queuedId } from './cliHelpers';

describe('jobq, the bundled command in its own process', function () {
  this.timeout(30_000);

  before(() => assert.ok(fs.existsSync(CLI_BUNDLE), `${CLI_BUNDLE} is built (node esbuild.js)`));

  it('add then wait: exits with the job\'s exit code once it is approved and ends', async () => {
    const service = await openService();
    const dir = service.storageDir;
    service.setAutoRun(true);
    const failing = queuedId(await jobqProcess(dir, ['add', '--', 'sh', '-c', 'sleep 0.3; exit 3']));
    const ok = queuedId(await jobqProcess(dir, ['add', '--after-any', failing, '--', 'true']));
    assert.equal(service.getJob(failing)!.hold?.by, 'approval', 'auto-run passes over it until approved');
    const waiting = jobqProcess(dir, ['wait', failing]);
    const waitingOk = jobqProcess(dir, ['wait', ok]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(service.getJob(failing)!.status, 'queued', 'still held');
    service.release(failing);
    service.release(ok);
    const failed = await waiting;
    assert.equal(failed.code, 3, JSON.stringify(failed));
    assert.match(failed.stderr, new RegExp(`Job #${failing} failed \\(exit 3\\)`));
    assert.equal(failed.stdout, '');
    assert.equal((await waitingOk).code, 0);
  });

  it('wait on a cancelled job exits 1 and says so; on a finished one it returns at once', async () => {
    const service = await openService({ externalJobs: 'run' });
    const dir = service.storageDir;
    const job = service.enqueue({ command: 'sleep 30' });
    service.sendNextJob();
    const waiting = jobqProcess(dir, ['wait', job.id]);
    await new Promise((r) => setTimeout(r, 300));
    await service.cancelJob(job.id);
    const run = await waiting;
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`Job #${job.id} was cancelled`));
    const done = service.enqueue({ command: 'true' });
    service.sendNextJob();
    await waitForStatus(service, done.id, 'completed');
    assert.equal((await jobqProcess(dir, ['wait', done.id])).code, 0, 'a job already ended: its code at once');
    const unknown = await jobqProcess(dir, ['wait', '404']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no job #404/);
  });

  it('the command words reach the shell as typed; log prints the output, log -f follows it to the end', async () => {
    const service = await openService({ externalJobs: 'run' });
    const dir = service.storageDir;
    const id = queuedId(await jobqProcess(dir, ['add', '--', 'printf', '%s\\n', 'a b', "it's", '$HOME', '*']));
    assert.equal(service.getJob(id)!.spec.command, `printf '%s\\n' 'a b' 'it'\\''s' '$HOME' '*'`);
    service.sendNextJob();
    await waitForStatus(service, id, 'completed');
    const log = await jobqProcess(dir, ['log', id]);
    assert.equal(log.code, 0, log.stderr);
    assert.equal(log.stdout, "a b\nit's\n$HOME\n*\n");
    const slow = service.enqueue({ command: 'for i in 1 2 3; do echo line $i; sleep 0.2; done' });
    const following = jobqProcess(dir, ['log', '-f', slow.id]);
    await new Promise((r) => setTimeout(r, 300));
    service.sendNextJob(); // queued when the follow began: it waits for the run to start
    const followed = await following;
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'line 1\nline 2\nline 3\n');
    const queued = service.enqueue({ command: 'true' });
    const none = await jobqProcess(dir, ['log', queued.id]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /has not started yet/);
  });

  it('list: running, queued with held and waits-for marks, and the finished runs', async () => {
    const service = await openService({ maxParallelJobs: 1 });
    const dir = service.storageDir;
    const done = service.enqueue({ command: 'exit 4', label: 'four' });
    service.sendNextJob();
    await waitForStatus(service, done.id, 'failed');
    const running = service.enqueue({ command: 'sleep 30', label: 'long one' });
    service.sendNextJob();
    const fromTerminal = queuedId(await jobqProcess(dir, ['add', '--after', running.id, '--', 'echo', 'hi']));
    const held = service.enqueue({ command: 'true', label: 'parked' }, { hold: true });
    const run = await jobqProcess(dir, ['list']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.deepEqual(lines, [
      'Queue: 1 running, 2 queued (auto-run off)',
      `#${running.id.padEnd(5)} running     long one`,
      `#${fromTerminal.padEnd(5)} queued      [held for approval (from the terminal), waits for #${running.id}] echo hi`,
      `#${held.id.padEnd(5)} queued      [held] parked`,
      'Finished (last 1, newest first):',
      `#${done.id.padEnd(5)} failed      [exit 4] four`,
    ]);
  });
});
