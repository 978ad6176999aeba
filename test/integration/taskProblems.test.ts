// A task kept whole as a job (its problem matcher, its own shell, its dependsOn; a background task
// refused), the Problems panel filled by VS Code's own matcher when the job ends and cleared when it
// runs again, and Show Job Log as a terminal (and as text, escape codes taken out).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { activateExtension, addTask, emptyQueue, eventually, finishedAs, run, writeTasksJson } from './helpers';

let api: JobQueueApi;
let folder: string;

const TSC_ERROR = "src/a.ts(3,7): error TS2322: Type 'number' is not assignable to type 'string'.";

function diagnosticsOfA(): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(path.join(folder, 'src', 'a.ts')));
}

async function runToEnd(job: Job, status: Job['status']): Promise<Job> {
  const done = finishedAs(api, job.id, status);
  await run('sendJob', job.id);
  return (await done).entry;
}

describe('Add Task as Job kept whole: problem matchers, own shell, dependsOn, background', function () {
  this.timeout(90_000);

  before(async () => {
    api = await activateExtension();
    folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const ownShell = path.join(folder, 'own-shell');
    writeTasksJson({
      tasks: [
        {
          label: 'compile',
          type: 'shell',
          // Fails with one tsc error until fixed.flag exists, as a build would until the code is fixed.
          command: `if [ -f fixed.flag ]; then echo clean; else printf '\\033[31m%s\\033[0m\\n' "${TSC_ERROR}"; exit 2; fi`,
          problemMatcher: '$tsc',
        },
        { label: 'first', type: 'shell', command: 'echo first' },
        { label: 'second', type: 'shell', command: 'echo second' },
        { label: 'in order', type: 'shell', command: 'echo third', dependsOn: ['first', 'second'], dependsOrder: 'sequence' },
        { label: 'all before', type: 'shell', command: 'echo after both', dependsOn: ['first', 'second'] },
        { label: 'only a group', dependsOn: ['first', 'second'], dependsOrder: 'sequence' },
        { label: 'round', type: 'shell', command: 'echo round', dependsOn: 'and round' },
        { label: 'and round', type: 'shell', command: 'echo and round', dependsOn: 'round' },
        { label: 'watch', type: 'shell', command: 'while true; do sleep 1; done', isBackground: true, problemMatcher: [] },
        { label: 'own shell', type: 'shell', command: 'echo ran', options: { shell: { executable: ownShell, args: ['-c'] } } },
        { label: 'login shell', type: 'shell', command: 'echo ran', options: { shell: { executable: '/bin/bash', args: ['-l', '-c'] } } },
      ],
    });
    fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
    // Valid code: only the job's output (through the matcher) can put an error on it.
    fs.writeFileSync(path.join(folder, 'src', 'a.ts'), 'export {};\n\nconst s: string = \'fine\';\n');
    fs.rmSync(path.join(folder, 'fixed.flag'), { force: true });
    fs.writeFileSync(ownShell, '#!/bin/sh\necho "via the task\'s own shell"\nexec /bin/sh "$@"\n', { mode: 0o755 });
  });

  beforeEach(() => emptyQueue(api));

  after(async () => {
    await emptyQueue(api);
    fs.rmSync(path.join(folder, 'fixed.flag'), { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a task with "problemMatcher": "$tsc" puts its error in the Problems panel; its retry, now clean, clears it', async () => {
    const { job, refusal } = await addTask('compile');
    assert.ok(job, `queued (${refusal})`);
    assert.deepEqual(job.spec.problemMatchers, ['$tsc'], 'the matcher travels with the job');
    await runToEnd(job, 'failed');
    const [finding, ...more] = await eventually(() => (diagnosticsOfA().length > 0 ? diagnosticsOfA() : undefined), 'the tsc error in the Problems panel', 30_000);
    assert.equal(more.length, 0, 'one diagnostic');
    assert.equal(finding!.range.start.line, 2, 'line 3');
    assert.equal(finding!.range.start.character, 6, 'column 7');
    assert.equal(finding!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(finding!.message, /Type 'number' is not assignable to type 'string'/);

    fs.writeFileSync(path.join(folder, 'fixed.flag'), '');
    // Retry on the history row, as the user does (an id from a caller would make the retry the caller's).
    const ended = api.getHistory().find((j) => j.id === job.id)!;
    const retry = await run<Job>('retryJob', await run('_treeNode', `history:${ended.id}#${ended.attempt}#${ended.finishedAt}`));
    assert.deepEqual(retry.spec.problemMatchers, ['$tsc']);
    await runToEnd(retry, 'completed');
    await eventually(() => diagnosticsOfA().length === 0, 'the Problems panel to be cleared by the clean run', 30_000);
  });

  it('dependsOn with dependsOrder sequence becomes a chain; parallel waits for all', async () => {
    const { job: third } = await addTask('in order');
    const queued = api.getSnapshot().queued;
    assert.deepEqual(queued.map((j) => j.spec.label), ['first', 'second', 'in order']);
    const [first, second] = queued;
    assert.equal(first!.after, undefined, 'the first starts at once');
    assert.deepEqual(second!.after, { ids: [first!.id], condition: 'success' });
    assert.deepEqual(third?.after, { ids: [second!.id], condition: 'success' });

    await emptyQueue(api);
    const { job: last } = await addTask('all before');
    const [a, b] = api.getSnapshot().queued;
    assert.deepEqual(last?.after, { ids: [a!.id, b!.id], condition: 'success' });
  });

  it('a task that only groups others queues them; a circle of dependencies is refused', async () => {
    const { job } = await addTask('only a group');
    assert.deepEqual(api.getSnapshot().queued.map((j) => j.spec.label), ['first', 'second']);
    assert.equal(job?.spec.label, 'second');

    await emptyQueue(api);
    const { job: none, refusal } = await addTask('round');
    assert.equal(none, undefined);
    assert.match(refusal ?? '', /go round in a circle \(“round” → “and round” → “round”\)/);
    assert.equal(api.getSnapshot().queued.length, 0, 'nothing was queued');
  });

  it('a background (watch) task is refused with the reason, and nothing is queued', async () => {
    const { job, refusal } = await addTask('watch');
    assert.equal(job, undefined);
    assert.equal(refusal, 'Task “watch” is a background (watch) task: it never ends, so as a job it would hold a slot forever. Run it with Tasks: Run Task instead.');
    assert.equal(api.getSnapshot().queued.length, 0);
  });

  it('a task with its own options.shell runs in that shell; shell arguments a job cannot keep are refused', async () => {
    const { job } = await addTask('own shell');
    assert.equal(job?.spec.shell, path.join(folder, 'own-shell'));
    const done = await runToEnd(job!, 'completed');
    assert.equal(fs.readFileSync(done.logPath!, 'utf8'), "via the task's own shell\nran\n");

    const { job: none, refusal } = await addTask('login shell');
    assert.equal(none, undefined);
    assert.match(refusal ?? '', /starts its shell with the arguments “-l -c”/);
  });
});

describe('Show Job Log: a terminal; as text: escape codes taken out', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
    await emptyQueue(api);
  });

  it('opens a terminal named after the run, and shows it again rather than a second one', async () => {
    const job = await run<Job>('_addJobAsUser', { command: "printf '\\033[32mgreen\\033[0m\\n'", label: 'colours' });
    await runToEnd(job, 'completed');
    const name = await run<string>('showLog', job.id);
    assert.equal(name, `Job #${job.id} · colours`);
    const opened = vscode.window.terminals.filter((t) => t.name === name);
    assert.equal(opened.length, 1);
    await eventually(() => vscode.window.activeTerminal === opened[0], 'the log terminal to be the active one');
    const count = vscode.window.terminals.length;
    assert.equal(await run<string>('showLog', job.id), name);
    assert.equal(vscode.window.terminals.length, count, 'the same terminal, not a second');

    const uri = await run<string>('showLogAsText', job.id);
    assert.ok(uri);
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'green\n', 'no escape code is left in the text');
    opened[0]!.dispose();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
