// A second window on the same storage folder follows the window that runs the queue: the Jobs view
// says so, every action is asked of the owner (its refusals shown as it would show them), new jobs
// are passed to the owner, and when the owner closes
// this window takes over and says so once. The "other window" is a separate node process that owns
// the folder (fixtures/ownerHost.ts); this extension host reopens its queue on that folder.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { activateExtension, eventually, lastNoticeSeq, noticesAfter, run } from './helpers';

let api: JobQueueApi;
let owner: ChildProcess | undefined;
let storageDir: string;

async function startOwner(dir: string): Promise<{ role: string; job: Job }> {
  owner = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'ownerHost.js'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  owner.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: owner!.stdout! }).once('line', resolve);
    owner!.once('exit', (code) => reject(new Error(`the owner exited early (${code}): ${stderr}`)));
  });
  return JSON.parse(line) as { role: string; job: Job };
}

async function stopOwner(): Promise<void> {
  const host = owner;
  owner = undefined;
  if (!host || host.exitCode !== null) return;
  const exited = new Promise((resolve) => host.once('exit', resolve));
  host.kill('SIGTERM');
  await exited;
}

describe('A second window follows the window that runs the queue', function () {
  this.timeout(60_000);

  before(async function () {
    if (process.platform === 'win32') this.skip();
    api = await activateExtension();
    storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-follower-'));
    const started = await startOwner(storageDir);
    assert.equal(started.role, 'owner');
    const reopened = await run<{ role: string }>('_reopen', { storageDir });
    assert.equal(reopened.role, 'follower', 'another process owns the folder: this window follows it');
  });

  after(async () => {
    await stopOwner();
    await run('_reopen', {});
    fs.rmSync(storageDir, { recursive: true, force: true });
  });

  it('shows the owner\'s queue and says in the Jobs view who runs it', async () => {
    assert.equal(api.role.kind, 'follower');
    assert.match((await run<string | undefined>('_jobsViewMessage')) ?? '', /^This queue is run by another VS Code window \(.*pid \d+/);
    assert.equal(api.getSnapshot().queued.length, 1, 'the owner\'s queued job is shown');
  });

  it('acts through the owner: sends, pauses, cancels and retries a job the owner runs; a refusal is in the owner\'s words', async () => {
    const node = async (rowId: string) => eventually(() => run<unknown>('_treeNode', rowId), `the row ${rowId}`);
    await run('_addJobAsUser', { command: 'sleep 30', label: 'long one' });
    const job = await eventually(() => api.getSnapshot().queued.find((j) => j.spec.label === 'long one'), 'the forwarded job in the owner\'s queue');

    // Refused by the owner: shown here as the owner shows a refusal (a warning), nothing changed.
    await run('pauseQueue');
    const seq = await lastNoticeSeq();
    await run('sendJob', await node(`queue:${job.id}`));
    const refused = await eventually(async () => (await noticesAfter(seq)).find((n) => /The queue is paused: resume it to send a job/.test(n.message)), 'the owner\'s refusal');
    assert.equal(refused.severity, 'warning');
    assert.equal(api.getSnapshot().queued.some((j) => j.id === job.id), true);
    await run('resumeQueue');

    await run('sendJob', await node(`queue:${job.id}`));
    await eventually(() => api.getSnapshot().running.some((j) => j.id === job.id && j.status === 'running'), 'the owner runs it');
    await run('pauseJob', await node(`running:${job.id}`));
    await eventually(() => api.getSnapshot().running.some((j) => j.id === job.id && j.status === 'paused'), 'paused by the owner');
    await run('cancelJob', await node(`running:${job.id}`));
    const ended = await eventually(async () => (await run<Array<{ id: string; description: string }>>('_describeTree')).find((r) => r.id.startsWith(`history:${job.id}#`)), 'cancelled by the owner');
    assert.equal(api.getSnapshot().running.some((j) => j.id === job.id), false, ended.description);
    await run('retryJob', await node(ended.id));
    await eventually(() => api.getSnapshot().queued.some((j) => j.retryOf === job.id), 'the retry in the owner\'s queue');
  });

  it('pauses and resumes a lane through the owner; an unknown lane is refused in the owner\'s words', async () => {
    await run('pauseLane', 'default');
    await eventually(() => api.getSnapshot().lanes.find((l) => l.name === 'default')?.paused === true, 'the owner paused the lane');
    await run('resumeLane', 'default');
    await eventually(() => api.getSnapshot().lanes.find((l) => l.name === 'default')?.paused === false, 'the owner resumed the lane');
    const seq = await lastNoticeSeq();
    await run('pauseLane', 'no-such-lane');
    const refused = await eventually(async () => (await noticesAfter(seq)).find((n) => /no-such-lane/.test(n.message)), 'the owner\'s refusal');
    assert.equal(refused.severity, 'warning');
  });

  it('Add Job passes the job to the owner and says so', async () => {
    const seq = await lastNoticeSeq();
    assert.equal(await run('addJob', { command: 'echo from the follower' }), undefined, 'not queued here');
    const [told] = await noticesAfter(seq);
    assert.equal(told?.severity, 'info', JSON.stringify(told));
    const forwarded = api.submit({ command: 'echo from the api' });
    assert.equal(forwarded.kind, 'forwarded');
    // The owner queues them; this window re-reads its state (`reloaded`) and shows them.
    await eventually(() => api.getSnapshot().queued.some((j) => j.spec.command === 'echo from the api'), 'the forwarded jobs in the owner\'s queue');
    const rows = await run<Array<{ label: string }>>('_describeTree');
    assert.ok(rows.some((r) => r.label.includes('echo from the follower')), JSON.stringify(rows));
  });

  it('when the owner closes, this window takes over and says so once', async () => {
    const seq = await lastNoticeSeq();
    await stopOwner();
    await eventually(() => api.role.kind === 'owner', 'this window to take over', 30_000);
    await eventually(async () => (await noticesAfter(seq)).some((n) => n.message === 'This window now runs the queue.'), 'the take-over notice');
    assert.equal((await noticesAfter(seq)).filter((n) => /now runs the queue/.test(n.message)).length, 1);
    assert.equal(await run<string | undefined>('_jobsViewMessage'), undefined);
    await run('cancelAllQueued', { confirm: false });
  });
});
