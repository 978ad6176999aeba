// The running-job card's links and kept result, in a real extension host: a `file:line:col` in a
// job's output is a link the host resolved; opening it by its id shows the file at that position;
// an id the card was not given, or one for another run, is refused on the card and opens nothing.
// When the last job ends the card keeps its result; Retry goes through Retry Job; Dismiss clears it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import type { CardResult, CardState } from '../../src/shared/runningJobProtocol';
import { activateExtension, emptyQueue, eventually, finishedAs, run } from './helpers';

type CardStats = { rejected: number; open: boolean; lastState?: CardState; lastAnswer?: { type: 'didAct'; requestId: string } & ({ ok: true } | { ok: false; message: string }) };
const card = (message: unknown) => run<CardStats>('_cardMessage', message);

describe('running-job card: links and the last result (in the extension host)', function () {
  this.timeout(60_000);
  let api: JobQueueApi;
  let file: string;

  before(async () => {
    api = await activateExtension();
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    file = path.join(folder, 'src', 'x.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'const a = 1;\nconst b = 2;\nconst c = 3 + wrong;\n');
  });
  beforeEach(() => emptyQueue(api));
  after(async () => {
    await emptyQueue(api);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** With the card open, runs `command` to its end (`status`); resolves with the result the card then shows. */
  async function runToResult(command: string, label: string, status: Job['status']): Promise<{ job: Job; result: CardResult }> {
    await run('showRunningJob');
    await card({ type: 'ready' });
    const job = await run<Job>('_addJobAsUser', { command, label });
    await run('sendJob');
    await finishedAs(api, job.id, status);
    const result = await eventually(async () => {
      const shown = (await card({ type: 'ready' })).lastState?.result;
      return shown?.id === job.id && shown.output.length > 0 ? shown : undefined;
    }, 'the card keeps the ended run');
    return { job, result };
  }

  it('opens a resolved file:line:col by the id the host gave it; refuses ids it did not give', async () => {
    const { job, result } = await runToResult("printf '\\033[31msrc/x.ts:3:7\\033[0m error: boom\\nmissing.ts:1:1 too\\n'; exit 2", 'links', 'failed');
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 2);
    const [first, second] = result.output;
    const link = first!.find((r) => r.link !== undefined);
    assert.deepEqual({ text: link?.text, fg: link?.style?.fg }, { text: 'src/x.ts:3:7', fg: { kind: 'palette', index: 1 } });
    assert.ok(second!.every((r) => r.link === undefined), 'a file that does not exist stays text');

    const opened = await card({ type: 'openLink', requestId: 'l-1', jobId: job.id, attempt: result.attempt, link: link!.link });
    assert.deepEqual(opened.lastAnswer, { type: 'didAct', requestId: 'l-1', ok: true });
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, file);
    assert.deepEqual([editor.selection.active.line, editor.selection.active.character], [2, 6], 'line 3, column 7');

    const forged = await card({ type: 'openLink', requestId: 'l-2', jobId: job.id, attempt: result.attempt, link: 99_999 });
    assert.deepEqual(forged.lastAnswer, { type: 'didAct', requestId: 'l-2', ok: false, message: 'This link is no longer on the card.' });
    const otherRun = await card({ type: 'openLink', requestId: 'l-3', jobId: job.id, attempt: result.attempt + 1, link: link!.link });
    assert.equal(otherRun.lastAnswer?.ok, false);
    const aPath = await card({ type: 'openLink', requestId: 'l-4', jobId: job.id, attempt: result.attempt, link: '/etc/passwd' });
    assert.equal(aPath.lastAnswer?.ok, false, 'a path is not a link id');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file, 'nothing else was opened');
  });

  it('keeps the last result until Dismiss; Retry queues a new job through Retry Job', async () => {
    const { job, result: shown } = await runToResult('echo done', 'kept', 'completed');
    assert.deepEqual(shown.output.map((line) => line.map((r) => r.text).join('')), ['done']);

    const retried = await card({ type: 'action', requestId: 'k-1', action: 'retryJob', jobId: job.id, attempt: shown.attempt });
    assert.deepEqual(retried.lastAnswer, { type: 'didAct', requestId: 'k-1', ok: true });
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.retryOf), [job.id], 'a new job, linked to the run');
    assert.equal(retried.lastState?.result?.id, job.id, 'a queued retry does not clear the result');

    const dismissed = await card({ type: 'dismissResult', requestId: 'k-2' });
    assert.deepEqual(dismissed.lastAnswer, { type: 'didAct', requestId: 'k-2', ok: true });
    assert.equal(dismissed.lastState?.result, undefined);
    const stale = await card({ type: 'action', requestId: 'k-3', action: 'retryJob', jobId: job.id, attempt: shown.attempt });
    assert.deepEqual(stale.lastAnswer, { type: 'didAct', requestId: 'k-3', ok: false, message: 'This job is no longer on the card.' });
    assert.equal(api.getSnapshot().queued.length, 1, 'nothing retried twice');
  });
});
