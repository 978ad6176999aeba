// The terminal command in real integrated terminals of a real VS Code: the extension's environment
// collection puts `jobq` on PATH and JOB_QUEUE_DIR in the terminals opened after activation; `jobq
// add` queues a job held for approval (and the window says so), `jobq wait` exits with the job's
// exit code once the user lets it run, and a request written while the extension host's queue is
// closed is picked up when it opens again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { entryFor, readRegistry, registryDir } from '../../src/core/registry/workspaceRegistry';
import type { JobQueueApi } from '../../src/api';
import type { SendResult } from '../../src/core';
import { activateExtension, emptyQueue, eventually, lastNoticeSeq, noticesAfter, run, openTestTerminal, type terminalLines } from './helpers';

let api: JobQueueApi;
let terminal: vscode.Terminal | undefined;
let out: string;

let inTerminal: ReturnType<typeof terminalLines>;

describe('jobq in an integrated terminal', function () {
  this.timeout(120_000);

  before(async function () {
    if (process.platform === 'win32') this.skip();
    api = await activateExtension();
    await emptyQueue(api);
    ({ terminal, out, inTerminal } = openTestTerminal('jobq test', 'jq-terminal-'));
  });

  after(async () => {
    terminal?.dispose();
    await emptyQueue(api);
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('jobq add queues a job held for approval from the terminal; jobq wait exits with its exit code', async () => {
    const seq = await lastNoticeSeq();
    const added = await inTerminal(`jobq add --label from-terminal -- sh -c 'echo "hi there"; exit 7'`, 'add');
    assert.equal(added.status, 0, added.output);
    const [first, ...rest] = added.output.trim().split('\n');
    const match = /^Job #(\d+) queued \(held for your approval in VS Code\)$/.exec(first ?? '');
    // Auto-run is off here (emptyQueue): the job would sit there after approval — jobq says so.
    assert.deepEqual(rest, ['jobq: auto-run is off in VS Code: the job waits for Send Job once approved (or turn auto-run on).']);
    assert.ok(match, added.output);
    const id = match[1]!;
    const job = api.getSnapshot().queued.find((j) => j.id === id)!;
    assert.equal(job.status, 'queued');
    assert.deepEqual(job.hold, { by: 'approval', source: 'terminal' });
    assert.equal(job.spec.source?.kind, 'terminal');
    assert.equal(job.spec.command, `sh -c 'echo "hi there"; exit 7'`);
    assert.equal(job.spec.cwd, out, 'the terminal\'s folder');
    const notice = await eventually(async () => (await noticesAfter(seq)).find((n) => /waiting for your approval/.test(n.message)), 'the approval notification');
    assert.equal(notice.message, `Job #${id} “from-terminal” from the terminal is waiting for your approval.`);
    assert.deepEqual(notice.actions, ['Review', 'Release']);

    // `wait` blocks while the job is held; the user's Send Job (which releases it) lets it run.
    const rc = path.join(out, 'wait.rc');
    terminal!.sendText(`jobq wait ${id}; echo $? > ${rc}.tmp && mv ${rc}.tmp ${rc}`);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(fs.existsSync(rc), false, 'wait blocks while the job is held');
    // The user approves (the notification's Release), then sends it.
    assert.equal(await run('_chooseNoticeAction', notice.seq, 'Release'), true);
    const sent = await run<SendResult>('sendJob', id);
    assert.notEqual(sent.outcome, 'refused', JSON.stringify(sent));
    const status = await eventually(() => (fs.existsSync(rc) ? fs.readFileSync(rc, 'utf8').trim() : undefined), 'jobq wait to end');
    assert.equal(status, '7', 'the job\'s exit code');
    const log = await inTerminal(`jobq log ${id}`, 'log');
    assert.equal(log.output, 'hi there\n');
  });

  it('opening the workspace records it in the per-user registry, so jobq from any shell finds this queue', async () => {
    // The harness points XDG_STATE_HOME into the test run; the extension host sees the same.
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const entry = await eventually(async () => entryFor(await readRegistry(registryDir()), path.join(folder, 'any', 'subfolder')), 'the workspace is registered');
    assert.equal(entry.workspaceFolder, path.resolve(folder));
    assert.equal(entry.queueDir, path.resolve(api.storageDir));
  });

  it('a request written while the queue is closed is queued when it opens again', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-elsewhere-'));
    try {
      // The extension host closes the workspace's queue (and opens an unrelated one): no window runs it.
      await run('_reopen', { storageDir: elsewhere });
      const added = await inTerminal('jobq add --label while-closed -- echo back', 'closed');
      assert.equal(added.status, 0, added.output);
      assert.match(added.output, /^No VS Code window runs this queue now: the job is saved and will be queued when VS Code opens this folder\.\njobq wait [0-9a-f-]{36} waits for it \(and says if it cannot be queued\)\.\n$/);
      assert.equal(api.getSnapshot().queued.some((j) => j.spec.label === 'while-closed'), false);
      await run('_reopen', {});
      const taken = api.getSnapshot().queued.filter((j) => j.spec.label === 'while-closed');
      assert.equal(taken.length, 1, 'taken once, at open');
      assert.equal(taken[0]!.spec.source?.kind, 'terminal');
      assert.equal(taken[0]!.hold?.by, 'approval');
      const list = await inTerminal('jobq list', 'list');
      assert.match(list.output, new RegExp(`#${taken[0]!.id} +queued +\\[held for approval \\(from the terminal\\)\\] while-closed`));
    } finally {
      await run('_reopen', {});
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
