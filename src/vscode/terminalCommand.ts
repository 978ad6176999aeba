// The terminal command (`jobq`, src/cli) in VS Code's integrated terminals: at activation a shim is
// written to the extension's global storage (`bin/jobq` for POSIX shells, `bin/jobq.cmd` for
// Windows) that runs the bundled dist/cli.js with VS Code's own runtime (process.execPath with
// ELECTRON_RUN_AS_NODE=1: no Node install needed), and the workspace's environment-variable
// collection puts that folder first on PATH and sets JOB_QUEUE_DIR to the queue's storage folder.
// Terminals opened from then on have it. Not in an untrusted workspace: no job runs there, so no
// tool should be handed a way to queue one; it is applied once the workspace is trusted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { quotePosix } from '../cli/shellQuote';
import { QUEUE_DIR_VARIABLE, SHIM_DIR_VARIABLE } from '../core/environment';
import { registerWorkspace } from '../core/registry/workspaceRegistry';

export { QUEUE_DIR_VARIABLE } from '../core/environment';

/**
 * The shims' text: POSIX sh and cmd.exe, each running `cli` with `runtime` as plain Node. They tell
 * the command their own folder (JOB_QUEUE_BIN, for it alone), so `jobq add` can leave that PATH
 * entry out of the environment it records.
 */
export function shimScripts(runtime: string, cli: string): { posix: string; cmd: string } {
  const posix = [
    '#!/bin/sh',
    '# Job Queue: the jobq terminal command. Written by the extension at every start; edits are lost.',
    `ELECTRON_RUN_AS_NODE=1 ${SHIM_DIR_VARIABLE}="\${0%/*}" exec ${quotePosix(runtime)} ${quotePosix(cli)} "$@"`,
    '',
  ].join('\n');
  const cmd = [
    '@echo off',
    'rem Job Queue: the jobq terminal command. Written by the extension at every start; edits are lost.',
    'setlocal',
    'set ELECTRON_RUN_AS_NODE=1',
    `set ${SHIM_DIR_VARIABLE}=%~dp0`,
    `"${runtime}" "${cli}" %*`,
    '',
  ].join('\r\n');
  return { posix, cmd };
}

/** Writes a file only when its content changed, by rename (a terminal running the old shim is not disturbed). */
function writeIfChanged(file: string, content: string, mode: number): void {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return;
  } catch {
    // missing: write it
  }
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content, { mode });
  fs.chmodSync(temp, mode);
  fs.renameSync(temp, file);
}

/** Writes the shims; returns their folder. */
export function installShims(globalStorage: string, extensionPath: string): string {
  const bin = path.join(globalStorage, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const { posix, cmd } = shimScripts(process.execPath, path.join(extensionPath, 'dist', 'cli.js'));
  writeIfChanged(path.join(bin, 'jobq'), posix, 0o755);
  writeIfChanged(path.join(bin, 'jobq.cmd'), cmd, 0o644);
  return bin;
}

/**
 * Sets up the command for this workspace's queue in `queueDir`. Failing to write the shims is logged
 * and leaves the terminals as they are: the queue works without the command.
 */
export function registerTerminalCommand(context: vscode.ExtensionContext, queueDir: string, log: vscode.LogOutputChannel): vscode.Disposable {
  const collection = context.environmentVariableCollection;
  // Not kept across restarts: VS Code would apply a kept collection to restored terminals before this
  // runs, also in a workspace that is no longer trusted. Terminals opened after activation get it.
  collection.persistent = false;
  collection.description = 'Job Queue: the jobq command (queue commands into this workspace\'s queue), and JOB_QUEUE_DIR, the queue\'s folder';
  const apply = (): void => {
    let bin: string;
    try {
      bin = installShims(context.globalStorageUri.fsPath, context.extensionUri.fsPath);
    } catch (error) {
      log.error('Could not write the jobq terminal command; terminals will not have it.', error);
      collection.clear();
      return;
    }
    collection.prepend('PATH', `${bin}${path.delimiter}`);
    collection.replace(QUEUE_DIR_VARIABLE, queueDir);
    registerFolders(queueDir, log);
  };
  if (vscode.workspace.isTrusted) apply();
  else collection.clear();
  return vscode.Disposable.from(
    vscode.workspace.onDidGrantWorkspaceTrust(apply),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (vscode.workspace.isTrusted) registerFolders(queueDir, log);
    }),
  );
}

/**
 * Records this workspace's folders in the per-user registry, so `jobq` run from any shell inside
 * them (or given --folder) finds this queue. Like the terminals' variables, only once the workspace
 * is trusted. A failure is logged: the queue and the integrated terminals work without it.
 */
function registerFolders(queueDir: string, log: vscode.LogOutputChannel): void {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  if (folders.length === 0) return;
  registerWorkspace(folders, queueDir).then(
    ({ setAside }) => {
      if (setAside) log.warn(`The workspace registry could not be read; a copy was kept in ${setAside} and it was rebuilt.`);
      log.info(`jobq from any shell in ${folders.join(', ')} finds this queue (workspace registry).`);
    },
    (error: unknown) => log.error('Could not record this workspace in the registry: jobq works only in the integrated terminals.', error),
  );
}
