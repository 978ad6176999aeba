// The Queue group of the Jobs view from a real engine (queueRows.ts): with one lane, the queue in
// order, paged, exactly as before lanes; with more than one lane, a sub-group per lane — its use,
// whether it is paused, its queued count — holding that lane's jobs in queue order.
import * as assert from 'node:assert/strict';
import { QUEUE_PAGE, QueueRows, laneContextValue, laneDescription } from '../../src/vscode/tree/queueRows';
import type { JobNode, LaneNode, MoreNode } from '../../src/vscode/tree/nodes';
import { openService } from './helpers';

const titles = (rows: Array<JobNode | LaneNode | MoreNode>) => rows.map((r) => (r.kind === 'job' ? `${r.position}. ${r.job.spec.command}` : r.kind === 'lane' ? `lane ${r.lane}` : `more ${r.remaining}`));

describe('Queue rows by lane', () => {
  it('one lane: the flat queue, paged — no lane groups', async () => {
    const service = await openService();
    for (let i = 0; i < QUEUE_PAGE + 5; i++) service.enqueue({ command: `echo ${i}` });
    const rows = new QueueRows(service);
    assert.equal(rows.showsLanes(), false);
    const children = rows.children();
    assert.equal(children.length, QUEUE_PAGE + 1);
    assert.deepEqual(titles(children).slice(0, 2), ['1. echo 0', '2. echo 1']);
    assert.deepEqual(titles(children).at(-1), 'more 5');
  });

  it('more than one lane: a group per lane with its use and count; its jobs in queue order with their queue positions', async () => {
    const service = await openService({ lanes: { gpu: 1 } });
    service.enqueue({ command: 'a' });
    service.enqueue({ command: 'b' }, { lane: 'gpu' });
    service.enqueue({ command: 'c' });
    service.enqueue({ command: 'd' }, { lane: 'gpu' });
    service.setLanePaused('gpu', true);
    const rows = new QueueRows(service);
    assert.equal(rows.showsLanes(), true);
    const lanes = rows.children() as LaneNode[];
    assert.deepEqual(titles(lanes), ['lane default', 'lane gpu']);
    assert.deepEqual(lanes.map(laneDescription), ['0 of 1 slot busy · 2 queued', '0 of 1 slot busy · paused · 2 queued']);
    assert.deepEqual(lanes.map(laneContextValue), ['lane pausablelane', 'lane resumablelane']);
    assert.deepEqual(titles(rows.laneChildren(lanes[0]!)), ['1. a', '3. c']);
    const gpu = rows.laneChildren(lanes[1]!);
    assert.deepEqual(titles(gpu), ['2. b', '4. d']);
    assert.equal(rows.node(gpu[0]!.kind === 'job' ? gpu[0]!.job.id : '')?.lane, 'gpu', 'a lane row knows its lane group (its parent)');
  });

  it('each lane pages on its own; a lane the settings dropped still shows its jobs', async () => {
    const service = await openService({ lanes: { gpu: 1, cpu: 2 } });
    for (let i = 0; i < QUEUE_PAGE + 2; i++) service.enqueue({ command: `g${i}` }, { lane: 'gpu' });
    service.enqueue({ command: 'c0' }, { lane: 'cpu' });
    service.configure({ lanes: { gpu: 1 } });
    const rows = new QueueRows(service);
    const lanes = rows.children() as LaneNode[];
    assert.deepEqual(titles(lanes), ['lane default', 'lane gpu', 'lane cpu']);
    assert.equal(laneDescription(lanes[2]!), 'not configured (jobQueue.lanes) · 1 queued');
    assert.equal(laneContextValue(lanes[2]!), 'lane', 'an unconfigured lane cannot be paused');
    assert.deepEqual(titles(rows.laneChildren(lanes[2]!)), [`${QUEUE_PAGE + 3}. c0`]);
    assert.equal(titles(rows.laneChildren(lanes[1]!)).at(-1), 'more 2');
    rows.showMore('gpu');
    assert.equal(rows.laneChildren(lanes[1]!).length, QUEUE_PAGE + 2);
  });
});
