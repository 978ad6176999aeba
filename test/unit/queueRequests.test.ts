// Every kind of QueueRequest through the inbox to the one handler, from both inbox origins (the
// terminal command and a follower window), answered with the engine's own result or refusal; the
// approval table both ways; requests of earlier releases still read.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobService } from '../../src/core';
import { INBOX_DIR, writeRequest } from '../../src/core/ownership/inbox';
import type { QueueRequestBody, RequestOrigin } from '../../src/core/ownership/queueRequest';
import { takeReply, type InboxReply } from '../../src/core/ownership/replies';
import { eventually, openService, tempDir, waitForStatus } from './helpers';

type Ask = { [K in QueueRequestBody['kind']]: Omit<Extract<QueueRequestBody, { kind: K }>, 'origin' | 'from' | 'reply'> }[QueueRequestBody['kind']];

/** Writes a request as the sender would and waits for the owner's answer. */
async function ask(service: JobService, origin: RequestOrigin, body: Ask): Promise<InboxReply> {
  const request = writeRequest(service.storageDir, { ...body, origin, from: origin === 'terminal' ? 'the terminal' : 'window B', reply: true } as QueueRequestBody);
  let reply: InboxReply | undefined;
  await eventually(() => (reply = takeReply(service.storageDir, request.requestId)) !== undefined, `an answer to ${body.kind}`);
  return reply!;
}

function approvalHeld(service: JobService, label: string) {
  return service.enqueue({ command: 'true', label, source: { kind: 'terminal' } });
}

for (const origin of ['terminal', 'window'] as const) {
  describe(`Queue requests from ${origin === 'terminal' ? 'the terminal' : 'a follower window'}`, function () {
    before(function () {
      if (process.platform === 'win32') this.skip();
    });

    it('add, retry, cancel, cancelAndReturn, pause and resume a job act on the owner\'s queue', async () => {
      const service = await openService();
      const added = await ask(service, origin, { kind: 'add', spec: { command: 'exit 3', label: 'fails' } });
      assert.equal(added.status, 'queued');
      const sent = await ask(service, origin, { kind: 'send', jobId: added.jobId! });
      assert.equal(sent.error, undefined, sent.error);
      await waitForStatus(service, added.jobId!, 'failed');

      const retried = await ask(service, origin, { kind: 'retry', jobId: added.jobId! });
      assert.notEqual(retried.jobId, added.jobId);
      assert.equal(service.getJob(retried.jobId!)?.retryOf, added.jobId);

      const cancelled = await ask(service, origin, { kind: 'cancel', jobId: retried.jobId! });
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(service.getJob(retried.jobId!)?.status, 'cancelled');

      const long = service.enqueue({ command: 'sleep 30', label: 'long' });
      service.sendJob(long.id);
      await waitForStatus(service, long.id, 'running');
      assert.equal((await ask(service, origin, { kind: 'pauseJob', jobId: long.id })).status, 'paused');
      assert.equal(service.getJob(long.id)?.status, 'paused');
      assert.equal((await ask(service, origin, { kind: 'resumeJob', jobId: long.id })).status, 'running');
      const returned = await ask(service, origin, { kind: 'cancelAndReturn', jobId: long.id });
      assert.equal(returned.status, 'queued');
      assert.deepEqual(service.getSnapshot().queued.map((j) => j.id), [long.id]);
    });

    it('hold, release (a user hold), move, remove, dependencies and start time change queued jobs', async () => {
      const service = await openService();
      const a = service.enqueue({ command: 'true', label: 'a' });
      const b = service.enqueue({ command: 'true', label: 'b' });
      const c = service.enqueue({ command: 'true', label: 'c' });
      assert.deepEqual((await ask(service, origin, { kind: 'hold', jobId: a.id })).hold, { by: 'user' });
      assert.deepEqual(service.getJob(a.id)?.hold, { by: 'user' });
      const released = await ask(service, origin, { kind: 'release', jobId: a.id });
      assert.equal(released.error, undefined, released.error);
      assert.equal(service.getJob(a.id)?.hold, undefined);

      await ask(service, origin, { kind: 'move', jobId: c.id, toIndex: 0 });
      assert.deepEqual(service.getSnapshot().queued.map((j) => j.id), [c.id, a.id, b.id]);
      await ask(service, origin, { kind: 'setDependencies', jobId: b.id, after: { ids: [a.id] } });
      assert.deepEqual(service.getJob(b.id)?.after, { ids: [a.id], condition: 'success' });
      const at = Date.now() + 3_600_000;
      await ask(service, origin, { kind: 'setStartTime', jobId: c.id, startAt: at });
      assert.equal(service.getJob(c.id)?.notBefore, at);
      await ask(service, origin, { kind: 'setStartTime', jobId: c.id, startAt: null });
      assert.equal(service.getJob(c.id)?.notBefore, undefined);

      // The engine's own refusal, word for word, and nothing changed.
      const refused = await ask(service, origin, { kind: 'remove', jobId: a.id });
      assert.match(refused.error ?? '', new RegExp(`Job #${b.id} waits for Job #${a.id}`));
      assert.ok(service.getJob(a.id));
      assert.equal((await ask(service, origin, { kind: 'remove', jobId: c.id })).error, undefined);
      assert.equal(service.getJob(c.id), undefined);
      assert.match((await ask(service, origin, { kind: 'hold', jobId: '999' })).error ?? '', /There is no job #999/);
    });

    it('auto-run, the queue\'s pause, a lane\'s pause and Send Job act on the queue', async () => {
      const service = await openService();
      await ask(service, origin, { kind: 'pauseQueue' });
      assert.equal(service.isQueuePaused(), true);
      const job = service.enqueue({ command: 'true', label: 'x' });
      assert.match((await ask(service, origin, { kind: 'sendNext' })).error ?? '', /The queue is paused/);
      await ask(service, origin, { kind: 'resumeQueue' });
      assert.equal(service.isQueuePaused(), false);
      await ask(service, origin, { kind: 'pauseLane', lane: 'default' });
      assert.equal(service.isLanePaused('default'), true);
      await ask(service, origin, { kind: 'resumeLane', lane: 'default' });
      assert.equal(service.isLanePaused('default'), false);
      const sent = await ask(service, origin, { kind: 'sendNext' });
      assert.equal(sent.jobId, job.id);
      await waitForStatus(service, job.id, 'completed');
      const autoRun = await ask(service, origin, { kind: 'setAutoRun', enabled: true });
      assert.equal(autoRun.message, 'Auto-run is on.');
      assert.equal(service.isAutoRunEnabled(), true);
    });

    it('the approval is never given through the inbox: release and send of a job held for approval are refused', async () => {
      const service = await openService();
      const job = approvalHeld(service, 'needs approval');
      assert.equal(job.hold?.by, 'approval');
      for (const kind of ['release', 'send'] as const) {
        const answer = await ask(service, origin, { kind, jobId: job.id });
        assert.match(answer.error ?? '', /waits for the user's approval: only the user can release it/);
        assert.equal(service.getJob(job.id)?.hold?.by, 'approval', `${kind} changed nothing`);
      }
      assert.equal(service.getJob(job.id)?.status, 'queued');
      // The other way: the person at the owner's window approves it.
      service.release(job.id);
      assert.equal(service.getJob(job.id)?.hold, undefined);
    });
  });
}

describe('Queue requests: exactly once, and earlier versions', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('a retry request read twice (its file left by a crash) makes one job', async () => {
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    const failed = first.enqueue({ command: 'exit 1' });
    first.sendJob(failed.id);
    await waitForStatus(first, failed.id, 'failed');
    const request = writeRequest(storageDir, { kind: 'retry', jobId: failed.id, origin: 'terminal', from: 'the terminal', reply: true });
    const file = path.join(storageDir, INBOX_DIR, `${request.at}-${request.requestId}.json`);
    const copy = fs.readFileSync(file);
    await eventually(() => !fs.existsSync(file), 'the retry taken');
    const retried = first.getSnapshot().queued.filter((j) => j.retryOf === failed.id);
    assert.equal(retried.length, 1);
    await first.dispose();
    fs.writeFileSync(file, copy); // as if the removal never reached the disk
    const second = await openService({ storageDir });
    await eventually(() => !fs.existsSync(file), 'the copy answered');
    assert.deepEqual(second.getSnapshot().queued.filter((j) => j.retryOf === failed.id).map((j) => j.id), retried.map((j) => j.id));
  });

  it('version 2 (add, cancel) and version 1 (add) request files are still done', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'true', label: 'to cancel' });
    const inbox = path.join(service.storageDir, INBOX_DIR);
    fs.mkdirSync(inbox, { recursive: true });
    const at = Date.now();
    fs.writeFileSync(path.join(inbox, `${at}-v2cancel.json`), JSON.stringify({ v: 2, kind: 'cancel', requestId: 'v2cancel', at, from: 'the terminal', reply: true, jobId: job.id }));
    fs.writeFileSync(path.join(inbox, `${at + 1}-v1add.json`), JSON.stringify({ v: 1, requestId: 'v1add', at: at + 1, from: 'window B', spec: { command: 'echo old', label: 'old add' } }));
    let reply: InboxReply | undefined;
    await eventually(() => (reply = takeReply(service.storageDir, 'v2cancel')) !== undefined, 'the v2 cancel answered');
    assert.equal(reply!.status, 'cancelled');
    await eventually(() => service.getSnapshot().queued.some((j) => j.spec.label === 'old add'), 'the v1 add queued');
    assert.deepEqual(service.getSnapshot().queued.find((j) => j.spec.label === 'old add')?.spec.source, { kind: 'otherWindow', window: 'window B' });
  });
});

