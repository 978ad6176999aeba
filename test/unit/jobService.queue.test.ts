// Queue semantics from the seeds: persistence round-trip, Send Job, pause, auto-run, pending,
// cancel / cancel + return / retry, status rules and invalid ids.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobError } from '../../src/core';
import { assertRefused, openService, queuedIds, tempDir, waitForEvent, waitForStatus } from './helpers';

describe('JobService: queue', () => {
  it('starts with auto-run off and the queue not paused', async () => {
    const service = await openService();
    assert.equal(service.isAutoRunEnabled(), false);
    assert.equal(service.isQueuePaused(), false);
  });

  it('persists and reloads jobs, ids, specs, order and flags', async () => {
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    const a = first.enqueue({ command: 'echo a', label: 'Alpha', cwd: '/tmp', env: { A: '1' } });
    const b = first.enqueue({ command: 'echo b' });
    const c = first.enqueue({ command: 'echo c' });
    first.moveJob(c.id, 0);
    first.setQueuePaused(true);
    first.setAutoRun(true);
    await first.dispose();

    const second = await openService({ storageDir });
    const snapshot = second.getSnapshot();
    assert.deepEqual(snapshot.queued.map((j) => j.id), [c.id, a.id, b.id]);
    assert.deepEqual(snapshot.queued[1]!.spec, { command: 'echo a', label: 'Alpha', cwd: '/tmp', env: { kind: 'overlay', vars: { A: '1' } } }, 'a plain object of variables is kept as an overlay');
    assert.equal(snapshot.autoRun, true);
    assert.equal(snapshot.paused, true);
    const d = second.enqueue({ command: 'echo d' });
    assert.ok(![a.id, b.id, c.id].includes(d.id), 'ids are never reused');
  });

  it('Send Job does nothing while paused, and says why; dispatches exactly one after resume', async () => {
    const service = await openService();
    service.enqueue({ command: 'sleep 5' });
    service.enqueue({ command: 'sleep 5' });
    service.setQueuePaused(true);
    const refused = service.sendNextJob();
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.outcome === 'refused' ? refused.message : '', /paused/);
    assert.equal(service.getSnapshot().running.length, 0);
    assert.equal(service.getSnapshot().queued.length, 2);

    service.setQueuePaused(false);
    const sent = service.sendNextJob();
    assert.equal(sent.outcome, 'started');
    assert.equal(service.getSnapshot().running.length, 1);
    assert.equal(service.getSnapshot().queued.length, 1, 'auto-run is off: only the sent job runs');
  });

  it('Send Job on an empty queue is refused with a reason', async () => {
    const service = await openService();
    const result = service.sendNextJob();
    assert.deepEqual(result.outcome === 'refused' && result.reason, 'empty');
  });

  it('auto-run drains the queue', async () => {
    const service = await openService();
    const jobs = [1, 2, 3, 4].map((n) => service.enqueue({ command: `exit 0 # ${n}` }));
    const last = waitForStatus(service, jobs[3]!.id, 'completed');
    service.setAutoRun(true);
    await last;
    assert.equal(service.getSnapshot().queued.length, 0);
    assert.deepEqual(service.getHistory().map((j) => [j.id, j.status]).reverse(), jobs.map((j) => [j.id, 'completed']));
  });

  it('Send Job with every slot busy marks the top job pending; it starts when a slot frees, auto-run off', async () => {
    const service = await openService();
    const blocker = service.enqueue({ command: 'sleep 30' });
    const next = service.enqueue({ command: 'exit 0' });
    assert.equal(service.sendNextJob().outcome, 'started');
    const result = service.sendNextJob();
    assert.equal(result.outcome, 'pending');
    assert.equal(service.getJob(next.id)?.pending, true);
    const completed = waitForStatus(service, next.id, 'completed');
    await service.cancelJob(blocker.id);
    await completed;
    assert.equal(service.isAutoRunEnabled(), false);
  });

  it('cancel + return puts the same job (same id) at the bottom and records the cancelled run', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'sleep 30' });
    const other = service.enqueue({ command: 'echo other' });
    service.sendNextJob();
    const back = await service.cancelAndRequeue(job.id);
    assert.equal(back.id, job.id);
    assert.equal(back.status, 'queued');
    assert.deepEqual(queuedIds(service), [other.id, job.id]);
    const [run] = service.getHistory();
    assert.equal(run!.id, job.id);
    assert.equal(run!.status, 'cancelled');
    assert.equal(run!.attempt, 1);
  });

  it('retry creates a new job with retryOf and the same spec; the original never changes', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'exit 3', label: 'flaky' });
    service.sendNextJob();
    const failed = await waitForStatus(service, job.id, 'failed');
    assert.equal(failed.exitCode, 3);
    const retry = service.retryJob(job.id);
    assert.notEqual(retry.id, job.id);
    assert.equal(retry.retryOf, job.id);
    assert.deepEqual(retry.spec, failed.spec);
    assert.equal(retry.status, 'queued');
    assert.deepEqual(service.getJob(job.id), failed);
    const changed = service.retryJob(job.id, { command: 'exit 0' });
    assert.equal(changed.spec.command, 'exit 0');
    assert.equal(changed.spec.label, 'flaky');
  });

  it('refuses forbidden actions with a clear message and changes nothing', async () => {
    const service = await openService();
    const queued = service.enqueue({ command: 'sleep 30' });
    const before = JSON.stringify(service.getSnapshot());
    assertRefused(() => service.retryJob(queued.id), 'invalidState', /Cannot retry job #\d+.*it is queued/);
    assertRefused(() => service.pauseJob(queued.id), 'invalidState', /Cannot pause/);
    await assert.rejects(service.cancelAndRequeue(queued.id), /Cannot cancel and return/);
    assert.equal(JSON.stringify(service.getSnapshot()), before);

    service.sendNextJob();
    assertRefused(() => service.retryJob(queued.id), 'invalidState', /it is running/);
    assertRefused(() => service.moveJob(queued.id, 0), 'invalidState', /Cannot move/);

    const done = service.enqueue({ command: 'exit 0' });
    await service.cancelJob(queued.id);
    service.sendNextJob();
    await waitForStatus(service, done.id, 'completed');
    await assert.rejects(service.cancelJob(done.id), (e: unknown) => e instanceof JobError && /it is completed/.test(e.message));
  });

  it('refuses unknown ids and bad input with typed errors', async () => {
    const service = await openService();
    service.enqueue({ command: 'echo keep' });
    const before = JSON.stringify(service.getSnapshot());
    await assert.rejects(service.cancelJob('999'), (e: unknown) => e instanceof JobError && e.code === 'unknownJob' && /no job #999/.test(e.message));
    assertRefused(() => service.retryJob('nope'), 'unknownJob', /no job #nope/);
    assertRefused(() => service.enqueue({ command: '   ' }), 'invalidSpec', /command must not be empty/);
    assertRefused(() => service.moveJob(service.getSnapshot().queued[0]!.id, 1.5), 'invalidArgument', /whole number/);
    assert.equal(JSON.stringify(service.getSnapshot()), before);
  });

  it('cancelling a queued job moves it to the history as cancelled', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'echo never' });
    const cancelled = await service.cancelJob(job.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(service.getSnapshot().queued.length, 0);
    assert.equal(service.getHistory()[0]!.id, job.id);
    assert.equal(cancelled.startedAt, undefined);
  });

  it('moves, removes and cancels all queued jobs', async () => {
    const service = await openService();
    const [a, b, c] = ['a', 'b', 'c'].map((x) => service.enqueue({ command: `echo ${x}` }));
    service.moveJob(c!.id, 0);
    service.moveJob(a!.id, 99);
    assert.deepEqual(queuedIds(service), [c!.id, b!.id, a!.id]);
    service.removeJob(b!.id);
    assert.deepEqual(queuedIds(service), [c!.id, a!.id]);
    assert.equal(service.getJob(b!.id), undefined, 'a removed job is gone from the queue');
    assert.equal(service.cancelAllQueued(), 2);
    assert.equal(service.getSnapshot().queued.length, 0);
    assert.deepEqual(service.getHistory().map((j) => j.status), ['cancelled', 'cancelled']);
  });

  it('announces every change as an event', async () => {
    const service = await openService();
    const types: string[] = [];
    service.onDidChange((e) => types.push(e.type));
    const job = service.enqueue({ command: 'exit 0' });
    service.setAutoRun(true);
    await waitForStatus(service, job.id, 'completed');
    for (const type of ['jobChanged', 'queueChanged', 'flagsChanged', 'historyAdded']) assert.ok(types.includes(type), `${type} in ${types}`);
  });

  it('keeps every change of a rapid burst, in order, across a reopen', async () => {
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    const ids = Array.from({ length: 300 }, (_, i) => first.enqueue({ command: `echo ${i}` }).id);
    first.moveJob(ids[299]!, 0);
    await first.dispose();
    const second = await openService({ storageDir });
    assert.deepEqual(queuedIds(second), [ids[299], ...ids.slice(0, 299)]);
  });

  it('clears the history and keeps the queue', async () => {
    const storageDir = tempDir();
    const service = await openService({ storageDir });
    const job = service.enqueue({ command: 'exit 0' });
    const keep = service.enqueue({ command: 'echo keep' });
    service.sendNextJob();
    await waitForStatus(service, job.id, 'completed');
    const cleared = waitForEvent(service, (e) => e.type === 'historyCleared');
    await service.clearHistory();
    await cleared;
    assert.equal(service.getHistory().length, 0);
    await service.dispose();
    const again = await openService({ storageDir });
    assert.equal(again.getHistory().length, 0);
    assert.deepEqual(queuedIds(again), [keep.id]);
  });
});

