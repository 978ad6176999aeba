// A job's environment before it runs: what `jobq add` records of the terminal's (minus what the
// extension and VS Code put there for themselves), what the settings and the unbuffered-output rule
// add at enqueue, and how it differs from the window's — what the user approves. The one function
// that turns a recorded environment into a process's is jobEnvironment (runner/jobEnvironment.ts).
import * as path from 'node:path';
import type { JobEnvironment } from './model';
import { REGISTRY_DIR_VARIABLE } from './registry/workspaceRegistry';
import { jobEnvironment, windowEnvironment } from './runner/jobEnvironment';

/** The queue's folder, set in integrated terminals by the extension (terminalCommand.ts). */
export const QUEUE_DIR_VARIABLE = 'JOB_QUEUE_DIR';
/** The folder of the `jobq` shim, set by the shim for the command alone, so its PATH entry can be taken out. */
export const SHIM_DIR_VARIABLE = 'JOB_QUEUE_BIN';

/**
 * Variables of a terminal that belong to the window, not to the user's world, so they are not
 * recorded with a job: ours (the queue's folder, the shim's, the workspace registry's), VS Code's IPC and shell-integration
 * variables (`VSCODE_IPC_HOOK_CLI`, `VSCODE_GIT_IPC_HANDLE`, …: sockets of a window that may be gone
 * when the job runs, and that name it), Electron's (the shim sets ELECTRON_RUN_AS_NODE, which would
 * turn any Electron app the job starts into plain Node), and `_`, the shell's path of `jobq` itself.
 */
const WINDOW_VARIABLES = new Set([QUEUE_DIR_VARIABLE, SHIM_DIR_VARIABLE, REGISTRY_DIR_VARIABLE, '_']);
const WINDOW_PREFIXES = ['VSCODE_', 'ELECTRON_'];

export function isWindowVariable(name: string): boolean {
  const key = process.platform === 'win32' ? name.toUpperCase() : name;
  return WINDOW_VARIABLES.has(key) || WINDOW_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * The environment `jobq add` records: the terminal's, without the window's variables and the
 * shim's PATH entry. VS Code's git extension points GIT_ASKPASS at a script that talks to the
 * window through VSCODE_GIT_IPC_HANDLE; without that handle it can only fail, so it goes too.
 */
export function terminalEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const vars: Record<string, string> = {};
  const shimDir = env[SHIM_DIR_VARIABLE];
  for (const [name, value] of Object.entries(env)) {
    // `=C:`-style names are cmd.exe's per-drive folders, not variables a process can be given.
    if (value === undefined || name.startsWith('=') || isWindowVariable(name)) continue;
    vars[name] = isPathVariable(name) && shimDir ? withoutEntry(value, shimDir) : value;
  }
  // Set together by VS Code's git extension (askpass.sh runs VSCODE_GIT_ASKPASS_NODE on VSCODE_GIT_ASKPASS_MAIN).
  if (env.VSCODE_GIT_ASKPASS_MAIN !== undefined) delete vars.GIT_ASKPASS;
  return vars;
}

function isPathVariable(name: string): boolean {
  return process.platform === 'win32' ? name.toUpperCase() === 'PATH' : name === 'PATH';
}

/** A PATH without `dir` (the extension prepends it; the user's own entries stay as they are, in order). */
function withoutEntry(value: string, dir: string): string {
  const same = (entry: string) => path.resolve(entry || '.') === path.resolve(dir);
  return value.split(path.delimiter).filter((entry) => entry === '' || !same(entry)).join(path.delimiter);
}

/** Settings' variables (jobQueue.envFile, then jobQueue.env) under a job's own; a captured environment is kept whole. */
export function withDefaults(environment: JobEnvironment | undefined, defaults: Readonly<Record<string, string>>): JobEnvironment | undefined {
  if (environment?.kind === 'captured') return environment;
  if (Object.keys(defaults).length === 0) return environment;
  return { kind: 'overlay', vars: { ...defaults, ...environment?.vars } };
}

export const UNBUFFERED_VARIABLE = 'PYTHONUNBUFFERED';

/**
 * PYTHONUNBUFFERED=1 unless the job's environment already says (a value the user set, in the
 * terminal, the window or the settings, wins): a job's output goes to a file, where Python would
 * otherwise write its progress in 8 KiB blocks.
 */
export function withUnbufferedOutput(environment: JobEnvironment | undefined, hostEnv: NodeJS.ProcessEnv): JobEnvironment | undefined {
  if (jobEnvironment(hostEnv, environment)[UNBUFFERED_VARIABLE] !== undefined) return environment;
  return { kind: environment?.kind ?? 'overlay', vars: { ...environment?.vars, [UNBUFFERED_VARIABLE]: '1' } };
}

export type EnvironmentChange =
  | { kind: 'added'; name: string; value: string }
  | { kind: 'removed'; name: string; was: string }
  | { kind: 'changed'; name: string; was: string; value: string };

/**
 * How a job's environment differs from the window's, by name: what approving the job means it runs
 * with. The window's own variables (VSCODE_*, …) are left out: a terminal's never travel.
 */
export function environmentChanges(environment: JobEnvironment | undefined, hostEnv: NodeJS.ProcessEnv): EnvironmentChange[] {
  if (!environment) return [];
  const window = windowEnvironment(hostEnv);
  const job = jobEnvironment(hostEnv, environment);
  const names = [...new Set([...Object.keys(window), ...Object.keys(job)])].filter((n) => !isWindowVariable(n)).sort();
  const changes: EnvironmentChange[] = [];
  for (const name of names) {
    const was = window[name];
    const value = job[name];
    if (was === undefined && value !== undefined) changes.push({ kind: 'added', name, value });
    else if (was !== undefined && value === undefined) changes.push({ kind: 'removed', name, was });
    else if (was !== undefined && value !== undefined && was !== value) changes.push({ kind: 'changed', name, was, value });
  }
  return changes;
}
