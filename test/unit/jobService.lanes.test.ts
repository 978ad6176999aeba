// Lanes (issue 10, item 3): named lanes with their own slots and their own pause; the snapshot's
// version 2 and its migration from version 1, tested on a file the previous release wrote.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobError, type HistoryEvent, type JobService, type QueueSnapshot } from '../../src/core';
import { QUEUE_SNAPSHOT_VERSION } from '../../src/core/model';
import { openService, tempDir, waitForEvent, waitForFileLine, waitForStatus } from './helpers';

/** A queue.json and history.jsonl written by the release before lanes (snapshot version 1). */
const V1_FIXTURE = path.resolve(__dirname, '../../../test/unit/fixtures/snapshot-v1');

function gated(work: string, name: string): string {
  return `echo ran >> ${path.join(work, name)}; while [ ! -f ${path.join(work, 'gate')} ]; do sleep 0.02; done`;
}

function runningIds(service: JobService): string[] {
  return service.getSnapshot().running.map((j) => j.id).sort();
}

function readSnapshot(storageDir: string): QueueSnapshot & { version: number } {
  return JSON.parse(fs.readFileSync(path.join(storageDir, 'queue.json'), 'utf8')) as QueueSnapshot;
}

describe('JobService: lanes', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('each lane fills its own slots: a full lane does not hold up another', async () => {
    const work = tempDir();
    const service = await openService({ maxParallelJobs: 1, lanes: { gpu: 1, cpu: 2 } });
    const g1 = service.enqueue({ command: gated(work, 'g1') }, { lane: 'gpu' });
    const g2 = service.enqueue({ command: gated(work, 'g2') }, { lane: 'gpu' });
    const d1 = service.enqueue({ command: gated(work, 'd1') });
    const d2 = service.enqueue({ command: gated(work, 'd2') });
    const c1 = service.enqueue({ command: gated(work, 'c1') }, { lane: 'cpu' });
    const c2 = service.enqueue({ command: gated(work, 'c2') }, { lane: 'cpu' });
    assert.equal(g1.lane, 'gpu');
    assert.equal(d1.lane, undefined, 'the default lane is not written on each job');
    service.setAutoRun(true);
    assert.deepEqual(runningIds(service), [g1.id, d1.id, c1.id, c2.id].sort());
    assert.deepEqual(service.getSnapshot().queued.map((j) => j.id), [g2.id, d2.id]);
    assert.deepEqual(service.getWaitReason(g2.id), { kind: 'laneFull', lane: 'gpu', slots: 1 });
    assert.deepEqual(service.getSnapshot().lanes, [
      { name: 'default', slots: 1, paused: false, running: 1 },
      { name: 'gpu', slots: 1, paused: false, running: 1 },
      { name: 'cpu', slots: 2, paused: false, running: 2 },
    ]);
    assert.throws(() => service.enqueue({ command: 'true' }, { lane: 'tpu' }), (e: unknown) => e instanceof JobError && e.code === 'invalidArgument' && /There is no lane “tpu”.*default, gpu, cpu/.test(e.message));

    // More slots for a lane (the setting changed) start its next job at once.
    const more = waitForEvent(service, (e) => e.type === 'lanesChanged');
    service.configure({ lanes: { gpu: 2, cpu: 2 } });
    await more;
    assert.ok(runningIds(service).includes(g2.id));
    assert.equal(service.getJob(d2.id)?.status, 'queued');
    fs.writeFileSync(path.join(work, 'gate'), '');
    await waitForStatus(service, d2.id, 'completed');
  });

  it('a lane has its own pause, kept across a restart; the queue\'s pause still pauses every lane', async () => {
    const work = tempDir();
    const storageDir = tempDir();
    const first = await openService({ storageDir, maxParallelJobs: 2, lanes: { gpu: 1 } });
    const lanes: string[] = [];
    first.onDidChange((e) => {
      if (e.type === 'lanesChanged') lanes.push(e.lanes.map((l) => `${l.name}:${l.paused ? 'paused' : 'on'}`).join(','));
    });
    first.setLanePaused('gpu', true);
    assert.deepEqual(lanes, ['default:on,gpu:paused']);
    assert.throws(() => first.setLanePaused('nope', true), /There is no lane “nope”/);
    const g = first.enqueue({ command: gated(work, 'g') }, { lane: 'gpu' });
    const d = first.enqueue({ command: gated(work, 'd') });
    first.setAutoRun(true);
    assert.deepEqual(runningIds(first), [d.id]);
    assert.deepEqual(first.getWaitReason(g.id), { kind: 'lanePaused', lane: 'gpu' });
    const refused = first.sendJob(g.id);
    assert.equal(refused.outcome === 'refused' && refused.reason, 'lanePaused');
    assert.equal(readSnapshot(storageDir).lanes?.gpu?.paused, true, 'synced before acknowledged');
    await first.dispose();

    const second = await openService({ storageDir, maxParallelJobs: 2, lanes: { gpu: 1 } });
    assert.equal(second.getSnapshot().lanes.find((l) => l.name === 'gpu')?.paused, true);
    assert.equal(second.getJob(g.id)?.status, 'queued');
    second.setQueuePaused(true);
    second.setLanePaused('gpu', false);
    assert.equal(second.getJob(g.id)?.status, 'queued', 'the queue\'s own pause still holds it');
    assert.deepEqual(second.getWaitReason(g.id), { kind: 'queuePaused' });
    second.setQueuePaused(false);
    assert.equal(second.getJob(g.id)?.status, 'running');
    await waitForFileLine(path.join(work, 'g'), /ran/);
    fs.writeFileSync(path.join(work, 'gate'), '');
    await waitForStatus(second, g.id, 'completed');
  });

  it('a retry keeps its lane; a job whose lane is no longer configured waits for it, and says so', async () => {
    const service = await openService({ lanes: { gpu: 1 } });
    const g = service.enqueue({ command: 'exit 1' }, { lane: 'gpu' });
    service.sendJob(g.id);
    await waitForStatus(service, g.id, 'failed');
    const retry = service.retryJob(g.id);
    assert.equal(retry.lane, 'gpu');
    const moved = service.retryJob(g.id, { lane: 'default' });
    assert.equal(moved.lane, undefined);
    service.configure({ lanes: {} });
    assert.deepEqual(service.getWaitReason(retry.id), { kind: 'noLane', lane: 'gpu' });
    service.setAutoRun(true);
    await waitForStatus(service, moved.id, 'failed');
    assert.equal(service.getJob(retry.id)?.status, 'queued');
  });

  it('opens a version 1 queue (written by the release before lanes) unchanged; the next save is version 2', async () => {
    const storageDir = tempDir();
    for (const name of ['queue.json', 'history.jsonl']) fs.copyFileSync(path.join(V1_FIXTURE, name), path.join(storageDir, name));
    const v1 = readSnapshot(storageDir);
    const v1Events = fs.readFileSync(path.join(storageDir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HistoryEvent);
    assert.equal(v1.version, 1);

    const warnings: string[] = [];
    const service = await openService({ storageDir });
    service.onDidChange((e) => {
      if (e.type === 'storeWarning') warnings.push(e.message);
    });
    assert.deepEqual(service.openReport.warnings, [], 'nothing to repair');
    const view = service.getSnapshot();
    assert.deepEqual(view.queued, v1.queued, 'every queued job, in order, field for field');
    assert.deepEqual(view.running, []);
    assert.equal(view.autoRun, true);
    assert.equal(view.paused, true);
    assert.deepEqual(view.lanes, [{ name: 'default', slots: 1, paused: false, running: 0 }]);
    const finished = v1Events.filter((e) => e.type === 'finished').map((e) => e.job!).reverse();
    assert.deepEqual(service.getHistory(), finished, 'the history, newest first, as it was written');
    assert.deepEqual(finished.map((j) => [j.id, j.status]), [['6', 'cancelled'], ['2', 'failed'], ['1', 'completed']]);
    assert.equal(service.getJob('4')?.hold, undefined, 'a job queued before the approval rule is not held now');
    assert.equal(service.getWaitReason('5')?.kind, 'queuePaused');

    const next = service.enqueue({ command: 'echo after the migration' });
    assert.equal(next.id, '8', 'ids go on from the old queue');
    await service.flush();
    const v2 = readSnapshot(storageDir);
    assert.equal(v2.version, QUEUE_SNAPSHOT_VERSION);
    assert.equal(v2.version, 2);
    assert.deepEqual(v2.lanes, {});
    assert.deepEqual(v2.queued.slice(0, 3), v1.queued, 'the old jobs are written unchanged');
    assert.deepEqual([v2.autoRun, v2.paused, v2.nextId], [true, true, 9]);
    const log = fs.readFileSync(path.join(storageDir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(log.slice(0, v1Events.length).map((l) => JSON.parse(l) as HistoryEvent), v1Events, 'the old history lines are kept as they were');
    await service.dispose();

    const again = await openService({ storageDir });
    assert.deepEqual(again.getSnapshot().queued.map((j) => j.id), ['5', '3', '4', '8']);
    assert.deepEqual(warnings, []);
  });
});