describe('JobService: history retention', () => {
  it('keeps at most historyLimit runs, compacts the log in order, and prunes old logs', async () => {
    const storageDir = tempDir();
    const service = await openService({ storageDir, historyLimit: 5 });
    const ids: string[] = [];
    service.setAutoRun(true);
    for (let i = 0; i < 40; i++) {
      const job = service.enqueue({ command: `echo run ${i}` });
      ids.push(job.id);
      await waitForStatus(service, job.id, 'completed');
    }
    assert.deepEqual(service.getHistory().map((j) => j.id), ids.slice(-5).reverse());
    assert.deepEqual(service.getHistoryPage(1, 2).map((j) => j.id), [ids[38], ids[37]]);
    await service.dispose();
    // Opening compacts once the log holds twice what it needs (here 5 runs) plus 64 lines of slack;
    // its snapshot, saved at close, includes everything, so only the kept runs need their lines.
    const reopened = await openService({ storageDir, historyLimit: 5 });
    assert.deepEqual(reopened.getHistory().map((j) => j.id), ids.slice(-5).reverse());
    await reopened.dispose();
    const lines = fs.readFileSync(path.join(storageDir, 'history.jsonl'), 'utf8').trim().split('\n');
    assert.ok(lines.length <= 2 * 5 + 64, `log compacted (${lines.length} lines)`);
    const seqs = lines.map((l) => JSON.parse(l).seq as number);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'compaction keeps the order');
    const logIds = new Set(fs.readdirSync(path.join(storageDir, 'logs')).map((f) => f.split('.')[0]));
    assert.ok(logIds.size < 40, `old logs pruned (${logIds.size} left)`);
    assert.ok(ids.slice(-5).every((id) => logIds.has(id)), 'the kept runs keep their logs');
    const again = await openService({ storageDir, historyLimit: 5 });
    assert.deepEqual(again.getHistory().map((j) => j.id), ids.slice(-5).reverse());
  });
});

describe('JobService: dispatch hold', () => {
  it('holds every dispatch with a reason, and dispatches what is due once lifted', async () => {
    const service = await openService({ dispatchHold: 'This workspace is not trusted.' });
    const job = service.enqueue({ command: 'exit 0' });
    service.setAutoRun(true);
    assert.equal(service.getSnapshot().running.length, 0);
    const sent = service.sendNextJob();
    assert.deepEqual(sent.outcome === 'refused' && [sent.reason, sent.message], ['held', 'This workspace is not trusted.']);
    const done = waitForStatus(service, job.id, 'completed');
    service.setDispatchHold(undefined);
    await done;
  });
});
