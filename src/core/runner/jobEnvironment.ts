// The environment a job gets: the one a user's integrated terminal would get, not the extension
// host's as is. The host's environment carries variables meant for VS Code's own processes; the
// worst, ELECTRON_RUN_AS_NODE, turns any `code` or Electron app the job starts into plain Node.
//
// The rule is VS Code's own: the terminal removes these with sanitizeProcessEnvironment()
// (src/vs/base/common/processes.ts), keeping VSCODE_IPC_HOOK_CLI so `code <file>` in a terminal
// opens in the window. Like the terminal, NODE_OPTIONS, APPLICATIONINSIGHTS_* and everything else
// (PATH, HOME, the user's variables) are kept: VS Code does not set them for its own use.

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

/** The host's environment without its host-only variables, with the job's own `env` on top. */
export function jobEnvironment(hostEnv: NodeJS.ProcessEnv, specEnv?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(hostEnv)) {
    if (value !== undefined && !isHostOnlyVariable(name)) env[name] = value;
  }
  // What the job asks for wins, host-only names included: the user wrote them on purpose.
  return { ...env, ...specEnv };
}
