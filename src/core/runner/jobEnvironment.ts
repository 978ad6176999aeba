// The environment a job gets: the one a user's integrated terminal would get, not the extension
// host's as is. The host's environment carries variables meant for VS Code's own processes; the
// worst, ELECTRON_RUN_AS_NODE, turns any `code` or Electron app the job starts into plain Node.
//
// The rule is VS Code's own: the terminal removes these with sanitizeProcessEnvironment()
// (src/vs/base/common/processes.ts), keeping VSCODE_IPC_HOOK_CLI so `code <file>` in a terminal
// opens in the window. Like the terminal, NODE_OPTIONS, APPLICATIONINSIGHTS_* and everything else
// (PATH, HOME, the user's variables) are kept: VS Code does not set them for its own use.
import type { JobEnvironment } from '../model';

/** Names removed from the host's environment; `*` stands for one or more characters. */
export const HOST_ONLY_VARIABLES: readonly string[] = ['ELECTRON_*', 'VSCODE_*', 'SNAP', 'SNAP_*', 'GDK_PIXBUF_*'];

/** Exceptions to HOST_ONLY_VARIABLES: kept, as the integrated terminal keeps them. */
export const KEPT_VSCODE_VARIABLES: readonly string[] = [
  'VSCODE_IPC_HOOK_CLI',
  'VSCODE_PORTABLE',
  'VSCODE_SHELL_LOGIN',
  'VSCODE_ENV_REPLACE',
  'VSCODE_ENV_APPEND',
  'VSCODE_ENV_PREPEND',
];

// Windows treats variable names without regard to case; elsewhere `Path` and `PATH` differ.
const fold = (name: string): string => (process.platform === 'win32' ? name.toUpperCase() : name);
const kept = new Set(KEPT_VSCODE_VARIABLES);
const matchers = HOST_ONLY_VARIABLES.map((pattern) =>
  pattern.endsWith('*') ? (name: string) => name.length > pattern.length - 1 && name.startsWith(pattern.slice(0, -1)) : (name: string) => name === pattern);

export function isHostOnlyVariable(name: string): boolean {
  const key = fold(name);
  return !kept.has(key) && matchers.some((matches) => matches(key));
}

/** The window's environment: the host's without its host-only variables (what an overlay goes on top of). */
export function windowEnvironment(hostEnv: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value !== undefined && !isHostOnlyVariable(name)) env[name] = value;
  }
  return env;
}

/**
 * The environment a job's process gets, on every backend: exactly the captured variables (the
 * terminal's, recorded by `jobq add`: nothing of the host's is mixed in), or the window's
 * environment with the overlay on top (absent: the window's as it is).
 */
export function jobEnvironment(hostEnv: NodeJS.ProcessEnv, environment: JobEnvironment | undefined): Record<string, string> {
  if (environment?.kind === 'captured') return { ...environment.vars };
  // What the job asks for wins, host-only names included: the user wrote them on purpose.
  return { ...windowEnvironment(hostEnv), ...environment?.vars };
}

/**
 * One variable of the environment jobEnvironment() would give (`PATH` for the shell check), without
 * building it: checked for every job a dispatch round looks at. On Windows names are found without
 * regard to case (`Path`), as the system finds them.
 */
export function jobVariable(hostEnv: NodeJS.ProcessEnv, environment: JobEnvironment | undefined, name: string): string | undefined {
  const own = environment ? variableOf(environment.vars, name) : undefined;
  if (own !== undefined || environment?.kind === 'captured') return own;
  // process.env already ignores case on Windows; a plain object does not.
  return isHostOnlyVariable(name) ? undefined : hostEnv[name];
}

function variableOf(env: Readonly<Record<string, string>>, name: string): string | undefined {
  if (process.platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}
