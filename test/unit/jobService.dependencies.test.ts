// Dependencies (issue 10, item 1): a queued job waits for other jobs — after their success or after
// any end. Real processes and real files; a "gate" file decides when a job's command may end.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Job } from '../../src/core';
import { assertRefused, eventually, historyEvents as events, openService, queuedIds, tempDir, waitForFileLine, waitForStatus } from './helpers';

/** Writes `ran` to `marker`, then waits for `gate` to exist, then exits with `code`. */
function gated(work: string, name: string, code = 0): string {
  return `echo ran >> ${path.join(work, name)}; while [ ! -f ${path.join(work, `gate-${name}`)} ]; do sleep 0.02; done; exit ${code}`;
}

function open(work: string, name: string): void {
  fs.writeFileSync(path.join(work, `gate-${name}`), '');
}

function ran(work: string, name: string): boolean {
  return fs.existsSync(path.join(work, name));
}


describe('JobService: dependencies', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('a waiting job does not block the jobs behind it; it starts once its dependency completes', async () => {
    const work = tempDir();
    const service = await openService({ maxParallelJobs: 2 });
    const a = service.enqueue({ command: gated(work, 'a') });
    const b = service.enqueue({ command: gated(work, 'b') }, { after: { ids: [a.id] } });
    const c = service.enqueue({ command: gated(work, 'c') });
    assert.deepEqual(b.after, { ids: [a.id], condition: 'success' });
    service.setAutoRun(true);
    await waitForFileLine(path.join(work, 'c'), /ran/);
    assert.deepEqual(service.getSnapshot().running.map((j) => j.id).sort(), [a.id, c.id].sort(), 'c, behind the waiting b, took the free slot');
    assert.deepEqual(queuedIds(service), [b.id]);
    assert.deepEqual(service.getWaitReason(b.id), { kind: 'waiting', on: [a.id] });

    open(work, 'c');
    await waitForStatus(service, c.id, 'completed');
    assert.deepEqual(queuedIds(service), [b.id], 'a free slot does not start a job whose dependency runs');
    assert.equal(ran(work, 'b'), false);

    const started = waitForStatus(service, b.id, 'running');
    open(work, 'a');
    await waitForStatus(service, a.id, 'completed');
    const running = await started;
    assert.deepEqual(running.after, { ids: [a.id], condition: 'success' }, 'the run keeps what it waited for');
    open(work, 'b');
    await waitForStatus(service, b.id, 'completed');
  });

  it('failure propagates down a chain: after-success dependents leave the queue as failed, with the reason, and never run', async () => {
    const work = tempDir();
    const storageDir = tempDir();
    const service = await openService({ storageDir });
    const a = service.enqueue({ command: gated(work, 'a', 3) });
    const b = service.enqueue({ command: gated(work, 'b') }, { after: { ids: [a.id], condition: 'success' } });
    const c = service.enqueue({ command: gated(work, 'c') }, { after: { ids: [b.id] } });
    const d = service.enqueue({ command: gated(work, 'd') }, { after: { ids: [b.id], condition: 'any' } });
    const removed: string[] = [];
    service.onDidChange((e) => {
      if (e.type === 'jobRemoved') removed.push(e.jobId);
    });
    service.setAutoRun(true);
    const bFailed = waitForStatus(service, b.id, 'failed');
    const cFailed = waitForStatus(service, c.id, 'failed');
    open(work, 'a');
    assert.equal((await waitForStatus(service, a.id, 'failed')).exitCode, 3);
    const [bEnd, cEnd] = await Promise.all([bFailed, cFailed]);
    assert.equal(bEnd.error, `needs Job #${a.id}, which failed`);
    assert.equal(cEnd.error, `needs Job #${b.id}, which failed`);
    for (const end of [bEnd, cEnd]) {
      assert.equal(end.attempt, 0, 'never started');
      assert.equal(end.logPath, undefined);
    }
    assert.deepEqual(removed.sort(), [b.id, c.id].sort(), 'views are told they left the queue');

    // d waited for any end of b: b ended (failed), so d runs.
    await waitForFileLine(path.join(work, 'd'), /ran/);
    open(work, 'd');
    await waitForStatus(service, d.id, 'completed');
    assert.equal(ran(work, 'b'), false);
    assert.equal(ran(work, 'c'), false);
    await service.flush();
    const finished = events(storageDir).filter((e) => e.type === 'finished').map((e) => [e.job!.id, e.job!.status]);
    assert.deepEqual(finished, [[a.id, 'failed'], [b.id, 'failed'], [c.id, 'failed'], [d.id, 'completed']], 'each end is recorded like any other');
  });

  it('refuses unknown ids, a job waiting for itself, a dependency that already failed, and cycles — changing nothing', async () => {
    const storageDir = tempDir();
    const service = await openService({ storageDir });
    const a = service.enqueue({ command: 'true' });
    const b = service.enqueue({ command: 'true' }, { after: { ids: [a.id] } });
    const c = service.enqueue({ command: 'true' }, { after: { ids: [b.id] } });
    await service.flush();
    const before = events(storageDir).length;

    assertRefused(() => service.enqueue({ command: 'true' }, { after: { ids: ['99'] } }), 'invalidArgument', /There is no Job #99 to wait for/);
    assertRefused(() => service.setDependencies(a.id, { ids: [a.id] }), 'invalidArgument', /cannot wait for itself/);
    assertRefused(() => service.setDependencies(a.id, { ids: [c.id] }), 'invalidArgument', new RegExp(`cycle \\(#${a.id} → #${c.id} → #${b.id} → #${a.id}\\)`));
    assertRefused(() => service.setDependencies(a.id, { ids: [b.id], condition: 'any' }), 'invalidArgument', /cycle/);
    assertRefused(() => service.enqueue({ command: 'true' }, { after: { ids: [] } }), 'invalidArgument', /at least one job/);
    assertRefused(() => service.enqueue({ command: 'true' }, { after: { ids: [a.id], condition: 'sometimes' as never } }), 'invalidArgument', /condition/);
    assertRefused(() => service.setDependencies(b.id, { ids: [a.id], bogus: 1 } as never), 'invalidArgument', /Invalid dependencies/);

    const failed = service.enqueue({ command: 'exit 1' });
    await service.cancelJob(failed.id);
    assertRefused(() => service.enqueue({ command: 'true' }, { after: { ids: [failed.id] } }), 'invalidArgument', /was cancelled: a job that waits for its success would never run/);
    const anyEnd = service.enqueue({ command: 'true' }, { after: { ids: [failed.id], condition: 'any' } });
    assert.equal(service.getWaitReason(anyEnd.id)?.kind, 'ready', 'after any end: a cancelled job satisfies it');

    assertRefused(() => service.setDependencies('404', { ids: [a.id] }), 'unknownJob', /no job #404/);
    await service.flush();
    assert.equal(events(storageDir).length, before + 3, 'only the two jobs added and the cancel were recorded');
    assert.deepEqual(service.getJob(a.id)?.after, undefined);
  });

  it('dependencies can be set, changed and cleared while queued, and by Retry with Changes', async () => {
    const work = tempDir();
    const storageDir = tempDir();
    const service = await openService({ storageDir });
    const a = service.enqueue({ command: gated(work, 'a') });
    const b = service.enqueue({ command: 'exit 2' });
    const c = service.enqueue({ command: 'true' });
    const changed = service.setDependencies(c.id, { ids: [a.id, `#${b.id}`, a.id], condition: 'any' });
    assert.deepEqual(changed.after, { ids: [a.id, b.id], condition: 'any' }, 'ids deduplicated, "#" accepted');
    assert.deepEqual(queuedIds(service), [a.id, b.id, c.id], 'the job keeps its place');
    await service.flush();
    assert.deepEqual(events(storageDir).at(-1)?.type, 'dependenciesChanged', 'recorded');

    const cleared = service.setDependencies(c.id, null);
    assert.equal(cleared.after, undefined);
    service.setDependencies(c.id, { ids: [a.id] });

    // Retry with Changes gives the new job dependencies.
    assert.equal(service.sendJob(b.id).outcome, 'started');
    await waitForStatus(service, b.id, 'failed');
    const retry = service.retryJob(b.id, { label: 'again', after: { ids: [a.id] } });
    assert.deepEqual(retry.after, { ids: [a.id], condition: 'success' });
    assert.equal(retry.retryOf, b.id);
    assert.deepEqual(service.getWaitReason(retry.id), { kind: 'waiting', on: [a.id] });
    const refused = service.sendJob(retry.id);
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.outcome === 'refused' ? refused.message : '', new RegExp(`Job #${retry.id} waits for Job #${a.id}`));
    assertRefused(() => service.retryJob(b.id, { after: { ids: [b.id] } }), 'invalidArgument', /failed: a job that waits for its success would never run/);
  });

  it('cancelling a queued dependency fails its after-success dependents; removing one that others wait for is refused', async () => {
    const service = await openService();
    const a = service.enqueue({ command: 'true' });
    const b = service.enqueue({ command: 'true' }, { after: { ids: [a.id] } });
    assertRefused(() => service.removeJob(a.id), 'invalidState', new RegExp(`Job #${b.id} waits for Job #${a.id}`));
    assert.deepEqual(queuedIds(service), [a.id, b.id]);
    const failed = waitForStatus(service, b.id, 'failed');
    await service.cancelJob(a.id);
    assert.equal((await failed).error, `needs Job #${a.id}, which was cancelled`);
    assert.deepEqual(queuedIds(service), []);
  });

  it('a dependency back in the queue (cancel and return) is not yet satisfied: its dependents keep waiting', async () => {
    const work = tempDir();
    const service = await openService({ maxParallelJobs: 2 });
    const a = service.enqueue({ command: gated(work, 'a') });
    const b = service.enqueue({ command: 'true' }, { after: { ids: [a.id] } });
    assert.equal(service.sendJob(a.id).outcome, 'started');
    await waitForFileLine(path.join(work, 'a'), /ran/);
    await service.cancelAndRequeue(a.id);
    assert.deepEqual(queuedIds(service), [b.id, a.id], 'b still waits, a is back at the bottom');
    assert.deepEqual(service.getWaitReason(b.id), { kind: 'waiting', on: [a.id] });
    open(work, 'a');
    service.setAutoRun(true);
    await waitForStatus(service, a.id, 'completed');
    await waitForStatus(service, b.id, 'completed');
  });

  it('a dependency chain survives a host restart: the chain goes on where it was', async () => {
    const work = tempDir();
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    const a = first.enqueue({ command: gated(work, 'a') });
    const b = first.enqueue({ command: gated(work, 'b', 1) }, { after: { ids: [a.id] } });
    const c = first.enqueue({ command: gated(work, 'c') }, { after: { ids: [b.id], condition: 'any' } });
    first.setAutoRun(true);
    await waitForFileLine(path.join(work, 'a'), /ran/);
    await first.dispose(); // VS Code closes; a goes on
    open(work, 'a');
    await eventually(() => fs.readFileSync(path.join(storageDir, 'logs', 'exit-codes'), 'utf8').includes(`${a.id}.1 0`), 'a ended while no host was there');

    const second = await openService({ storageDir });
    assert.deepEqual(second.openReport.endedWhileClosed.map((j) => [j.id, j.status]), [[a.id, 'completed']]);
    assert.deepEqual(second.getSnapshot().running.map((j) => j.id), [b.id], 'b started once a was known to have completed');
    assert.deepEqual(second.getJob(c.id)?.after, { ids: [b.id], condition: 'any' });
    assert.deepEqual(second.getWaitReason(c.id), { kind: 'waiting', on: [b.id] });
    await second.dispose();

    // Again, with b failing while no host is there: c waited for any end, so it runs next time.
    open(work, 'b');
    await eventually(() => fs.readFileSync(path.join(storageDir, 'logs', 'exit-codes'), 'utf8').includes(`${b.id}.1 1`), 'b ended while no host was there');
    const third = await openService({ storageDir });
    await waitForStatus(third, b.id, 'failed');
    await waitForFileLine(path.join(work, 'c'), /ran/);
    open(work, 'c');
    await waitForStatus(third, c.id, 'completed');
  });

  it('a host killed (SIGKILL) while the chain runs: the next host adopts A and goes on down the chain; holds and start times kept', async () => {
    const work = tempDir();
    const storageDir = tempDir();
    const notBefore = Date.now() + 3600_000;
    const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'chainHost.js'), storageDir, gated(work, 'a'), gated(work, 'b', 1), gated(work, 'c'), String(notBefore)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ids = JSON.parse(await new Promise<string>((resolve) => readline.createInterface({ input: host.stdout! }).once('line', resolve))) as Record<'a' | 'b' | 'c' | 'held' | 'later', string>;
    await waitForFileLine(path.join(work, 'a'), /ran/);
    host.kill('SIGKILL');
    await new Promise((resolve) => host.once('exit', resolve));

    const service = await openService({ storageDir });
    assert.deepEqual(service.openReport.adopted.map((j) => j.id), [ids.a]);
    assert.deepEqual(queuedIds(service), [ids.b, ids.c, ids.held, ids.later]);
    assert.deepEqual(service.getWaitReason(ids.b), { kind: 'waiting', on: [ids.a] });
    assert.deepEqual(service.getWaitReason(ids.held), { kind: 'held', hold: { by: 'user' } });
    assert.deepEqual(service.getWaitReason(ids.later), { kind: 'notBefore', at: notBefore });
    open(work, 'a');
    await waitForStatus(service, ids.a, 'completed');
    await waitForFileLine(path.join(work, 'b'), /ran/);
    open(work, 'b');
    await waitForStatus(service, ids.b, 'failed');
    await waitForFileLine(path.join(work, 'c'), /ran/);
    open(work, 'c');
    await waitForStatus(service, ids.c, 'completed');
    assert.deepEqual(queuedIds(service), [ids.held, ids.later]);
    for (const name of ['a', 'b', 'c']) assert.equal(fs.readFileSync(path.join(work, name), 'utf8'), 'ran\n', `${name} ran once`);
  });

  it('a failure while no host was there fails the after-success chain on the next open', async () => {
    const work = tempDir();
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    const a = first.enqueue({ command: gated(work, 'a', 4) });
    const b = first.enqueue({ command: 'true' }, { after: { ids: [a.id] } });
    const c = first.enqueue({ command: 'true' }, { after: { ids: [b.id] } });
    first.setAutoRun(true);
    await waitForFileLine(path.join(work, 'a'), /ran/);
    await first.dispose();
    open(work, 'a');
    await eventually(() => fs.readFileSync(path.join(storageDir, 'logs', 'exit-codes'), 'utf8').includes(`${a.id}.1 4`), 'a ended while no host was there');

    const second = await openService({ storageDir });
    const history = new Map(second.getHistory().map((j): [string, Job] => [j.id, j]));
    assert.equal(history.get(a.id)?.status, 'failed');
    assert.equal(history.get(b.id)?.error, `needs Job #${a.id}, which failed`);
    assert.equal(history.get(c.id)?.error, `needs Job #${b.id}, which failed`);
    assert.deepEqual(queuedIds(second), []);
  });
});
