// Two hosts on one folder (two windows, two code-server tabs, a lingering remote host): one owner
// writes, the other follows, forwards new jobs through the inbox, and takes over — adopting the
// running jobs — when the owner goes away. Before the lock, 25 acknowledged jobs from two hosts
// came out as 10 duplicated ids, 10 lost jobs and 5 double runs.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Job, JobService } from '../../src/core';
import { QueueOwnership } from '../../src/core/ownership/queueOwnership';
import { writeInboxRequest } from '../../src/core/ownership/inbox';
import { eventually, openService, tempDir, waitForEvent, waitForFileLine, waitForStatus } from './helpers';

async function waitUntil(service: JobService, check: () => boolean, what: string): Promise<void> {
  await eventually(check, what, 10_000);
  void service;
}

describe('JobService: one writer per folder', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('a second service on the folder follows: refuses actions plainly, forwards enqueue, sees the owner\'s changes', async () => {
    const storageDir = tempDir();
    const owner = await openService({ storageDir, ownerLabel: 'window A' });
    owner.enqueue({ command: 'sleep 30', label: 'from A' });
    const follower = await openService({ storageDir, ownerLabel: 'window B' });
    assert.equal(owner.role.kind, 'owner');
    assert.equal(follower.role.kind, 'follower');
    assert.equal(follower.role.kind === 'follower' && follower.role.owner.label, 'window A');
    assert.deepEqual(follower.getSnapshot().queued.map((j) => j.spec.label), ['from A']);

    assert.throws(() => follower.sendNextJob(), (e: Error & { code?: string }) => e.code === 'notOwner' && /run by another VS Code window/.test(e.message));
    assert.throws(() => follower.setQueuePaused(true), /another VS Code window/);
    assert.throws(() => follower.enqueue({ command: 'true' }), /another VS Code window/);

    const forwarded = follower.submit({ command: 'echo from-b', label: 'from B' });
    assert.equal(forwarded.kind, 'forwarded');
    await waitUntil(owner, () => owner.getSnapshot().queued.some((j) => j.spec.label === 'from B'), 'the owner drained the inbox');
    const ids = owner.getSnapshot().queued.map((j) => j.id);
    assert.equal(new Set(ids).size, ids.length, 'ids given once');
    await waitUntil(follower, () => follower.getSnapshot().queued.some((j) => j.spec.label === 'from B'), 'the follower sees it');
    assert.equal(fs.readdirSync(path.join(storageDir, 'inbox')).length, 0);
  });

  it('when the owner closes, the follower takes over and adopts its running job', async () => {
    const storageDir = tempDir();
    const work = tempDir();
    const gate = path.join(work, 'gate');
    const owner = await openService({ storageDir });
    const job = owner.enqueue({ command: `echo go; while [ ! -f ${gate} ]; do sleep 0.02; done; exit 6` });
    owner.sendNextJob();
    await waitForFileLine(path.join(storageDir, 'logs', `${job.id}.1.log`), /go/);
    const follower = await openService({ storageDir });
    assert.equal(follower.getSnapshot().running[0]?.id, job.id);
    const tookOver = waitForEvent(follower, (e) => e.type === 'roleChanged' && e.role.kind === 'owner');
    await owner.dispose();
    await tookOver;
    assert.equal(follower.role.kind, 'owner');
    assert.deepEqual(follower.getSnapshot().running.map((j) => j.id), [job.id]);
    fs.writeFileSync(gate, '');
    const done = await waitForStatus(follower, job.id, 'failed');
    assert.equal(done.exitCode, 6);
  });

  it('when the owner host is SIGKILLed, the follower takes over (stale lock by identity) and adopts', async () => {
    const storageDir = tempDir();
    const work = tempDir();
    const gate = path.join(work, 'gate');
    const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'crashHost.js'), storageDir, `while [ ! -f ${gate} ]; do sleep 0.02; done; exit 2`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const sent = JSON.parse(await new Promise<string>((resolve) => readline.createInterface({ input: host.stdout! }).once('line', resolve))) as { job: Job };
    const follower = await openService({ storageDir });
    assert.equal(follower.role.kind, 'follower');
    const tookOver = waitForEvent(follower, (e) => e.type === 'roleChanged' && e.role.kind === 'owner');
    host.kill('SIGKILL');
    await tookOver;
    assert.deepEqual(follower.getSnapshot().running.map((j) => j.id), [sent.job.id]);
    assert.deepEqual(follower.openReport.interrupted, []);
    fs.writeFileSync(gate, '');
    assert.equal((await waitForStatus(follower, sent.job.id, 'failed')).exitCode, 2);
  });

  it('a lock left by a dead process is stale: the next host owns the folder', async () => {
    const storageDir = tempDir();
    fs.writeFileSync(path.join(storageDir, 'queue.json'), JSON.stringify({ version: 1, seq: 0, nextId: 1, autoRun: false, paused: false, queued: [], running: [] }));
    fs.writeFileSync(path.join(storageDir, 'owner.lock'), JSON.stringify({ v: 1, pid: 2 ** 22 - 3, startToken: '1', instance: 'gone', label: 'old', since: 1 }));
    const service = await openService({ storageDir });
    assert.equal(service.role.kind, 'owner');
  });

  it('a request written while no owner runs is enqueued by the next owner, exactly once', async () => {
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    first.enqueue({ command: 'true', label: 'existing' });
    await first.dispose();
    const { writeInboxRequest } = await import('../../src/core/ownership/inbox');
    const request = writeInboxRequest(storageDir, { command: 'echo late', label: 'late' }, 'window B');
    // A crash after enqueue but before the request file was removed: the same request again.
    const copy = path.join(storageDir, 'inbox', `${request.at + 1}-${request.requestId}.json`);
    fs.copyFileSync(path.join(storageDir, 'inbox', fs.readdirSync(path.join(storageDir, 'inbox'))[0]!), copy);
    const second = await openService({ storageDir });
    await eventually(() => fs.readdirSync(path.join(storageDir, 'inbox')).length === 0, 'inbox drained');
    assert.deepEqual(second.getSnapshot().queued.map((j) => j.spec.label), ['existing', 'late']);
  });

  it('two services add jobs at once: every id given once, every job kept', async () => {
    const storageDir = tempDir();
    const a = await openService({ storageDir });
    a.enqueue({ command: 'true', label: 'seed' });
    const b = await openService({ storageDir });
    for (let i = 0; i < 12; i++) {
      a.submit({ command: 'true', label: `a${i}` });
      b.submit({ command: 'true', label: `b${i}` });
    }
    await eventually(() => a.getSnapshot().queued.length === 25, 'all 25 queued in the owner');
    const ids = a.getSnapshot().queued.map((j) => j.id);
    assert.equal(new Set(ids).size, 25);
    await a.dispose();
    await b.dispose();
    const reopened = await openService({ storageDir });
    await eventually(() => reopened.role.kind === 'owner', 'owner again');
    assert.equal(reopened.getSnapshot().queued.length, 25);
  });

  it('the owner takes a request as it lands in the inbox (watched), not only at its regular check', async () => {
    const dir = tempDir();
    let drained = 0;
    // Checked once an hour: only the watch can have seen the request.
    const ownership = new QueueOwnership(dir, 'test window', 0, {
      becomeOwner: () => undefined,
      follow: () => undefined,
      stepDown: () => undefined,
      roleChanged: () => undefined,
      drainInbox: () => drained++,
      dispatch: () => undefined,
      warn: () => undefined,
    }, 3_600_000);
    try {
      assert.equal(ownership.claimIfUnclaimed(), 'owner');
      writeInboxRequest(dir, { command: 'echo from the terminal' }, 'a terminal');
      await eventually(() => drained > 0, 'the inbox drained by its watch');
    } finally {
      ownership.dispose();
    }
  });
});
