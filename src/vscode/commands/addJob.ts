import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Job, JobSpecInput } from '../../core';
import { queuedJob, submitJob } from '../submitJob';
import type { CommandDefinition } from './shared';

/** The folder a new job runs in: the only workspace folder, or the one the user picks. */
export async function pickWorkingFolder(): Promise<string | undefined | null> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return os.homedir();
  if (folders.length === 1) return folders[0]!.uri.fsPath;
  const active = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f, picked: f === active })),
    { placeHolder: 'Run the job in which folder?' },
  );
  return picked ? picked.folder.uri.fsPath : null;
}

/**
 * Add Job…: asks for a command line, an optional label and the folder; or takes a spec (API, tests).
 * Returns the job when it was queued here; undefined when cancelled or passed to the owner window.
 */
export const addJob: CommandDefinition = {
  id: 'jobQueue.addJob',
  async run(ctx, spec?: unknown): Promise<Job | undefined> {
    if (!ctx.requireTrust()) return undefined;
    // The engine validates the spec and refuses with a message that says what is wrong.
    if (spec !== undefined) return queuedJob(submitJob(ctx.service, ctx.log, spec as JobSpecInput));
    const command = await vscode.window.showInputBox({
      title: 'Add Job (1/2): command line',
      prompt: 'The command runs in a shell, in the workspace folder. Output, progress (e.g. 42% or ::progress 42) and the exit code are recorded.',
      placeHolder: 'e.g. npm test, make -j8, python train.py --epochs 10',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a command line to run.'),
    });
    if (!command?.trim()) return undefined;
    const label = await vscode.window.showInputBox({
      title: 'Add Job (2/2): label (optional)',
      prompt: 'A short name for the job; press Enter to use the command line.',
      ignoreFocusOut: true,
    });
    if (label === undefined) return undefined;
    const cwd = await pickWorkingFolder();
    if (cwd === null) return undefined;
    const job = queuedJob(submitJob(ctx.service, ctx.log, { command: command.trim(), ...(label.trim() ? { label: label.trim() } : {}), ...(cwd ? { cwd } : {}), source: { kind: 'command' } }));
    if (job) vscode.window.setStatusBarMessage(`$(add) Queued job #${job.id} at position ${ctx.service.getQueuePosition(job.id) ?? '—'}`, 4000);
    return job;
  },
};