describe('A follower asks the owner (askOwner)', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('the owner\'s answer comes back to the follower: done, or refused in the engine\'s words', async () => {
    const { askOwner } = await import('../../src/core/ownership/askOwner');
    const storageDir = tempDir();
    const owner = await openService({ storageDir, ownerLabel: 'window A' });
    const job = owner.enqueue({ command: 'true', label: 'queued' });
    const follower = await openService({ storageDir, ownerLabel: 'window B' });
    assert.equal(follower.role.kind, 'follower');
    const held = await askOwner(storageDir, { kind: 'hold', jobId: job.id, origin: 'window', from: 'window B' });
    assert.equal(held.message, `Job #${job.id} held.`);
    assert.deepEqual(owner.getJob(job.id)?.hold, { by: 'user' });
    const refused = await askOwner(storageDir, { kind: 'pauseJob', jobId: job.id, origin: 'window', from: 'window B' });
    assert.match(refused.error ?? '', new RegExp(`job #${job.id}`, 'i'));
    assert.equal(owner.getJob(job.id)?.status, 'queued');
  });

  it('no answer in time: a plain refusal saying the request is kept (it is done when an owner takes it)', async () => {
    const { askOwner } = await import('../../src/core/ownership/askOwner');
    const storageDir = tempDir();
    await assert.rejects(askOwner(storageDir, { kind: 'pauseQueue', origin: 'window', from: 'window B' }, { replyMs: 100, pollMs: 20 }), /has not answered yet: the request is kept/);
    const service = await openService({ storageDir });
    await eventually(() => service.isQueuePaused(), 'the kept request done by the next owner');
  });
});
