// The first job runs or says why not: a job queued while auto-run is off and nothing runs is told
// once per queue session, with Run Now / Turn On Auto-run / Don't Show Again — after an approval
// too. (`_reopen` starts a new queue session on the workspace's own queue.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { activateExtension, emptyQueue, eventually, finishedAs, lastNoticeSeq, noticeBarrier, noticesAfter, run, type Notice } from './helpers';

let api: JobQueueApi;
const AUTO_RUN_OFF = /is queued, but auto-run is off: it starts when you send it \(Send Job\)\.$/;
const told = async (seq: number): Promise<Notice[]> => (await noticesAfter(seq)).filter((n) => AUTO_RUN_OFF.test(n.message));

async function newSession(): Promise<void> {
  await run('_reopen', {});
  api = await activateExtension();
  await emptyQueue(api);
}

describe('Auto-run is off: the first job says why it waits (in the extension host)', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
  });
  after(async () => {
    await vscode.workspace.getConfiguration('jobQueue').update('tellWhenAutoRunIsOff', undefined, vscode.ConfigurationTarget.Global);
    await emptyQueue(api);
  });

  it('tells once per session, and Run Now runs that job', async () => {
    await newSession();
    const seq = await lastNoticeSeq();
    const job = await run<Job>('_addJobAsUser', { command: 'exit 0', label: 'first job' });
    const [notice] = await eventually(async () => ((await told(seq)).length > 0 ? told(seq) : undefined), 'the auto-run-off notice');
    assert.equal(notice!.message, `Job #${job.id} “first job” is queued, but auto-run is off: it starts when you send it (Send Job).`);
    assert.deepEqual(notice!.actions, ['Run Now', 'Turn On Auto-run', 'Don\'t Show Again']);
    const done = finishedAs(api, job.id, 'completed');
    assert.equal(await run('_chooseNoticeAction', notice!.seq, 'Run Now'), true);
    await done;
    // A second job in the same session: not told again.
    await run<Job>('_addJobAsUser', { command: 'exit 0', label: 'second job' });
    await noticeBarrier(api);
    assert.equal((await told(seq)).length, 1, 'told once');
  });

  it('a job sent right away is not told about; with auto-run on nothing is said', async () => {
    await newSession();
    const seq = await lastNoticeSeq();
    const sent = await run<Job>('_addJobAsUser', { command: 'exit 0', label: 'sent at once' });
    const done = finishedAs(api, sent.id, 'completed');
    await run('sendJob', sent.id);
    await done;
    await run('enableAutoRun');
    await run<Job>('_addJobAsUser', { command: 'exit 0', label: 'auto-run on' });
    await noticeBarrier(api);
    assert.deepEqual(await told(seq), []);
  });

  it('after approving a job from outside the editor, it is told; Turn On Auto-run runs it', async () => {
    await newSession();
    const seq = await lastNoticeSeq();
    const submitted = api.submit({ command: 'exit 0', label: 'from a tool' });
    const job = submitted.kind === 'queued' ? submitted.job : assert.fail('not queued');
    const approval = await eventually(async () => (await noticesAfter(seq)).find((n) => n.message.includes(`Job #${job.id}`) && /approval/.test(n.message)), 'the approval notice');
    assert.deepEqual(await told(seq), [], 'not told while it waits for approval');
    await run('_chooseNoticeAction', approval.seq, 'Release');
    const [notice] = await eventually(async () => ((await told(seq)).length > 0 ? told(seq) : undefined), 'the auto-run-off notice');
    assert.match(notice!.message, new RegExp(`^Job #${job.id} `));
    const done = finishedAs(api, job.id, 'completed');
    await run('_chooseNoticeAction', notice!.seq, 'Turn On Auto-run');
    await done;
    assert.equal(api.getSnapshot().autoRun, true);
  });

  it('Don\'t Show Again turns the setting off: a new session says nothing', async () => {
    await newSession();
    const seq = await lastNoticeSeq();
    await run<Job>('_addJobAsUser', { command: 'exit 0', label: 'told' });
    const [notice] = await eventually(async () => ((await told(seq)).length > 0 ? told(seq) : undefined), 'the auto-run-off notice');
    await run('_chooseNoticeAction', notice!.seq, 'Don\'t Show Again');
    assert.equal(vscode.workspace.getConfiguration('jobQueue').get('tellWhenAutoRunIsOff'), false);
    await newSession();
    const after = await lastNoticeSeq();
    await run<Job>('_addJobAsUser', { command: 'exit 0', label: 'not told' });
    await noticeBarrier(api);
    assert.deepEqual(await told(after), []);
  });
});
