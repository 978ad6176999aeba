// Every command, run inside a real extension host through vscode.commands.executeCommand, checked
// through the exported API, the Jobs view (jobQueue._describeTree) and the files on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import { QueueSnapshotSchema, type Job, type JobServiceEvent, type SendResult } from '../../src/core';
import { emptyQueue, eventually, finishedAs, lastNoticeSeq, noticesAfter, waitForApiEvent } from './helpers';

const EXTENSION_ID = 'job-queue.job-queue';
let api: JobQueueApi;

type TreeRow = { group: string; label: string; description: string; contextValue: string; id: string };
/** What jobQueue._cardMessage returns: the card's counters, its last answer to a request, whether it is open. */
type CardStats = { received: number; rejected: number; posted: number; open: boolean; lastAnswer?: { type: 'didAct'; requestId: string } & ({ ok: true } | { ok: false; message: string }) };

function run<T = unknown>(command: string, ...args: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(`jobQueue.${command}`, ...args);
}

async function tree(): Promise<TreeRow[]> {
  return run<TreeRow[]>('_describeTree');
}

async function lastRefusal(): Promise<string | undefined> {
  return (await run<string[]>('_recentRefusals')).at(-1);
}

const waitFor = (match: (e: JobServiceEvent) => boolean, what: string, timeoutMs?: number) => waitForApiEvent(api, match, what, timeoutMs);
const finished = (id: string, status: Job['status']) => finishedAs(api, id, status);

const reset = (): Promise<void> => emptyQueue(api);

