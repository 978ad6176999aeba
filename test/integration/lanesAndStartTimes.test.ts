// Start times and lanes through the UI, in a real extension host: Set Start Time with an argument
// (and a bad one, refused, nothing changed), Clear Start Time; the Jobs view shows lanes as
// sub-groups only with more than one lane; Pause Lane keeps that lane's jobs waiting while another
// lane runs, and says so on the row and on the lane's group.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { activateExtension, emptyQueue, eventually, finishedAs, run } from './helpers';

type TreeRow = { group: string; label: string; description: string; contextValue: string; id: string };
let api: JobQueueApi;

const tree = (): Thenable<TreeRow[]> => run<TreeRow[]>('_describeTree');

async function setLanes(lanes: Record<string, number> | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('jobQueue').update('lanes', lanes, vscode.ConfigurationTarget.Workspace);
  const want = 1 + Object.keys(lanes ?? {}).length;
  await eventually(() => api.getSnapshot().lanes.length === want, `the queue to have ${want} lane(s)`);
}

describe('Start times and lanes (in the extension host)', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
  });
  beforeEach(() => emptyQueue(api));
  after(async () => {
    await emptyQueue(api);
    await setLanes(undefined);
  });

  it('Set Start Time with an argument: the job waits until then, the row says so; a bad time changes nothing; Clear Start Time', async () => {
    await run('pauseQueue');
    const job = await run<Job>('_addJobAsUser', { command: 'echo later', label: 'later' });
    const before = Date.now();
    const timed = await run<Job>('setStartTime', job.id, '+2h');
    assert.ok(timed.notBefore !== undefined && Math.abs(timed.notBefore - (before + 2 * 3_600_000)) < 60_000, 'not before two hours from now');
    const row = await eventually(async () => (await tree()).find((r) => r.id === `queue:${job.id}`), 'the row');
    assert.match(row.description, /starts at /);
    assert.match(row.contextValue, /\btimed\b/, 'the row offers Clear Start Time');
    assert.match(row.contextValue, /\btimeable\b/);

    const refusalsBefore = (await run<string[]>('_recentRefusals')).length;
    assert.equal(await run('setStartTime', job.id, '25:99'), undefined);
    const refusals = await run<string[]>('_recentRefusals');
    assert.equal(refusals.length, refusalsBefore + 1);
    assert.match(refusals.at(-1)!, /25:99 is not a time of day/);
    assert.equal(api.getSnapshot().queued.find((j) => j.id === job.id)?.notBefore, timed.notBefore, 'a bad time changes nothing');

    const cleared = await run<Job>('clearStartTime', job.id);
    assert.equal(cleared.notBefore, undefined);
    await run('resumeQueue');
  });

  it('lanes show as sub-groups of the Queue only with more than one lane', async () => {
    await run('pauseQueue');
    await setLanes(undefined);
    const plain = await run<Job>('_addJobAsUser', { command: 'echo plain' });
    let rows = await tree();
    assert.ok(rows.some((r) => r.group === 'queue' && r.id === `queue:${plain.id}`), 'one lane: the job is right under Queue');
    assert.ok(!rows.some((r) => r.id.startsWith('lane:')), 'one lane: no lane groups');

    await setLanes({ gpu: 1 });
    const gpuJob = await run<Job>('_addJobAsUser', { command: 'echo gpu' }, { lane: 'gpu' });
    rows = await tree();
    const lanes = rows.filter((r) => r.id.startsWith('lane:'));
    assert.deepEqual(lanes.map((r) => [r.group, r.label, r.description]), [['queue', 'default', '0 of 1 slot busy · 1 queued'], ['queue', 'gpu', '0 of 1 slot busy · 1 queued']]);
    assert.deepEqual(lanes.map((r) => r.contextValue), ['lane pausablelane', 'lane pausablelane']);
    assert.equal(rows.find((r) => r.id === `queue:${gpuJob.id}`)?.group, 'queue/gpu');
    assert.equal(rows.find((r) => r.id === `queue:${plain.id}`)?.group, 'queue/default');
    assert.match(rows.find((r) => r.id === `queue:${gpuJob.id}`)!.label, /^2\. /, 'its place in the whole queue');

    await setLanes(undefined);
    await run('cancelJob', gpuJob.id);
    rows = await tree();
    assert.ok(!rows.some((r) => r.id.startsWith('lane:')), 'back to one lane: the lane groups are gone');
    await run('resumeQueue');
  });

  it('Pause Lane keeps that lane’s jobs waiting while another lane runs; Resume Lane lets them go', async () => {
    await setLanes({ gpu: 1 });
    assert.equal(await run('pauseLane', 'gpu'), true);
    const waiting = await run<Job>('_addJobAsUser', { command: 'echo gpu job', label: 'gpu job' }, { lane: 'gpu' });
    const other = await run<Job>('_addJobAsUser', { command: 'echo default job', label: 'default job' });
    const otherDone = finishedAs(api, other.id, 'completed');
    await run('enableAutoRun');
    await otherDone;
    assert.equal(api.getSnapshot().queued.find((j) => j.id === waiting.id)?.status, 'queued', 'the paused lane’s job still waits');
    const rows = await tree();
    assert.match(rows.find((r) => r.id === `queue:${waiting.id}`)?.description ?? '', /its lane is paused/);
    const gpu = rows.find((r) => r.id === 'lane:gpu');
    assert.match(gpu?.description ?? '', /paused/);
    assert.equal(gpu?.contextValue, 'lane resumablelane', 'the lane offers Resume Lane');

    const done = finishedAs(api, waiting.id, 'completed');
    assert.equal(await run('resumeLane', 'gpu'), false);
    await done;
    // A lane that is not configured is refused, saying which lanes there are.
    assert.equal(await run('pauseLane', 'nope'), undefined);
    assert.match((await run<string[]>('_recentRefusals')).at(-1) ?? '', /no lane “nope”.*default, gpu/);
  });
});
