import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Job, JobSpecInput } from '../../core';
import { queuedJob, submitJob } from '../submitJob';
import { jobName } from '../tree/jobPresentation';
import { refuse, type CommandDefinition } from './shared';
import { resolveAll, unresolvedMessage, type Resolved, type VariableContext, type VariableFolder } from './taskVariables';

type Arg = string | vscode.ShellQuotedString;

/** What a shell or process task runs, with its variables still in it (`${workspaceFolder}`, …). */
interface TaskCommand {
  kind: 'shell' | 'process';
  /** A shell task's whole command line, when it has one. */
  commandLine?: string;
  command: Arg[];
  cwd?: string;
  env?: Record<string, string>;
}

function taskCommand(task: vscode.Task): TaskCommand | undefined {
  const execution = task.execution;
  let options: vscode.ShellExecutionOptions | vscode.ProcessExecutionOptions | undefined;
  let result: TaskCommand;
  if (execution instanceof vscode.ShellExecution) {
    const parts = [execution.command, ...(execution.args ?? [])].filter((p): p is Arg => p !== undefined);
    result = { kind: 'shell', ...(execution.commandLine !== undefined ? { commandLine: execution.commandLine } : {}), command: parts };
    options = execution.options;
  } else if (execution instanceof vscode.ProcessExecution) {
    result = { kind: 'process', command: [execution.process, ...execution.args] };
    options = execution.options;
  } else {
    return undefined;
  }
  if (options?.cwd) result.cwd = options.cwd;
  const env = options?.env ? Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
  if (env && Object.keys(env).length) result.env = env;
  return result;
}

/**
 * The task's command line, for `<shell> -c`: a shell task's as written, its arguments quoted the way
 * VS Code quotes them (a plain argument only when it has a space; a quoted one as it asks); a
 * process task's parts each quoted.
 */
function commandLineOf(command: TaskCommand): string {
  if (command.commandLine !== undefined) return command.commandLine;
  return command.command.map((part, index) => {
    if (typeof part !== 'string') {
      if (part.quoting === vscode.ShellQuoting.Escape) return part.value.replace(/([^\w@%+=:,./-])/g, '\\$1');
      if (part.quoting === vscode.ShellQuoting.Weak) return `"${part.value.replace(/(["\\`])/g, '\\$1')}"`;
      return strong(part.value);
    }
    if (command.kind === 'process') return /^[\w@%+=:,./-]+$/.test(part) ? part : strong(part);
    return index > 0 && / /.test(part) && !/^(['"]).*\1$/.test(part) ? strong(part) : part;
  }).join(' ');
}

function strong(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function folderOf(task: vscode.Task): vscode.WorkspaceFolder | undefined {
  if (typeof task.scope === 'object') return task.scope;
  // A workspace-wide task with a single folder open: that folder, as VS Code does.
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length === 1 ? folders[0] : undefined;
}

/** What the variables resolve against: the task's folder, the active editor, settings, the environment. */
export function variableContext(folder: vscode.WorkspaceFolder | undefined): VariableContext {
  const asFolder = (f: vscode.WorkspaceFolder): VariableFolder => ({ path: f.uri.fsPath, name: f.name });
  const editor = vscode.window.activeTextEditor;
  const document = editor?.document;
  const file = document && !document.isUntitled && document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
  const fileFolder = document ? vscode.workspace.getWorkspaceFolder(document.uri) : undefined;
  return {
    folder: folder ? asFolder(folder) : undefined,
    folders: (vscode.workspace.workspaceFolders ?? []).map(asFolder),
    editor: editor && document
      ? {
        file,
        folder: fileFolder ? asFolder(fileFolder) : undefined,
        lineNumber: editor.selection.active.line + 1,
        columnNumber: editor.selection.active.character + 1,
        selectedText: document.getText(editor.selection),
      }
      : undefined,
    cwd: process.cwd(),
    userHome: os.homedir(),
    pathSeparator: path.sep,
    env: process.env,
    config: (name) => {
      const dot = name.lastIndexOf('.');
      const section = dot < 0 ? undefined : name.slice(0, dot);
      return vscode.workspace.getConfiguration(section, folder?.uri).get(dot < 0 ? name : name.slice(dot + 1));
    },
  };
}

/** A shell or process task as a job spec, its variables resolved; other task kinds cannot run outside VS Code's terminal. */
export function taskToSpec(task: vscode.Task, context: VariableContext = variableContext(folderOf(task))): Resolved<JobSpecInput> | undefined {
  const command = taskCommand(task);
  if (!command) return undefined;
  const resolved = resolveAll(command, context);
  if (!resolved.ok) return resolved;
  const { value } = resolved;
  const folder = folderOf(task);
  const cwd = value.cwd ?? folder?.uri.fsPath;
  return {
    ok: true,
    value: {
      command: commandLineOf(value),
      label: task.name,
      ...(cwd ? { cwd } : {}),
      ...(value.env ? { env: value.env } : {}),
      source: { kind: 'task', name: task.name, ...(typeof task.scope === 'object' ? { folder: task.scope.name } : {}) },
    },
  };
}

/** Add Task as Job…: pick a workspace task (shell/process), or name one; its variables resolved, it is queued. */
export const addTaskAsJob: CommandDefinition = {
  id: 'jobQueue.addTaskAsJob',
  async run(ctx, taskName?: unknown): Promise<Job | undefined> {
    if (!ctx.requireTrust()) return undefined;
    const tasks = await vscode.tasks.fetchTasks();
    const runnable = tasks.filter((task) => taskCommand(task) !== undefined);
    let chosen = typeof taskName === 'string' ? runnable.find((t) => t.name === taskName) : undefined;
    if (typeof taskName === 'string' && !chosen) return refuse(`No shell or process task named “${taskName}”.`);
    if (!chosen) {
      if (runnable.length === 0) {
        return refuse(tasks.length
          ? `None of the ${tasks.length} tasks here is a shell or process task, which are the ones Job Queue can run.`
          : 'This workspace has no tasks. Define one in .vscode/tasks.json, or use Add Job… with a command line.');
      }
      const picked = await vscode.window.showQuickPick(
        runnable.map((task) => {
          const command = taskCommand(task)!;
          return { label: task.name, description: task.source, detail: commandLineOf(command), task };
        }),
        { placeHolder: 'Queue which task?', matchOnDetail: true },
      );
      chosen = picked?.task;
    }
    if (!chosen) return undefined;
    // Resolved now, against the editor and settings as they are when the task is queued.
    const spec = taskToSpec(chosen);
    if (!spec) return undefined;
    if (!spec.ok) return refuse(unresolvedMessage(chosen.name, spec.unresolved));
    const job = queuedJob(submitJob(ctx.service, ctx.log, spec.value));
    if (job) vscode.window.setStatusBarMessage(`$(add) Queued task “${chosen.name}” as ${jobName(job)}`, 4000);
    return job;
  },
};
