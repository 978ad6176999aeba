// The bundled terminal command's verbs beyond add (retry, hold/release, pause/resume, send, status
// --json, wait on several jobs or --all, add --at/--delay/-p, --help per verb), each a separate
// process against a real owner in this process, answered in the owner's words.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { StatusJsonSchema } from '../../src/cli/statusJson';
import { CLI_BUNDLE, jobqProcess } from './cliHelpers';
import { openService, waitForStatus } from './helpers';

describe('jobq verbs, the bundled command in its own process', function () {
  this.timeout(30_000);

  before(function () {
    if (process.platform === 'win32') this.skip();
    assert.ok(fs.existsSync(CLI_BUNDLE), `${CLI_BUNDLE} is built (node esbuild.js)`);
  });

  it('add -p prints only the id; --at and --delay give a start time; --after 3,4 and --after 3 --after 4 agree', async () => {
    const service = await openService({ externalJobs: 'run' });
    const dir = service.storageDir;
    const printed = await jobqProcess(dir, ['add', '-p', '--', 'true']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^\d+\n$/);
    const first = printed.stdout.trim();
    assert.ok(service.getJob(first));
    const second = (await jobqProcess(dir, ['add', '--print-id', '--', 'true'])).stdout.trim();

    const before = Date.now();
    const delayed = (await jobqProcess(dir, ['add', '-p', '--delay', '30m', '--', 'true'])).stdout.trim();
    const notBefore = service.getJob(delayed)!.notBefore!;
    assert.ok(notBefore >= before + 30 * 60_000 && notBefore <= Date.now() + 30 * 60_000, `${notBefore}`);
    const at = (await jobqProcess(dir, ['add', '-p', '--at', '2099-01-02 03:04', '--', 'true'])).stdout.trim();
    // 2099 is more than a year ahead: refused, as the editor's start-time box refuses it.
    assert.equal(at, '');
    const clock = await jobqProcess(dir, ['add', '-p', '--at', '23:59', '--', 'true']);
    const atClock = new Date(service.getJob(clock.stdout.trim())!.notBefore!);
    assert.deepEqual([atClock.getHours(), atClock.getMinutes()], [23, 59]);

    const joined = (await jobqProcess(dir, ['add', '-p', '--after', `${first},${second}`, '--', 'true'])).stdout.trim();
    const repeated = (await jobqProcess(dir, ['add', '-p', '--after', first, '--after', second, '--', 'true'])).stdout.trim();
    assert.deepEqual(service.getJob(joined)!.after, { ids: [first, second], condition: 'success' });
    assert.deepEqual(service.getJob(repeated)!.after, service.getJob(joined)!.after);
  });

  it('hold, release, send, pause and resume (a job and the queue), retry: done by the owner, said in its words', async () => {
    const service = await openService({ externalJobs: 'run' });
    const dir = service.storageDir;
    const queued = service.enqueue({ command: 'sleep 30', label: 'long' });
    assert.equal((await jobqProcess(dir, ['hold', queued.id])).stdout, `Job #${queued.id} held.\n`);
    assert.deepEqual(service.getJob(queued.id)!.hold, { by: 'user' });
    assert.equal((await jobqProcess(dir, ['release', queued.id])).stdout, `Job #${queued.id} released.\n`);
    assert.equal(service.getJob(queued.id)!.hold, undefined);

    const sent = await jobqProcess(dir, ['send', queued.id]);
    assert.equal(sent.code, 0, sent.stderr);
    await waitForStatus(service, queued.id, 'running');
    assert.equal((await jobqProcess(dir, ['pause', queued.id])).stdout, `Job #${queued.id} paused.\n`);
    assert.equal(service.getJob(queued.id)!.status, 'paused');
    assert.equal((await jobqProcess(dir, ['resume', queued.id])).stdout, `Job #${queued.id} resumed.\n`);
    assert.equal(service.getJob(queued.id)!.status, 'running');

    assert.equal((await jobqProcess(dir, ['pause'])).stdout, 'The queue is paused.\n');
    assert.equal(service.isQueuePaused(), true);
    const whilePaused = service.enqueue({ command: 'true' });
    const refused = await jobqProcess(dir, ['send', whilePaused.id]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refused by VS Code: The queue is paused: resume it to send a job\./);
    assert.equal((await jobqProcess(dir, ['resume'])).stdout, 'The queue is running.\n');
    assert.equal(service.isQueuePaused(), false);

    await jobqProcess(dir, ['cancel', queued.id]);
    const retried = await jobqProcess(dir, ['retry', queued.id]);
    const match = new RegExp(`^Job #(\\d+) queued \\(a retry of job #${queued.id}\\)\\n$`).exec(retried.stdout);
    assert.ok(match, JSON.stringify(retried));
    assert.equal(service.getJob(match[1]!)!.retryOf, queued.id);
  });

  it('release never approves: a job held for approval stays held, with the engine\'s reason', async () => {
    const service = await openService();
    const dir = service.storageDir;
    const job = service.enqueue({ command: 'true', source: { kind: 'terminal' } });
    for (const verb of ['release', 'send']) {
      const run = await jobqProcess(dir, [verb, job.id]);
      assert.equal(run.code, 1, verb);
      assert.match(run.stderr, /waits for the user's approval: only the user can release it/);
      assert.equal(service.getJob(job.id)!.hold?.by, 'approval');
    }
  });

  it('status --json is the documented version 1 shape; wait on several jobs and --all exit with the worst status', async () => {
    const service = await openService({ externalJobs: 'run' });
    const dir = service.storageDir;
    const ok = service.enqueue({ command: 'true', label: 'ok' });
    const bad = service.enqueue({ command: 'exit 4', label: 'bad' });
    const later = service.enqueue({ command: 'true', label: 'later' });
    service.hold(later.id);
    const json = await jobqProcess(dir, ['status', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const status = StatusJsonSchema.parse(JSON.parse(json.stdout));
    assert.deepEqual(status.queue, { paused: false, autoRun: false, owner: 'running' });
    assert.deepEqual(status.queued.map((j) => [j.id, j.title, j.held]), [[ok.id, 'ok', undefined], [bad.id, 'bad', undefined], [later.id, 'later', 'user']]);

    const waiting = jobqProcess(dir, ['wait', ok.id, bad.id]);
    service.setAutoRun(true);
    const waited = await waiting;
    assert.equal(waited.code, 4, JSON.stringify(waited));
    const after = StatusJsonSchema.parse(JSON.parse((await jobqProcess(dir, ['list', '--json'])).stdout));
    assert.deepEqual(after.finished.map((j) => [j.id, j.status, j.exitCode]), [[bad.id, 'failed', 4], [ok.id, 'completed', 0]]);

    const all = jobqProcess(dir, ['wait', '--all']);
    service.release(later.id);
    assert.equal((await all).code, 0);
    assert.equal(service.getJob(later.id)!.status, 'completed');
  });

  it('--help after a verb prints that verb\'s help', async () => {
    const service = await openService();
    for (const verb of ['add', 'status', 'wait', 'retry', 'hold', 'release', 'send', 'pause', 'resume']) {
      const run = await jobqProcess(service.storageDir, [verb, '--help']);
      assert.equal(run.code, 0);
      assert.match(run.stdout, new RegExp(`^jobq ${verb}`), verb);
    }
    // After add's `--`, --help belongs to the command.
    assert.match((await jobqProcess(service.storageDir, ['add', '--', 'ls', '--help'])).stdout, /^Job #\d+ queued/);
  });
});