describe('Job Queue commands (in the extension host)', function () {
  this.timeout(60_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<JobQueueApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    assert.equal(api.version, 1);
  });

  beforeEach(reset);
  after(reset);

  it('contributes every command in package.json', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    const missing = manifest.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
    assert.ok(manifest.contributes.commands.length >= 20);
  });

  it('Add Job queues a job that the tree shows with its position and capabilities', async () => {
    const a = await run<Job>('_addJobAsUser', { command: 'echo a', label: 'Alpha' });
    const b = await run<Job>('_addJobAsUser', { command: 'echo b' });
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [a.id, b.id]);
    const rows = await tree();
    const alpha = rows.find((r) => r.id === `queue:${a.id}`);
    assert.ok(alpha, JSON.stringify(rows));
    assert.equal(alpha.label, '1. Alpha', 'a queue position is shown as a position');
    assert.match(alpha.description, new RegExp(`^Job #${a.id}\\b`), 'the job\'s identity is in the description');
    assert.match(alpha.contextValue, /^job queued\b/);
    for (const token of ['cancellable', 'movable', 'removable']) assert.match(alpha.contextValue, new RegExp(`\\b${token}\\b`));
    assert.doesNotMatch(alpha.contextValue, /\bretryable\b/);
    assert.ok(rows.some((r) => r.group === 'root' && r.label === 'Queue (2)'));
  });

  it('Add Job refuses an empty command line and changes nothing', async () => {
    const result = await run('addJob', { command: '   ' });
    assert.equal(result, undefined);
    assert.match((await lastRefusal()) ?? '', /command must not be empty/);
    assert.equal(api.getSnapshot().queued.length, 0);
  });

  it('the API validates its input', () => {
    assert.throws(() => api.enqueue({ command: '' }), /command must not be empty/);
    assert.throws(() => api.enqueue({ command: 'ls', bogus: 1 } as never), /Invalid job request/);
    const job = api.enqueue({ command: 'echo from-api', label: 'api' });
    assert.equal(job?.spec.source?.kind, 'api');
    const submitted = api.submit({ command: 'echo submitted' });
    assert.equal(submitted.kind, 'queued', 'this window runs the queue: the job is queued here');
    assert.equal(api.role.kind, 'owner');
  });

  it('Send Job runs the top job; while paused it refuses and says why', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'exit 0' });
    await run('pauseQueue');
    assert.equal(api.getSnapshot().paused, true);
    const refused = await run<SendResult>('sendJob');
    assert.equal(refused.outcome, 'refused');
    assert.match((await lastRefusal()) ?? '', /paused/);
    assert.equal(api.getSnapshot().queued.length, 1);
    await run('resumeQueue');
    const done = finished(job.id, 'completed');
    const sent = await run<SendResult>('sendJob');
    assert.equal(sent.outcome, 'started');
    await done;
    assert.equal(api.getHistory()[0]?.id, job.id);
  });

  it('Send Job from the title bar sends the next job even when VS Code passes along a focused history row', async () => {
    const first = await run<Job>('_addJobAsUser', { command: 'exit 0' });
    const firstDone = finished(first.id, 'completed');
    await run('sendJob');
    const run1 = await firstDone;
    const next = await run<Job>('_addJobAsUser', { command: 'exit 0' });
    const nextDone = finished(next.id, 'completed');
    // What a view/title action may receive: the focused row, here a finished run of the history.
    const entry = (run1 as Extract<JobServiceEvent, { type: 'historyAdded' }>).entry;
    const historyNode = await run('_treeNode', `history:${entry.id}#${entry.attempt}#${entry.finishedAt}`);
    assert.ok(historyNode, 'the history row');
    const sent = await run<SendResult>('sendJob', historyNode);
    assert.equal(sent.outcome, 'started');
    assert.equal(sent.outcome === 'started' && sent.job.id, next.id);
    await nextDone;
  });

  it('Enable Auto-run drains the queue; Disable Auto-run stops it', async () => {
    const jobs = [await run<Job>('_addJobAsUser', { command: 'exit 0' }), await run<Job>('_addJobAsUser', { command: 'exit 0' })];
    const last = finished(jobs[1]!.id, 'completed');
    await run('enableAutoRun');
    assert.equal(api.getSnapshot().autoRun, true);
    await last;
    await run('disableAutoRun');
    await run<Job>('_addJobAsUser', { command: 'exit 0' });
    assert.equal(api.getSnapshot().queued.length, 1, 'auto-run off: the new job waits');
  });

  it('Pause Job / Resume Job / Cancel and Return to Queue on a running job, by tree node', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'sleep 30', label: 'sleeper' });
    const other = await run<Job>('_addJobAsUser', { command: 'echo other' });
    await run('sendJob');
    const node = await run('_treeNode', `running:${job.id}`);
    assert.ok(node, 'the running row');
    const running = (await tree()).find((r) => r.id === `running:${job.id}`);
    assert.ok(running);
    assert.match(running.contextValue, /\bpausable\b/);
    assert.match(running.contextValue, /\brequeueable\b/);
    const paused = await run<Job>('pauseJob', node);
    assert.equal(paused.status, 'paused');
    assert.match((await tree()).find((r) => r.id === `running:${job.id}`)!.contextValue, /\bresumable\b/);
    const resumed = await run<Job>('resumeJob', job.id);
    assert.equal(resumed.status, 'running');
    const back = await run<Job>('cancelAndRequeue', job.id);
    assert.equal(back.id, job.id);
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [other.id, job.id]);
    assert.equal(api.getHistory()[0]?.status, 'cancelled');
  });

  it('Retry refuses a running job with a clear message; retries a failed one as a new job', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'sleep 30' });
    await run('sendJob');
    assert.equal(await run('retryJob', job.id), undefined);
    assert.match((await lastRefusal()) ?? '', new RegExp(`Cannot retry job #${job.id}.*it is running`));
    await run('cancelJob', job.id);

    const failing = await run<Job>('_addJobAsUser', { command: 'exit 3' });
    const failed = finished(failing.id, 'failed');
    await run('sendJob');
    assert.equal((await failed).type === 'historyAdded' && (await failed as Extract<JobServiceEvent, { type: 'historyAdded' }>).entry.exitCode, 3);
    const historyRow = (await tree()).find((r) => r.group === 'history' && r.id.startsWith(`history:${failing.id}#`));
    assert.ok(historyRow);
    assert.match(historyRow.contextValue, /\bretryable\b/);
    assert.match(historyRow.description, /exit 3/);
    const retry = await run<Job>('retryJob', await run('_treeNode', historyRow.id));
    assert.notEqual(retry.id, failing.id);
    assert.equal(retry.retryOf, failing.id);
    assert.equal(api.getSnapshot().queued.at(-1)?.id, retry.id);
  });

  it('Retry on the history row of an earlier run of a job that is back in the queue: a new job from that run', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'sleep 30', label: 'returned' });
    await run('sendJob');
    await run('cancelAndRequeue', job.id);
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [job.id], 'the job is queued again');
    const earlier = api.getHistory().find((r) => r.id === job.id && r.attempt === 1);
    assert.ok(earlier);
    const historyRow = (await tree()).find((r) => r.id === `history:${job.id}#1#${earlier.finishedAt}`);
    assert.ok(historyRow, 'the earlier run has its row in the history');
    assert.match(historyRow.contextValue, /\bretryable\b/, 'the menu offers Retry');
    assert.doesNotMatch(historyRow.contextValue, /\b(cancellable|movable|removable)\b/, 'and nothing that would act on the queued job');

    // What the menu offers, the command does: a NEW job from that run's spec, linked to it.
    const node = await run('_treeNode', historyRow.id);
    assert.ok(node, 'the history row');
    const retry = await run<Job>('retryJob', node);
    assert.ok(retry, `retried (${await lastRefusal()})`);
    assert.notEqual(retry.id, job.id);
    assert.equal(retry.retryOf, job.id);
    assert.equal(retry.spec.command, 'sleep 30');
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [job.id, retry.id]);
    const retryRow = (await tree()).find((r) => r.id === `queue:${retry.id}`);
    assert.match(retryRow?.description ?? '', new RegExp(`retry of Job #${job.id}\\b`));

    // A notification's Retry names the run (id, attempt, end), not the job as it is by then.
    const viaRun = await run<Job>('retryJob', { id: job.id, attempt: 1, finishedAt: earlier.finishedAt });
    assert.equal(viaRun?.retryOf, job.id);
    // By job id alone it is the job as it is now: queued, so there is nothing to retry.
    assert.equal(await run('retryJob', job.id), undefined);
    assert.match((await lastRefusal()) ?? '', new RegExp(`Cannot retry job #${job.id} .*it is queued`));
    // Job actions through the earlier run's row are refused; the queued job is untouched.
    assert.equal(await run('cancelJob', node), undefined);
    assert.match((await lastRefusal()) ?? '', /^Cannot cancel job #\d+ /);
    assert.equal(api.getSnapshot().queued[0]?.id, job.id);
  });

  it('Move Up / Move Down / Move to Top / Remove from Queue reorder the queue', async () => {
    const [a, b, c] = [await run<Job>('_addJobAsUser', { command: 'echo a' }), await run<Job>('_addJobAsUser', { command: 'echo b' }), await run<Job>('_addJobAsUser', { command: 'echo c' })];
    const ids = () => api.getSnapshot().queued.map((j) => j.id);
    assert.equal(await run('moveToTop', c!.id), 1);
    assert.deepEqual(ids(), [c!.id, a!.id, b!.id]);
    assert.equal(await run('moveDown', c!.id), 2);
    assert.equal(await run('moveUp', b!.id), 2);
    assert.deepEqual(ids(), [a!.id, b!.id, c!.id]);
    await run('removeJob', b!.id);
    assert.deepEqual(ids(), [a!.id, c!.id]);
    const rows = await tree();
    assert.equal(rows.find((r) => r.id === `queue:${c!.id}`)?.label.startsWith('2. '), true);
  });

  it('Cancel Job acts on the whole multi-selection', async () => {
    const jobs = [await run<Job>('_addJobAsUser', { command: 'echo 1' }), await run<Job>('_addJobAsUser', { command: 'echo 2' }), await run<Job>('_addJobAsUser', { command: 'echo 3' })];
    const nodes = await Promise.all(jobs.slice(0, 2).map((job) => run('_treeNode', `queue:${job.id}`)));
    await run('cancelJob', nodes[0], nodes);
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [jobs[2]!.id]);
  });

  it('Cancel All Queued and Clear History', async () => {
    await run<Job>('_addJobAsUser', { command: 'echo 1' });
    await run<Job>('_addJobAsUser', { command: 'echo 2' });
    assert.equal(await run('cancelAllQueued', { confirm: false }), 2);
    assert.equal(api.getSnapshot().queued.length, 0);
    assert.ok(api.getHistory().length >= 2);
    assert.equal(await run('clearHistory', { confirm: false }), true);
    assert.equal(api.getHistory().length, 0);
  });

  it('Show Job Log as Text opens the run\'s output in an editor', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'echo "hello from the job"' });
    const done = finished(job.id, 'completed');
    await run('sendJob');
    await done;
    const uri = await run<string>('showLogAsText', job.id);
    assert.ok(uri);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.getText().trim(), 'hello from the job');
    assert.equal(path.posix.basename(editor.document.uri.path), `Job #${job.id} · echo "hello from the job".log`, 'the editor is named after the job');
    assert.equal(editor.document.languageId, 'log');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Show Job Log as Text follows a running job\'s output to the end', async () => {
    const job = await run<Job>('_addJobAsUser', { command: 'i=0; while [ $i -lt 400 ]; do echo "line $i"; i=$((i+1)); sleep 0.05; done' });
    await run('sendJob');
    await waitFor((e) => e.type === 'output' && e.jobId === job.id && e.tail.length > 3, 'some output');
    await run('showLogAsText', job.id);
    const editor = vscode.window.activeTextEditor!;
    const opened = editor.document.lineCount;
    // VS Code reloads the file as the job writes it; the editor must stay at the end.
    const grown = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => (sub.dispose(), resolve(false)), 15_000);
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === editor.document && e.document.lineCount > opened + 5) {
          setTimeout(() => {
            clearTimeout(timer);
            sub.dispose();
            resolve(true);
          }, 50);
        }
      });
    });
    assert.ok(grown, 'the open log was reloaded as the job wrote more');
    assert.ok(editor.selection.active.line >= editor.document.lineCount - 2, `cursor followed to the end (${editor.selection.active.line} of ${editor.document.lineCount})`);
    await run('cancelJob', job.id);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the running-job card: opens, answers the ready handshake, drops invalid messages, answers each request', async () => {
    await run('showRunningJob');
    const ready = await run<CardStats>('_cardMessage', { type: 'ready' });
    assert.equal(ready.open, true);
    assert.ok(ready.posted >= 1, 'a state follows the ready handshake');
    const invalid = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'bad-1', action: 'cancelJob', jobId: 42, attempt: 1 });
    assert.equal(invalid.rejected, ready.rejected + 1);
    assert.deepEqual(invalid.lastAnswer, { type: 'didAct', requestId: 'bad-1', ok: false, message: 'The card sent a request the extension does not understand.' }, 'a malformed request is still answered, so its button does not stay busy');
    const bogus = await run<CardStats>('_cardMessage', { type: 'rm -rf', jobId: '1' });
    assert.equal(bogus.rejected, ready.rejected + 2);
    const oldStyle = await run<CardStats>('_cardMessage', { type: 'cancelJob', jobId: '1' });
    assert.equal(oldStyle.rejected, ready.rejected + 3, 'the fire-and-forget commands are gone');
    const job = await run<Job>('_addJobAsUser', { command: 'sleep 30' });
    await run('sendJob');
    // The card acts only on runs it has rendered: the webview (re)announcing itself gets the state now.
    await run('_cardMessage', { type: 'ready' });
    const attempt = api.getSnapshot().running[0]!.attempt;
    const paused = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'r-1', action: 'pauseJob', jobId: job.id, attempt });
    assert.deepEqual(paused.lastAnswer, { type: 'didAct', requestId: 'r-1', ok: true });
    assert.equal(api.getSnapshot().running[0]!.status, 'paused');
    // Pressed twice: the engine's answer, on the card next to the job.
    const again = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'r-2', action: 'pauseJob', jobId: job.id, attempt });
    assert.deepEqual(again.lastAnswer, { type: 'didAct', requestId: 'r-2', ok: false, message: 'This job is already paused.' });
    const returned = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'r-3', action: 'cancelAndRequeue', jobId: job.id, attempt });
    assert.deepEqual(returned.lastAnswer, { type: 'didAct', requestId: 'r-3', ok: true });
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [job.id]);
    assert.equal(api.getSnapshot().running.length, 0);
    // The empty state's Send Job is a request too; refused while the queue is paused, with the engine's reason.
    await run('pauseQueue');
    const refused = await run<CardStats>('_cardMessage', { type: 'sendNextJob', requestId: 'r-4' });
    assert.equal(refused.lastAnswer?.ok, false);
    assert.match((refused.lastAnswer as { message: string }).message, /paused/i);
    await run('resumeQueue');
    await run('cancelAllQueued', { confirm: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the running-job card acts only on the jobs it shows; other ids are refused on the card, never echoed', async () => {
    await run('showRunningJob');
    const running = await run<Job>('_addJobAsUser', { command: 'sleep 30', label: 'on the card' });
    const queued = await run<Job>('_addJobAsUser', { command: 'sleep 30', label: 'not on the card' });
    await run('sendJob');
    const shown = await run<CardStats>('_cardMessage', { type: 'ready' });
    const seq = await lastNoticeSeq();
    const attempt = api.getSnapshot().running.find((j) => j.id === running.id)!.attempt;

    const dropped = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'q-1', action: 'cancelJob', jobId: queued.id, attempt: 0 });
    assert.equal(dropped.rejected, shown.rejected + 1, 'a cancel for a job the card does not show is rejected');
    assert.deepEqual(dropped.lastAnswer, { type: 'didAct', requestId: 'q-1', ok: false, message: 'This job is no longer on the card.' });
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [queued.id], 'the queued job is still queued');
    const forged = '9999\u202e<img src=x>';
    const unknown = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'q-2', action: 'pauseJob', jobId: forged, attempt: 1 });
    assert.equal(unknown.rejected, shown.rejected + 2);
    assert.ok(unknown.lastAnswer && !unknown.lastAnswer.ok && !unknown.lastAnswer.message.includes(forged), 'the answer never echoes the id');
    const earlierRun = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'q-3', action: 'cancelJob', jobId: running.id, attempt: attempt + 1 });
    assert.equal(earlierRun.lastAnswer?.ok, false, 'a request must name the run the card shows');
    assert.equal(api.getSnapshot().running.length, 1);
    assert.deepEqual(await noticesAfter(seq), [], 'a refused request shows no toast: it is answered on the card');

    const cancelled = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'q-4', action: 'cancelJob', jobId: running.id, attempt });
    assert.deepEqual(cancelled.lastAnswer, { type: 'didAct', requestId: 'q-4', ok: true });
    assert.equal(api.getSnapshot().running.length, 0, 'the job the card shows is cancelled');
    // A second click on what the card showed, after the job ended: its state no longer allows it.
    const stale = await run<CardStats>('_cardMessage', { type: 'action', requestId: 'q-5', action: 'cancelJob', jobId: running.id, attempt });
    assert.equal(stale.rejected, shown.rejected + 4);
    assert.equal(stale.lastAnswer?.ok, false);
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [queued.id]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('History pages in: Show More History loads the next 50 rows', async () => {
    await run('clearHistory', { confirm: false });
    for (let i = 0; i < 55; i++) await run<Job>('_addJobAsUser', { command: `echo ${i}` });
    assert.equal(await run('cancelAllQueued', { confirm: false }), 55);
    const before = (await tree()).filter((r) => r.group === 'history');
    assert.equal(before.length, 51, '50 rows and a "Show more…" row');
    assert.match(before.at(-1)!.label, /Show 5 more/);
    await run('showMoreHistory');
    await eventually(async () => (await tree()).filter((r) => r.group === 'history').length === 55 || undefined, 'all 55 history rows shown');
    await run('clearHistory', { confirm: false });
  });

  it('Show Extension Log opens the diagnostics channel', async () => {
    assert.equal(await run('showExtensionLog'), true);
  });

  it('persists the queue and the flags in workspace storage', async () => {
    const a = await run<Job>('_addJobAsUser', { command: 'echo keep me' });
    await run('pauseQueue');
    await run('enableAutoRun');
    const file = path.join(api.storageDir, 'queue.json');
    let snapshot: ReturnType<typeof QueueSnapshotSchema.parse> | undefined;
    for (let i = 0; i < 50; i++) {
      snapshot = QueueSnapshotSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (snapshot.paused && snapshot.autoRun) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(snapshot);
    assert.deepEqual(snapshot.queued.map((j) => j.id), [a.id]);
    assert.equal(snapshot.paused, true);
    assert.equal(snapshot.autoRun, true);
    assert.ok(fs.existsSync(path.join(api.storageDir, 'history.jsonl')));
    await run('disableAutoRun');
  });
});
