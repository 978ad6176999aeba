// Add Job is one multi-step input: command line → optional label → folder (with several folders),
// with Back; Escape on the command line cancels, Escape later keeps what was typed and queues the
// job; the last command line and folder are offered again. The flow is checked step by step with a
// scripted UI, then once through the real input box of the workbench.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { askForJob, type AddJobStart, type AddJobUi, type StepResult } from '../../src/vscode/commands/addJobSteps';
import { activateExtension, run } from './helpers';

type Seen = { step: 'command' | 'label' | 'folder'; at: string; value: string; canGoBack: boolean };

/** A UI that answers each step from a script and records what each step was shown with. */
function scripted(answers: StepResult[]): { ui: AddJobUi; seen: Seen[] } {
  const seen: Seen[] = [];
  const answer = (step: Seen['step']) => (info: { step: number; totalSteps: number; canGoBack: boolean; value: string }) => {
    seen.push({ step, at: `${info.step}/${info.totalSteps}`, value: info.value, canGoBack: info.canGoBack });
    const next = answers.shift();
    if (!next) throw new Error(`no scripted answer for the ${step} step`);
    return Promise.resolve(next);
  };
  return { ui: { commandLine: answer('command'), label: answer('label'), folder: answer('folder') }, seen };
}

const one: AddJobStart = { folders: [{ name: 'app', path: '/w/app' }], home: '/home/me' };
const two: AddJobStart = { folders: [{ name: 'app', path: '/w/app' }, { name: 'lib', path: '/w/lib' }], home: '/home/me' };
const next = (value: string): StepResult => ({ kind: 'next', value });
const escape = (value: string): StepResult => ({ kind: 'escape', value });
const back: StepResult = { kind: 'back' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Add Job: one multi-step input', function () {
  this.timeout(60_000);
  let api: JobQueueApi;

  before(async () => {
    api = await activateExtension();
  });

  beforeEach(async () => {
    await run('pauseQueue');
    await run('cancelAllQueued', { confirm: false });
  });

  after(async () => {
    await run('cancelAllQueued', { confirm: false });
    await run('resumeQueue');
  });

  it('command line, then label: two steps with one folder', async () => {
    const { ui, seen } = scripted([next('make -j8'), next('Build')]);
    assert.deepEqual(await askForJob(ui, one), { command: 'make -j8', label: 'Build', cwd: '/w/app' });
    assert.deepEqual(seen.map((s) => [s.step, s.at, s.canGoBack]), [['command', '1/2', false], ['label', '2/2', true]]);
  });

  it('Escape on the command line cancels', async () => {
    const { ui } = scripted([escape('make')]);
    assert.equal(await askForJob(ui, one), undefined);
  });

  it('Escape on the label step keeps what was typed and queues the job', async () => {
    const { ui } = scripted([next('npm test'), escape('Tests')]);
    assert.deepEqual(await askForJob(ui, one), { command: 'npm test', label: 'Tests', cwd: '/w/app' });
    const empty = scripted([next('npm test'), escape('')]);
    assert.deepEqual(await askForJob(empty.ui, one), { command: 'npm test', cwd: '/w/app' });
  });

  it('Back returns to the command line with what was typed; a new command line goes on', async () => {
    const { ui, seen } = scripted([next('make'), back, next('make -j8'), next('')]);
    assert.deepEqual(await askForJob(ui, one), { command: 'make -j8', cwd: '/w/app' });
    assert.deepEqual(seen.map((s) => [s.step, s.value]), [['command', ''], ['label', ''], ['command', 'make'], ['label', '']]);
  });

  it('offers the last command line and preselects the last folder', async () => {
    const { ui, seen } = scripted([next('make'), next('L'), next('/w/lib')]);
    assert.deepEqual(await askForJob(ui, { ...two, lastCommand: 'make', lastFolder: '/w/lib', activeFolder: '/w/app' }), { command: 'make', label: 'L', cwd: '/w/lib' });
    assert.deepEqual(seen.map((s) => [s.step, s.at, s.value]), [['command', '1/3', 'make'], ['label', '2/3', ''], ['folder', '3/3', '/w/lib']]);
  });

  it('with several folders: the folder step, Back to the label with its text, Escape queues with the preselected folder', async () => {
    const { ui, seen } = scripted([next('make'), next('L'), back, escape('L2')]);
    assert.deepEqual(await askForJob(ui, { ...two, lastFolder: '/gone', activeFolder: '/w/lib' }), { command: 'make', label: 'L2', cwd: '/w/lib' });
    assert.deepEqual(seen.map((s) => [s.step, s.value]), [['command', ''], ['label', ''], ['folder', '/w/lib'], ['label', 'L']]);
  });

  it('with no folder open, the job runs in the home folder', async () => {
    const { ui } = scripted([next('ls'), next('')]);
    assert.deepEqual(await askForJob(ui, { folders: [], home: '/home/me' }), { command: 'ls', cwd: '/home/me' });
  });

  // The real input box of the workbench, driven by its own commands (Enter, Escape, Back).
  describe('in the workbench', () => {
    const settle = () => sleep(700);

    it('offers the last command line; Escape on the label step queues the job', async () => {
      const seeded = await run<Job>('addJob', { command: 'echo remembered from last time' });
      await run('cancelAllQueued', { confirm: false });
      assert.ok(seeded);
      const pending = run<Job | undefined>('addJob');
      await settle();
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await settle();
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      const job = await pending;
      assert.ok(job, 'Escape on the label step queued the job');
      assert.equal(job.spec.command, 'echo remembered from last time');
      assert.equal(job.spec.label, undefined);
      assert.equal(job.spec.cwd, vscode.workspace.workspaceFolders![0]!.uri.fsPath);
      assert.deepEqual(api.getSnapshot().queued.map((j) => j.id), [job.id]);
    });

    it('Back from the label step, then Escape on the command line: nothing is queued', async () => {
      const pending = run<Job | undefined>('addJob');
      await settle();
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await settle();
      await vscode.commands.executeCommand('workbench.action.quickInputBack');
      await settle();
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await pending, undefined);
      assert.equal(api.getSnapshot().queued.length, 0);
    });
  });
});
