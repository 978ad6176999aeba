// A workspace task (shell or process) as a job spec: what it runs, with its variables resolved the
// way VS Code's task runner resolves them, and what it keeps of the task (folder, environment, own
// shell, problem matchers). The command that queues it is addTaskAsJob.ts.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_PROBLEM_MATCHERS, type JobSpecInput } from '../../core';
import { namedMatchers, type TaskEntry } from './taskDependencies';
import { resolveAll, unresolvedMessage, type VariableContext, type VariableFolder } from './taskVariables';

type Arg = string | vscode.ShellQuotedString;

/** What a shell or process task runs, with its variables still in it (`${workspaceFolder}`, …). */
interface TaskCommand {
  kind: 'shell' | 'process';
  /** A shell task's whole command line, when it has one. */
  commandLine?: string;
  command: Arg[];
  cwd?: string;
  env?: Record<string, string>;
  /** A shell task's own shell (`options.shell`), when it names one. */
  shell?: { executable: string; args: string[] };
}

export function taskCommand(task: vscode.Task): TaskCommand | undefined {
  const execution = task.execution;
  let options: vscode.ShellExecutionOptions | vscode.ProcessExecutionOptions | undefined;
  let result: TaskCommand;
  if (execution instanceof vscode.ShellExecution) {
    const parts = [execution.command, ...(execution.args ?? [])].filter((p): p is Arg => p !== undefined);
    result = { kind: 'shell', ...(execution.commandLine !== undefined ? { commandLine: execution.commandLine } : {}), command: parts };
    options = execution.options;
    if (execution.options?.executable) result.shell = { executable: execution.options.executable, args: execution.options.shellArgs ?? [] };
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
export function commandLineOf(command: TaskCommand): string {
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

export function folderOf(task: vscode.Task): vscode.WorkspaceFolder | undefined {
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

export type TaskSpec = { ok: true; value: JobSpecInput } | { ok: false; message: string };

/**
 * A shell or process task as a job spec, kept whole: its command with its variables resolved, its
 * folder, environment, own shell and named problem matchers. Refused with a sentence when it cannot
 * be a job: a background (watch) task, a shell it starts with arguments other than `-c`, a variable
 * only VS Code's task runner can resolve. Undefined: not a shell or process task.
 */
export function taskToSpec(task: vscode.Task, entry: TaskEntry | undefined, context: VariableContext = variableContext(folderOf(task))): TaskSpec | undefined {
  const command = taskCommand(task);
  if (!command) return undefined;
  if (task.isBackground) {
    return { ok: false, message: `Task “${task.name}” is a background (watch) task: it never ends, so as a job it would hold a slot forever. Run it with Tasks: Run Task instead.` };
  }
  const shellArgs = command.shell?.args ?? [];
  // A job runs `<shell> -c <command line>`: other arguments to the shell (`-l`, `/d`) would be lost, so they are refused rather than dropped.
  if (shellArgs.length > 1 || (shellArgs.length === 1 && shellArgs[0] !== '-c')) {
    return { ok: false, message: `Task “${task.name}” starts its shell with the arguments “${shellArgs.join(' ')}”, which a job cannot keep: a job runs \`<shell> -c <command>\`. Remove them, or run it with Tasks: Run Task.` };
  }
  const resolved = resolveAll(command, context);
  if (!resolved.ok) return { ok: false, message: unresolvedMessage(task.name, resolved.unresolved) };
  const { value } = resolved;
  const folder = folderOf(task);
  const cwd = value.cwd ?? folder?.uri.fsPath;
  // VS Code's task API hands a tasks.json task over without its matchers: they are read from its entry.
  const matchers = [...new Set([...task.problemMatchers, ...namedMatchers(entry)])].slice(0, MAX_PROBLEM_MATCHERS);
  return {
    ok: true,
    value: {
      command: commandLineOf(value),
      label: task.name,
      ...(cwd ? { cwd } : {}),
      ...(value.env ? { env: value.env } : {}),
      ...(value.shell ? { shell: value.shell.executable } : {}),
      ...(matchers.length ? { problemMatchers: matchers } : {}),
      source: { kind: 'task', name: task.name, ...(typeof task.scope === 'object' ? { folder: task.scope.name } : {}) },
    },
  };
}
