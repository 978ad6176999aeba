// Add Task as Job with a real .vscode/tasks.json in the test workspace: a shell task becomes a job
// whose variables (${workspaceFolder}, ${file}, …) are resolved as VS Code's task runner would; a
// task that needs what only VS Code's task runner can give (${input:x}) is refused by name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job, JobServiceEvent } from '../../src/core';
import { activateExtension, addTask, lastRefusal, run, writeTasksJson } from './helpers';

let api: JobQueueApi;
let folder: string;

function finished(id: string): Promise<Job> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (sub.dispose(), reject(new Error(`job #${id} never finished`))), 20_000);
    const sub = api.onDidChange((e: JobServiceEvent) => {
      if (e.type === 'historyAdded' && e.entry.id === id) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e.entry);
      }
    });
  });
}

/** The task's own variables, over the window's environment (without PYTHONUNBUFFERED, which jobQueue.unbufferedOutput may add). */
function taskVariables(job: Job): Record<string, string> | undefined {
  assert.equal(job.spec.env?.kind, 'overlay');
  const { PYTHONUNBUFFERED: _unbuffered, ...vars } = job.spec.env!.vars;
  return vars;
}

describe('Add Task as Job: tasks.json and its variables', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
    folder = writeTasksJson({
      inputs: [{ id: 'x', type: 'promptString', description: 'a value' }],
      tasks: [
        { label: 'say hello', type: 'shell', command: 'echo', args: ['hello', 'task'], options: { env: { GREETING: 'hi' } } },
        {
          label: 'in the folder',
          type: 'shell',
          command: 'test -f README.txt && test -f "${workspaceFolder}/README.txt" && echo "folder ${workspaceFolderBasename} sep ${pathSeparator} where $JQ_WHERE"',
          options: { cwd: '${workspaceFolder}', env: { JQ_WHERE: '${workspaceFolder}' } },
        },
        { label: 'asks for input', type: 'shell', command: 'echo ${input:x}' },
        { label: 'the open file', type: 'shell', command: 'cat', args: ['${relativeFile}'] },
      ],
    });
  });

  beforeEach(async () => {
    await run('pauseQueue');
    await run('disableAutoRun');
    await run('cancelAllQueued', { confirm: false });
    await run('resumeQueue');
  });

  after(async () => {
    await run('cancelAllQueued', { confirm: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('converts a shell task: command and arguments, its folder, its environment', async () => {
    const { job } = await addTask('say hello');
    assert.ok(job, 'the task was queued');
    assert.equal(job.spec.label, 'say hello');
    assert.equal(job.spec.command, 'echo hello task');
    assert.equal(job.spec.cwd, folder);
    assert.deepEqual(taskVariables(job), { GREETING: 'hi' });
    assert.equal(job.spec.source?.kind, 'task');
  });

  it('a task with ${workspaceFolder} in its command, cwd and env runs and succeeds', async () => {
    const { job, refusal } = await addTask('in the folder');
    assert.ok(job, `queued (${refusal})`);
    assert.doesNotMatch(job.spec.command, /\$\{/, 'no variable is left for the shell');
    assert.equal(job.spec.cwd, folder);
    assert.deepEqual(taskVariables(job), { JQ_WHERE: folder });
    const done = finished(job.id);
    await run('sendJob');
    const run1 = await done;
    assert.equal(run1.status, 'completed', `exit ${run1.exitCode} ${run1.error ?? ''}`);
    const log = fs.readFileSync(run1.logPath!, 'utf8');
    assert.equal(log.trim(), `folder ${path.basename(folder)} sep ${path.sep} where ${folder}`);
  });

  it('a task with ${input:x} is refused, and the message names the variable', async () => {
    const queued = api.getSnapshot().queued.length;
    const { job, refusal } = await addTask('asks for input');
    assert.equal(job, undefined);
    assert.match(refusal ?? '', /Task “asks for input” cannot be queued/);
    assert.ok(refusal?.includes('${input:x}'), refusal);
    assert.equal(api.getSnapshot().queued.length, queued, 'nothing was queued');
  });

  it('a file variable needs an open editor: refused without one, resolved with one', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const without = await addTask('the open file');
    assert.equal(without.job, undefined);
    assert.match(without.refusal ?? '', /\$\{relativeFile\} needs an open editor/);

    await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'README.txt')));
    const { job } = await addTask('the open file');
    assert.equal(job?.spec.command, 'cat README.txt');
    const done = finished(job!.id);
    await run('sendJob');
    assert.equal((await done).status, 'completed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a task name that does not exist is refused plainly', async () => {
    assert.equal(await run('addTaskAsJob', 'no such task'), undefined);
    assert.equal(await lastRefusal(), 'No shell or process task named “no such task”.');
  });
});
