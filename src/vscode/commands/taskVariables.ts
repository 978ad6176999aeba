// The variables of a task (`${workspaceFolder}`, `${file}`, `${env:HOME}`, …) resolved the way VS
// Code's own task runner resolves them — those an extension can know. A job runs a plain command line
// outside VS Code's task system, so what is left unresolved would reach the shell, which expands
// `${workspaceFolder}` to nothing. Variables that need VS Code's task runner itself (`${input:…}`,
// `${command:…}`) or something missing (a file variable with no editor open) are reported, by name,
// and the task is refused. No vscode import: the caller describes the editor and workspace.
import * as path from 'node:path';

export interface VariableFolder {
  /** Absolute path of the workspace folder. */
  path: string;
  name: string;
}

export interface VariableEditor {
  /** Absolute path of the active editor's file (undefined for an untitled document). */
  file: string | undefined;
  /** The workspace folder the file is in, if any. */
  folder: VariableFolder | undefined;
  /** 1-based line of the cursor. */
  lineNumber: number;
  /** 1-based column of the cursor. */
  columnNumber: number;
  selectedText: string;
}

export interface VariableContext {
  /** The task's own workspace folder (or the only one open). */
  folder: VariableFolder | undefined;
  /** Every workspace folder, for `${workspaceFolder:name}`. */
  folders: readonly VariableFolder[];
  editor: VariableEditor | undefined;
  cwd: string;
  userHome: string;
  pathSeparator: string;
  env: Readonly<Record<string, string | undefined>>;
  /** A setting's value (`${config:editor.fontSize}`), undefined when it is not set. */
  config(name: string): unknown;
  /** Path operations of the platform the job runs on (tests pass path.posix or path.win32). */
  paths?: Pick<typeof path, 'basename' | 'dirname' | 'extname' | 'relative'>;
}

/** A variable that cannot be resolved, and why, in words for the user. */
export interface UnresolvedVariable {
  variable: string;
  reason: string;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; unresolved: UnresolvedVariable[] };

const VARIABLE = /\$\{([^}]*)\}/g;

const FILE_VARIABLES = new Set([
  'file', 'fileBasename', 'fileBasenameNoExtension', 'fileDirname', 'fileDirnameBasename', 'fileExtname',
  'fileWorkspaceFolder', 'fileWorkspaceFolderBasename', 'relativeFile', 'relativeFileDirname', 'lineNumber', 'columnNumber', 'selectedText',
]);

/** Resolves every `${…}` in `text`; collects each one that cannot be resolved. */
export function resolveText(text: string, ctx: VariableContext, unresolved: UnresolvedVariable[]): string {
  return text.replace(VARIABLE, (whole, inner: string) => {
    const result = resolveOne(inner, ctx);
    if (typeof result === 'string') return result;
    if (!unresolved.some((u) => u.variable === whole)) unresolved.push({ variable: whole, reason: result.reason });
    return whole;
  });
}

/** Resolves the variables of a value made of strings (a command, its arguments, options). */
export function resolveAll<T>(value: T, ctx: VariableContext): Resolved<T> {
  const unresolved: UnresolvedVariable[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return resolveText(v, ctx, unresolved);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  const resolved = walk(value) as T;
  return unresolved.length ? { ok: false, unresolved } : { ok: true, value: resolved };
}

/** `Task “deploy” cannot be queued: ${input:target} asks …` — one plain sentence per variable. */
export function unresolvedMessage(taskName: string, unresolved: readonly UnresolvedVariable[]): string {
  const reasons = unresolved.map((u) => `${u.variable} ${u.reason}`).join('; ');
  return `Task “${taskName}” cannot be queued as a job: ${reasons}. Run it with Tasks: Run Task, or use Add Job… with the values typed in.`;
}

function resolveOne(inner: string, ctx: VariableContext): string | { reason: string } {
  const paths = ctx.paths ?? path;
  const colon = inner.indexOf(':');
  const name = colon < 0 ? inner : inner.slice(0, colon);
  const argument = colon < 0 ? undefined : inner.slice(colon + 1);

  switch (name) {
    case 'env':
      if (!argument) return { reason: 'names no environment variable' };
      // As VS Code does: a variable that is not set is empty.
      return ctx.env[argument] ?? '';
    case 'config': {
      if (!argument) return { reason: 'names no setting' };
      const value = ctx.config(argument);
      if (value === undefined || value === null) return { reason: `names a setting that is not set (${argument})` };
      if (typeof value === 'object') return { reason: `names a setting that is not a single value (${argument})` };
      return String(value);
    }
    case 'input':
      return { reason: 'asks for input when the task runs, which only VS Code’s own task runner can do' };
    case 'command':
      return { reason: 'runs a command to get its value, which only VS Code’s own task runner can do' };
  }
  if (argument !== undefined && name !== 'workspaceFolder' && name !== 'workspaceFolderBasename') {
    return { reason: 'is not a variable Job Queue can resolve' };
  }

  switch (name) {
    case 'workspaceFolder':
    case 'workspaceRoot':
    case 'workspaceFolderBasename':
    case 'workspaceRootFolderName': {
      const folder = argument !== undefined ? ctx.folders.find((f) => f.name === argument) : ctx.folder;
      if (!folder) return { reason: argument !== undefined ? `names no open workspace folder (${argument})` : 'needs a workspace folder, and this task has none' };
      return name === 'workspaceFolder' || name === 'workspaceRoot' ? folder.path : folder.name;
    }
    case 'cwd':
      return ctx.cwd;
    case 'userHome':
      return ctx.userHome;
    case 'pathSeparator':
    case '/':
      return ctx.pathSeparator;
  }

  if (!FILE_VARIABLES.has(name)) return { reason: 'is not a variable Job Queue can resolve' };
  const editor = ctx.editor;
  if (!editor) return { reason: 'needs an open editor, and none is active' };
  if (name === 'lineNumber') return String(editor.lineNumber);
  if (name === 'columnNumber') return String(editor.columnNumber);
  if (name === 'selectedText') return editor.selectedText ? editor.selectedText : { reason: 'needs text selected in the active editor, and none is' };
  const file = editor.file;
  if (file === undefined) return { reason: 'needs the active editor to show a saved file' };
  switch (name) {
    case 'file':
      return file;
    case 'fileBasename':
      return paths.basename(file);
    case 'fileBasenameNoExtension': {
      const base = paths.basename(file);
      return base.slice(0, base.length - paths.extname(base).length);
    }
    case 'fileDirname':
      return paths.dirname(file);
    case 'fileDirnameBasename':
      return paths.basename(paths.dirname(file));
    case 'fileExtname':
      return paths.extname(file);
  }
  if (name === 'fileWorkspaceFolder' || name === 'fileWorkspaceFolderBasename') {
    if (!editor.folder) return { reason: 'needs the active file to be in a workspace folder' };
    return name === 'fileWorkspaceFolder' ? editor.folder.path : editor.folder.name;
  }
  // As VS Code does: relative to the task's folder; absolute when the task has none.
  const relative = ctx.folder ? paths.relative(ctx.folder.path, file) : file;
  if (name === 'relativeFile') return relative;
  const dir = paths.dirname(relative);
  return dir === '' ? '.' : dir;
}
