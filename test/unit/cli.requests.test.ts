// The terminal command's requests against a real JobService in this process (real files): `add`
// lands held for approval with the terminal as its source, `cancel` goes through the owner, a
// request written while no window runs the queue is taken exactly once by the next owner — even a
// copy left by a crash between the enqueue and the removal — and bad input writes nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readInbox } from '../../src/core/ownership/inbox';
import { REPLIES_DIR } from '../../src/core/ownership/replies';
import { eventually, openService, queuedIds, tempDir, waitForStatus } from './helpers';
import { inboxFiles, jobq, queuedId } from './cliHelpers';

describe('jobq add / cancel (the inbox and its answers)', () => {
  it('add: the job is queued held for approval, from the terminal, and its id is printed', async () => {
    const dir = tempDir();
    const service = await openService({ storageDir: dir });
    const work = tempDir('jq-cwd-');
    const run = await jobq(dir, ['add', '--label', 'build it', '--', 'echo', 'a b', "it's"], work);
    assert.equal(run.code, 0, run.stderr);
    const id = queuedId(run);
    assert.equal(run.stdout, `Job #${id} queued (held for your approval in VS Code)\n`);
    const job = service.getJob(id)!;
    assert.equal(job.status, 'queued');
    assert.deepEqual(job.hold, { by: 'approval', source: 'terminal' });
    assert.deepEqual(job.spec.source, { kind: 'terminal', parentPid: process.pid });
    assert.equal(job.spec.command, `echo 'a b' 'it'\\''s'`, 'each word quoted for sh');
    assert.equal(job.spec.cwd, work, 'the terminal\'s folder');
    assert.equal(job.spec.label, 'build it');
    assert.deepEqual(inboxFiles(dir), [], 'the request left the inbox');
    assert.deepEqual(fs.readdirSync(path.join(dir, REPLIES_DIR)), [], 'the command deleted the answer it read');
  });

  it('add --hold: held by the user on top of the approval; approving leaves it held until released', async () => {
    const service = await openService();
    const id = queuedId(await jobq(service.storageDir, ['add', '--hold', '--', 'true']));
    assert.deepEqual(service.getJob(id)!.hold, { by: 'approval', source: 'terminal', user: true });
    assert.deepEqual(service.release(id).hold, { by: 'user' }, 'approved, still held by the user');
    assert.equal(service.release(id).hold, undefined);
  });

  it('with externalJobs = run a terminal job is not held; --hold is a plain user hold; --after and --lane apply', async () => {
    const service = await openService({ externalJobs: 'run', lanes: { gpu: 1 } });
    const first = queuedId(await jobq(service.storageDir, ['add', '--', 'true']));
    assert.equal(service.getJob(first)!.hold, undefined);
    const run = await jobq(service.storageDir, ['add', '--hold', '--after', `#${first}`, '--lane', 'gpu', '--', 'true']);
    assert.match(run.stdout, /queued \(held: release it in VS Code\)/);
    const second = service.getJob(queuedId(run))!;
    assert.deepEqual(second.hold, { by: 'user' });
    assert.deepEqual(second.after, { ids: [first], condition: 'success' });
    assert.equal(second.lane, 'gpu');
  });

  it('add --matcher (repeatable): the job carries its problem matchers', async () => {
    const service = await openService({ externalJobs: 'run' });
    const id = queuedId(await jobq(service.storageDir, ['add', '--matcher', '$tsc', '--matcher=$eslint-stylish', '--', 'npx', 'tsc']));
    assert.deepEqual(service.getJob(id)!.spec.problemMatchers, ['$tsc', '$eslint-stylish']);
    const plain = queuedId(await jobq(service.storageDir, ['add', '--', 'true']));
    assert.equal(service.getJob(plain)!.spec.problemMatchers, undefined, 'none unless asked');
  });

  it('a refusal of the owner is printed with exit 1 (an unknown lane)', async () => {
    const service = await openService();
    const run = await jobq(service.storageDir, ['add', '--lane', 'nope', '--', 'true']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /refused by VS Code: There is no lane “nope”/);
    assert.deepEqual(queuedIds(service), []);
    assert.deepEqual(inboxFiles(service.storageDir), []);
  });

  it('with no window running the queue the request is saved, and the next owner takes it exactly once', async () => {
    const dir = tempDir();
    const first = await openService({ storageDir: dir });
    first.enqueue({ command: 'true', label: 'existing' });
    await first.dispose();
    const run = await jobq(dir, ['add', '--label', 'late', '--', 'echo', 'late']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^No VS Code window runs this queue now: the job is saved and will be queued when VS Code opens this folder\.\njobq wait [0-9a-f-]{36} waits for it \(and says if it cannot be queued\)\.\n$/);
    const [file] = inboxFiles(dir);
    assert.ok(file, 'the request is in the inbox');
    const saved = fs.readFileSync(path.join(dir, 'inbox', file));
    const second = await openService({ storageDir: dir });
    assert.deepEqual(second.getSnapshot().queued.map((j) => j.spec.label), ['existing', 'late'], 'taken at open');
    const late = second.getSnapshot().queued[1]!;
    assert.deepEqual(inboxFiles(dir), []);
    // A crash after the enqueue and before the removal leaves the same request behind: taken once.
    const answer = path.join(dir, REPLIES_DIR, `${readRequestId(saved)}.json`);
    fs.rmSync(answer);
    fs.writeFileSync(path.join(dir, 'inbox', file), saved);
    await eventually(() => inboxFiles(dir).length === 0, 'the copy drained');
    assert.deepEqual(second.getSnapshot().queued.map((j) => j.spec.label), ['existing', 'late'], 'not enqueued twice');
    assert.equal(JSON.parse(fs.readFileSync(answer, 'utf8')).jobId, late.id, 'answered with the job it made');
    // And across a restart of the owner.
    await second.dispose();
    fs.writeFileSync(path.join(dir, 'inbox', file), saved);
    const third = await openService({ storageDir: dir });
    assert.deepEqual(third.getSnapshot().queued.map((j) => j.spec.label), ['existing', 'late']);
    assert.deepEqual(inboxFiles(dir), []);
  });

  it('a version 1 request (an add from an earlier release) is still taken', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'inbox'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'inbox', '1-old.json'), JSON.stringify({ v: 1, requestId: 'old', at: 1, from: 'window B', spec: { command: 'echo old' } }));
    assert.equal(readInbox(dir)[0]?.kind, 'request');
    const service = await openService({ storageDir: dir });
    assert.deepEqual(service.getSnapshot().queued.map((j) => [j.spec.command, j.spec.source?.kind, j.requestId]), [['echo old', 'otherWindow', 'old']]);
  });

  it('cancel: through the owner (queued and running jobs); an unknown job is exit 2', async () => {
    const service = await openService();
    const queued = service.enqueue({ command: 'true' });
    const run = await jobq(service.storageDir, ['cancel', queued.id]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Job #${queued.id} cancelled.\n`);
    assert.equal(service.getJob(queued.id)!.status, 'cancelled');
    const running = service.enqueue({ command: 'sleep 30' });
    service.sendNextJob();
    assert.equal(service.getJob(running.id)!.status, 'running');
    assert.equal((await jobq(service.storageDir, ['cancel', running.id])).code, 0);
    assert.equal(service.getJob(running.id)!.status, 'cancelled');
    // Asked again (e.g. the same request after a crash): it is cancelled, so that is the answer.
    assert.equal((await jobq(service.storageDir, ['cancel', queued.id])).stdout, `Job #${queued.id} is cancelled.\n`);
    const done = service.enqueue({ command: 'true' });
    service.sendNextJob();
    await waitForStatus(service, done.id, 'completed');
    const refused = await jobq(service.storageDir, ['cancel', done.id]);
    assert.equal(refused.code, 1, 'a completed job cannot be cancelled');
    assert.match(refused.stderr, /refused by VS Code: .*completed/);
    const unknown = await jobq(service.storageDir, ['cancel', '999']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no job #999/);
  });

  it('bad input is refused with exit 2, a clear message, and nothing in the inbox', async () => {
    const service = await openService();
    const dir = service.storageDir;
    service.enqueue({ command: 'true' });
    const bad: Array<[string[], RegExp]> = [
      [['add', 'make', 'test'], /Give the command after --/],
      [['add', 'make', '--', 'test'], /put the command after --/],
      [['add', '--'], /give the command after --/],
      [['add', '--bogus', '--', 'true'], /Unknown option --bogus/],
      [['add', '--after', 'abc', '--', 'true'], /a job id is a number/],
      [['add', '--after', '77', '--', 'true'], /no job #77/],
      [['add', '--after', '1', '--after-any', '1', '--', 'true'], /not both/],
      [['add', '--label', '', '--', 'true'], /label is empty/],
      [['add', '--lane', '', '--', 'true'], /lane name must not be empty/],
      [['add', '--cwd', '/no/such/folder', '--', 'true'], /no folder/],
      [['add', '--matcher', 'tsc; rm -rf', '--', 'true'], /--matcher: a problem matcher is named like \$tsc/],
      [['add', ...Array.from({ length: 9 }, () => ['--matcher', '$tsc']).flat(), '--', 'true'], /--matcher: at most 8 problem matchers/],
      [['add', '--label', '--', 'x'], /label is empty|needs a value/],
      [['wait'], /give job ids or --all/],
      [['wait', '--all', '3'], /takes no arguments/],
      [['wait', '1', '42'], /no job #42/],
      [['add', '--at', '25:00', '--', 'true'], /--at: 25:00 is not a time of day/],
      [['add', '--delay', '0m', '--', 'true'], /--delay: A delay must be more than zero/],
      [['add', '--delay', 'soon', '--', 'true'], /--delay: .*is not a start time/],
      [['add', '--at', '14:30', '--delay', '5m', '--', 'true'], /one start time/],
      [['add', '-p=1', '--', 'true'], /Unknown option -p=1/],
      [['retry'], /one job id/],
      [['pause', '1', '2'], /one job id/],
      [['release', 'x'], /a job id is a number/],
      [['status', '--yaml'], /takes no arguments/],
      [['wait', 'x'], /a job id is a number/],
      [['wait', '42'], /no job #42/],
      [['log', '-f'], /one job id/],
      [['frobnicate'], /Unknown command/],
    ];
    for (const [args, message] of bad) {
      const run = await jobq(dir, args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${JSON.stringify(run)}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.match(run.stderr, /See jobq --help/);
      assert.equal(run.stdout, '');
    }
    const noDir = await jobq(undefined, ['add', '--', 'true']);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /No Job Queue workspace contains .*JOB_QUEUE_DIR is not set.*open the folder in VS Code/);
    assert.deepEqual(inboxFiles(dir), [], 'nothing written');
    assert.equal(service.getSnapshot().queued.length, 1);
  });

  it('stale answers (older than a day) are removed when the owner opens; fresh ones are kept', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, REPLIES_DIR), { recursive: true });
    const old = path.join(dir, REPLIES_DIR, 'old.json');
    const fresh = path.join(dir, REPLIES_DIR, 'fresh.json');
    fs.writeFileSync(old, '{}');
    fs.writeFileSync(fresh, '{}');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
    fs.writeFileSync(path.join(dir, 'queue.json'), JSON.stringify({ version: 2, seq: 0, nextId: 1, autoRun: false, paused: false, queued: [], running: [] }));
    await openService({ storageDir: dir });
    assert.deepEqual(fs.readdirSync(path.join(dir, REPLIES_DIR)), ['fresh.json']);
  });
});

function readRequestId(file: Buffer): string {
  return (JSON.parse(file.toString('utf8')) as { requestId: string }).requestId;
}
