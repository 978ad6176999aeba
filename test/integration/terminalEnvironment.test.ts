// The terminal's environment travels with a job, in a real integrated terminal of a real VS Code:
// with a venv activated (a folder whose bin/python3 comes first on PATH, VIRTUAL_ENV set) and a
// variable exported, `jobq add` queues a job that prints that variable and runs the venv's python3;
// `--no-env` runs with the window's environment instead. The queue's files are the user's alone, and
// the Review dialog's text lists the variables that differ from the window's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { reviewDetail } from '../../src/vscode/approvalNotices';
import { activateExtension, emptyQueue, eventually, finishedAs, openTestTerminal, run, type terminalLines } from './helpers';

let api: JobQueueApi;
let terminal: vscode.Terminal | undefined;
let out: string;
let venv: string;
let inTerminal: ReturnType<typeof terminalLines>;

/** Queues `command` from the terminal; returns the job (held for approval). */
async function addFromTerminal(args: string, name: string): Promise<Job> {
  const added = await inTerminal(`jobq add ${args}`, name);
  assert.equal(added.status, 0, added.output);
  const id = /^Job #(\d+) queued/.exec(added.output.trim())?.[1];
  assert.ok(id, added.output);
  return api.getSnapshot().queued.find((j) => j.id === id)!;
}

/** Lets the job run (the user's Send Job) and returns its output. */
async function runToEnd(job: Job): Promise<string> {
  const done = finishedAs(api, job.id, 'completed');
  // The user's Send Job on the queued row (which releases it): an id from a caller cannot approve.
  await run('sendJob', await run('_treeNode', `queue:${job.id}`));
  const { entry } = await done;
  return fs.readFileSync(entry.logPath!, 'utf8');
}

describe('jobq add: the terminal\'s environment travels with the job', function () {
  this.timeout(120_000);

  before(async function () {
    if (process.platform === 'win32') this.skip();
    api = await activateExtension();
    await emptyQueue(api);
    ({ terminal, out, inTerminal } = openTestTerminal('jobq env test', 'jq-terminal-env-'));
    venv = path.join(out, 'venv');
    fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(venv, 'bin', 'python3'), '#!/bin/sh\necho "venv python3 sees $MY_VAR"\n', { mode: 0o755 });
    // What `source venv/bin/activate` does, and the user's own variable.
    const activated = await inTerminal(`export VIRTUAL_ENV='${venv}' PATH='${venv}/bin':"$PATH" MY_VAR=from-terminal`, 'activate');
    assert.equal(activated.status, 0, activated.output);
  });

  after(async () => {
    terminal?.dispose();
    await emptyQueue(api);
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('the job prints the terminal\'s variable and runs the venv\'s python3; its record is 0600 and the Review dialog lists what differs', async () => {
    const job = await addFromTerminal(`--label with-venv -- sh -c 'echo "MY_VAR=$MY_VAR"; command -v python3; python3'`, 'add');
    assert.equal(job.spec.env?.kind, 'captured');
    const vars = job.spec.env!.vars;
    assert.equal(vars.MY_VAR, 'from-terminal');
    assert.equal(vars.VIRTUAL_ENV, venv);
    assert.equal(vars.PATH!.split(':')[0], path.join(venv, 'bin'), 'the venv first on PATH');
    const injected = Object.keys(vars).filter((name) => name.startsWith('VSCODE_') || name === 'JOB_QUEUE_DIR' || name === 'JOB_QUEUE_BIN' || name.startsWith('ELECTRON_'));
    assert.deepEqual(injected, [], 'nothing the extension or VS Code put in the terminal for itself');
    assert.equal(vars.PATH!.split(':').some((dir) => fs.existsSync(path.join(dir, 'jobq'))), false, 'the jobq shim\'s folder is not on the recorded PATH');

    // The environment is stored in the queue's own files, the user's alone.
    const queueDir = (await inTerminal('printf %s "$JOB_QUEUE_DIR"', 'dir')).output;
    assert.equal(fs.statSync(queueDir).mode & 0o777, 0o700, 'the queue folder');
    for (const name of ['queue.json', 'history.jsonl']) {
      const file = path.join(queueDir, name);
      // The snapshot is saved right after the (synced) history line: wait for it, not for a time.
      await eventually(() => fs.readFileSync(file, 'utf8').includes('from-terminal') || undefined, `${name} to carry the environment`);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, name);
    }

    // What the Review dialog shows before the user releases the job.
    const detail = reviewDetail(job, process.env);
    assert.match(detail, /Environment: The terminal's it was queued from \(recorded by jobq add\); \d+ variables? differs? from the window's:/);
    assert.ok(detail.includes('+ MY_VAR=from-terminal'), detail);
    assert.ok(detail.includes(`+ VIRTUAL_ENV=${venv}`), detail);
    assert.ok(detail.includes(`~ PATH: adds ${path.join(venv, 'bin')}`), detail);

    assert.equal(await runToEnd(job), `MY_VAR=from-terminal\n${path.join(venv, 'bin', 'python3')}\nvenv python3 sees from-terminal\n`);
  });

  it('--no-env: the job runs with the window\'s environment, not the terminal\'s', async () => {
    const job = await addFromTerminal(`--no-env --label window-env -- sh -c 'echo "MY_VAR=[$MY_VAR]"; command -v python3 || true'`, 'noenv');
    assert.notEqual(job.spec.env?.kind, 'captured');
    const output = await runToEnd(job);
    assert.match(output, /^MY_VAR=\[\]\n/);
    assert.ok(!output.includes(venv), output);
  });
});
