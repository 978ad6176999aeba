// Holds, approval and dependencies through the UI, in a real extension host: a job another
// extension adds lands held for approval, the user is told (one notification) and releases it with
// Release Job; Run After… with arguments makes a job wait for another; Hold, and Send Job on a held job.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job, SendResult } from '../../src/core';
import { activateExtension, emptyQueue, eventually, finishedAs, lastNoticeSeq, noticeBarrier, noticesAfter, run } from './helpers';

type TreeRow = { group: string; label: string; description: string; contextValue: string; id: string };
let api: JobQueueApi;

const finished = (id: string, status: Job['status']) => finishedAs(api, id, status);

async function row(id: string): Promise<TreeRow | undefined> {
  return (await run<TreeRow[]>('_describeTree')).find((r) => r.id === `queue:${id}`);
}

async function lastRefusal(): Promise<string | undefined> {
  return (await run<string[]>('_recentRefusals')).at(-1);
}

const reset = (): Promise<void> => emptyQueue(api);

describe('Holds, approval and dependencies (in the extension host)', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
    assert.ok(vscode.workspace.isTrusted, 'the test workspace is trusted');
  });
  beforeEach(reset);
  after(reset);

  it('a job added through the API lands held for approval, is told once, and runs after Release Job', async () => {
    const seq = await lastNoticeSeq();
    const submitted = api.submit({ command: 'echo approved', label: 'from a tool' });
    assert.equal(submitted.kind, 'queued');
    const job = submitted.kind === 'queued' ? submitted.job : undefined!;
    assert.equal(job.hold?.by, 'approval', 'held for approval');
    assert.equal(job.spec.source?.kind, 'api');
    // The API cannot release it; the row offers Release, not Hold.
    assert.throws(() => api.release(job.id), /approval/);
    const shown = await row(job.id);
    assert.match(shown?.contextValue ?? '', /\breleasable\b/);
    assert.doesNotMatch(shown?.contextValue ?? '', /\bholdable\b/);
    // One notification, with Review and Release.
    const notice = await eventually(async () => (await noticesAfter(seq)).find((n) => /waiting for your approval/.test(n.message)), 'the approval notification');
    assert.match(notice.message, new RegExp(`^Job #${job.id} “from a tool” from .+ is waiting for your approval\\.$`));
    assert.deepEqual(notice.actions, ['Review', 'Release']);
    // Auto-run passes over it while it is held.
    await run('enableAutoRun');
    assert.equal(api.getSnapshot().queued.find((j) => j.id === job.id)?.status, 'queued');
    const done = finished(job.id, 'completed');
    // The notification's Release: a person's click in our UI (an id passed to releaseJob is refused: approval.test.ts).
    assert.equal(await run('_chooseNoticeAction', notice.seq, 'Release'), true);
    await done; // released: auto-run started it
    await noticeBarrier(api);
    assert.equal((await noticesAfter(seq)).filter((n) => /waiting for your approval/.test(n.message)).length, 1, 'told once');
  });

  it('a burst of API jobs is ONE notification', async () => {
    const seq = await lastNoticeSeq();
    const ids = [1, 2, 3].map((i) => {
      const r = api.submit({ command: `echo ${i}` });
      return r.kind === 'queued' ? r.job.id : '';
    });
    const notice = await eventually(async () => (await noticesAfter(seq)).find((n) => /waiting for your approval/.test(n.message)), 'the approval notification');
    assert.match(notice.message, new RegExp(`^3 jobs from .+ are waiting for your approval: ${ids.map((id) => `Job #${id}`).join(', ')}\\.$`));
    assert.deepEqual(notice.actions, ['Review', 'Release All']);
  });

  it('Run After… with arguments: the dependent starts only after its dependency completes', async () => {
    // The dependent is first in the queue: without the dependency auto-run would start it first.
    const dependent = await run<Job>('_addJobAsUser', { command: 'exit 0', label: 'dependent' });
    const dependency = await run<Job>('_addJobAsUser', { command: 'sleep 1; exit 0', label: 'dependency' });
    const waiting = await run<Job>('runAfter', dependent.id, { ids: [dependency.id], condition: 'success' });
    assert.deepEqual(waiting.after, { ids: [dependency.id], condition: 'success' });
    assert.deepEqual(api.getWaitReason(dependent.id), { kind: 'waiting', on: [dependency.id] });
    // A cycle is refused, plainly.
    assert.equal(await run('runAfter', dependency.id, { ids: [dependent.id] }), undefined);
    assert.match((await lastRefusal()) ?? '', /cycle/);
    assert.equal(api.getSnapshot().queued.find((j) => j.id === dependency.id)?.after, undefined, 'the refusal changed nothing');
    const first = finished(dependency.id, 'completed');
    const second = finished(dependent.id, 'completed');
    await run('enableAutoRun');
    const [a, b] = [(await first).entry, (await second).entry];
    assert.ok(b.startedAt! >= a.finishedAt!, `Job #${dependent.id} started (${b.startedAt}) after Job #${dependency.id} ended (${a.finishedAt})`);
  });

  it('Run After… refuses an unknown job and says so', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'exit 0' });
    assert.equal(await run('runAfter', job.id, { ids: ['999999'] }), undefined);
    assert.match((await lastRefusal()) ?? '', /There is no Job #999999/);
  });

  it('Hold Job holds a queued job; Send Job on it releases and sends it', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'exit 0' });
    const held = await run<Job>('holdJob', job.id);
    assert.deepEqual(held.hold, { by: 'user' });
    assert.match((await row(job.id))?.contextValue ?? '', /\breleasable\b/);
    const refused = await run<SendResult>('sendJob');
    assert.equal(refused.outcome, 'refused', 'Send Job without a job passes over a held one');
    const done = finished(job.id, 'completed');
    const sent = await run<SendResult>('sendJob', job.id);
    assert.equal(sent.outcome, 'started');
    await done;
  });

  it('Hold Job refuses a job that is not queued, saying why', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'exit 0' });
    const done = finished(job.id, 'completed');
    await run('sendJob');
    await done;
    assert.equal(await run('holdJob', job.id), undefined);
    assert.match((await lastRefusal()) ?? '', /^Cannot hold job #\d+ .*it is completed/);
  });
});
