import * as vscode from 'vscode';
import type { Job, JobSpecInput } from '../../core';
import { notify } from '../notices';
import { queuedJob, submitJob } from '../submitJob';
import type { CommandDefinition } from './shared';

/** A shell or process task as a command line; other task kinds cannot run outside VS Code's terminal. */
export function taskToSpec(task: vscode.Task): JobSpecInput | undefined {
  const execution = task.execution;
  const folder = typeof task.scope === 'object' ? task.scope : undefined;
  let command: string | undefined;
  let options: vscode.ShellExecutionOptions | vscode.ProcessExecutionOptions | undefined;
  if (execution instanceof vscode.ShellExecution) {
    const parts = [execution.command, ...(execution.args ?? [])].filter((p): p is string | vscode.ShellQuotedString => p !== undefined);
    command = execution.commandLine ?? parts.map((p) => (typeof p === 'string' ? p : quote(p.value))).join(' ');
    options = execution.options;
  } else if (execution instanceof vscode.ProcessExecution) {
    command = [execution.process, ...execution.args].map(quote).join(' ');
    options = execution.options;
  }
  if (!command) return undefined;
  const cwd = substituteFolder(options?.cwd, folder) ?? folder?.uri.fsPath;
  const env = options?.env ? Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
  return { command, label: task.name, ...(cwd ? { cwd } : {}), ...(env && Object.keys(env).length ? { env } : {}), source: { kind: 'task', name: task.name, ...(folder ? { folder: folder.name } : {}) } };
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function substituteFolder(value: string | undefined, folder: vscode.WorkspaceFolder | undefined): string | undefined {
  if (!value) return undefined;
  return folder ? value.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath) : value;
}

/** Add Task as Job…: pick a workspace task (shell/process) and queue it. */
export const addTaskAsJob: CommandDefinition = {
  id: 'jobQueue.addTaskAsJob',
  async run(ctx, taskName?: unknown): Promise<Job | undefined> {
    if (!ctx.requireTrust()) return undefined;
    const tasks = await vscode.tasks.fetchTasks();
    const runnable = tasks.map((task) => ({ task, spec: taskToSpec(task) })).filter((t): t is { task: vscode.Task; spec: JobSpecInput } => t.spec !== undefined);
    let chosen = typeof taskName === 'string' ? runnable.find((t) => t.task.name === taskName) : undefined;
    if (typeof taskName === 'string' && !chosen) {
      void notify('warning', `No shell or process task named “${taskName}”.`);
      return undefined;
    }
    if (!chosen) {
      if (runnable.length === 0) {
        void notify('info', tasks.length
          ? `None of the ${tasks.length} tasks here is a shell or process task, which are the ones Job Queue can run.`
          : 'This workspace has no tasks. Define one in .vscode/tasks.json, or use Add Job… with a command line.');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        runnable.map((t) => ({ label: t.task.name, description: t.task.source, detail: t.spec.command, item: t })),
        { placeHolder: 'Queue which task?', matchOnDetail: true },
      );
      chosen = picked?.item;
    }
    if (!chosen) return undefined;
    const job = queuedJob(submitJob(ctx.service, ctx.log, chosen.spec));
    if (job) vscode.window.setStatusBarMessage(`$(add) Queued task “${chosen.task.name}” as job #${job.id}`, 4000);
    return job;
  },
};
