// Add Job through the real input box of the workbench, driven by its own commands (Enter, Escape,
// Back): Escape on the label step keeps what was typed and queues the job, Back then Escape on the
// command line queues nothing, the last command line is offered again. (The steps' logic alone is
// walked with a scripted UI in test/unit/ui.addJobSteps.test.ts.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { activateExtension, eventually, run } from './helpers';

/** Waits until Add Job shows the step (e.g. "label 2/2"): the workbench's commands then act on it. */
async function shows(step: string): Promise<void> {
  await eventually(async () => (await run<string | undefined>('_addJobStep')) === step, `Add Job to show its ${step} step`);
}

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

  // The real input box of the workbench, driven by its own commands (Enter, Escape, Back).
  describe('in the workbench', () => {
    it('offers the last command line; Escape on the label step queues the job', async () => {
      const seeded = await run<Job>('addJob', { command: 'echo remembered from last time' });
      await run('cancelAllQueued', { confirm: false });
      assert.ok(seeded);
      const pending = run<Job | undefined>('addJob');
      await shows('command 1/3');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await shows('label 2/3');
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
      await shows('command 1/3');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await shows('label 2/3');
      await vscode.commands.executeCommand('workbench.action.quickInputBack');
      await shows('command 1/3');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await pending, undefined);
      assert.equal(api.getSnapshot().queued.length, 0);
    });
  });
});
