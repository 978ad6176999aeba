// Approval only from a person: a command's argument counts as a person's gesture only when our own UI
// made it (a Jobs view row, our notification's or dialog's button, our quick pick). A job spec passed
// to Add Job lands held for approval like the API's; a job id passed to Release Job or Send Job
// cannot lift an approval hold (refused with a message, nothing changes); the notification's Release
// — the handler a person's click runs — does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job, SendResult } from '../../src/core';
import { activateExtension, emptyQueue, eventually, finishedAs, lastNoticeSeq, noticesAfter, run } from './helpers';

let api: JobQueueApi;

const queued = (id: string): Job | undefined => api.getSnapshot().queued.find((j) => j.id === id);
const lastRefusal = async (): Promise<string | undefined> => (await run<string[]>('_recentRefusals')).at(-1);

describe('Approval only from a person (in the extension host)', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
    assert.ok(vscode.workspace.isTrusted, 'the test workspace is trusted');
  });
  beforeEach(() => emptyQueue(api));
  after(() => emptyQueue(api));

  it('a job spec passed to jobQueue.addJob is the caller\'s: held for approval, told like the API\'s', async () => {
    const seq = await lastNoticeSeq();
    const job = await run<Job>('addJob', { command: 'echo from a command argument', label: 'by argument', source: { kind: 'command' } });
    assert.ok(job, 'queued');
    assert.equal(job.hold?.by, 'approval', 'held for approval, not the user\'s own job');
    assert.equal(job.spec.source?.kind, 'api', 'its source is the caller, whatever the spec claimed');
    await run('enableAutoRun');
    assert.equal(queued(job.id)?.status, 'queued', 'auto-run passes over it');
    const notice = await eventually(async () => (await noticesAfter(seq)).find((n) => n.message.includes(`Job #${job.id}`) && /waiting for your approval/.test(n.message)), 'the approval notification');
    assert.deepEqual(notice.actions, ['Review', 'Release']);
  });

  it('Release Job and Send Job given the id of a job held for approval are refused and change nothing', async () => {
    const submitted = api.submit({ command: 'echo waits', label: 'needs approval' });
    const job = submitted.kind === 'queued' ? submitted.job : assert.fail('not queued');
    const before = JSON.stringify(queued(job.id));

    assert.equal(await run('releaseJob', job.id), undefined);
    assert.match((await lastRefusal()) ?? '', new RegExp(`Job #${job.id} waits for the user's approval: only the user can release it`));
    const sent = await run<SendResult | undefined>('sendJob', job.id);
    assert.equal(sent, undefined);
    assert.match((await lastRefusal()) ?? '', new RegExp(`Job #${job.id} waits for the user's approval`));
    // A run reference or a look-alike of our row is no better than an id.
    assert.equal(await run('releaseJob', { id: job.id }), undefined);
    await run('releaseJob', { kind: 'job', group: 'queue', job: queued(job.id) });
    assert.match((await lastRefusal()) ?? '', /Pass a job id/);

    assert.equal(JSON.stringify(queued(job.id)), before, 'still held for approval, unchanged');
  });

  it('a user\'s own hold may still be released by id (only an approval needs a person)', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'echo mine' });
    await run('holdJob', job.id);
    const released = await run<Job>('releaseJob', job.id);
    assert.equal(released.hold, undefined);
  });

  it('Retry from the failure notification is the user\'s job; Retry given an id is the caller\'s (held for approval)', async () => {
    const seq = await lastNoticeSeq();
    const failing = await run<Job>('_addJobAsUser', { command: 'exit 4', label: 'fails' });
    const failed = finishedAs(api, failing.id, 'failed');
    await run('sendJob', failing.id);
    await failed;
    const notice = await eventually(async () => (await noticesAfter(seq)).find((n) => n.message.startsWith(`Job #${failing.id} `) && n.actions.includes('Retry')), 'the failure notification');
    assert.equal(await run('_chooseNoticeAction', notice.seq, 'Retry'), true);
    const mine = api.getSnapshot().queued.find((j) => j.retryOf === failing.id);
    assert.ok(mine, 'retried');
    assert.equal(mine.hold, undefined, 'the notification\'s Retry is a person\'s: not held');
    const theirs = await run<Job>('retryJob', { id: failing.id, attempt: 1, finishedAt: api.getHistory().find((j) => j.id === failing.id)!.finishedAt });
    assert.equal(theirs.hold?.by, 'approval', 'a run reference passed by a caller: its job waits for approval');
    assert.equal(theirs.spec.source?.kind, 'api');
  });

  it('the approval notification\'s Release (a person\'s click) releases it', async () => {
    const seq = await lastNoticeSeq();
    const submitted = api.submit({ command: 'echo approved', label: 'approve me' });
    const job = submitted.kind === 'queued' ? submitted.job : assert.fail('not queued');
    const notice = await eventually(async () => (await noticesAfter(seq)).find((n) => n.message.includes(`Job #${job.id}`)), 'the approval notification');
    assert.equal(await run('_chooseNoticeAction', notice.seq, 'Release'), true);
    assert.equal(queued(job.id)?.hold, undefined, 'released (auto-run is off: it stays queued)');
    assert.equal(queued(job.id)?.status, 'queued');
  });
});
