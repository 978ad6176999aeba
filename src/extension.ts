// Activation: open the queue on the workspace storage and attach the VS Code layer to it (a
// QueueSession), register what must outlive a session (the card's serializer, the log), and hand
// other extensions an API that always talks to the open session.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobQueueApi } from './api';
import { createApi } from './vscode/apiImpl';
import { setNoticeFailureSink } from './vscode/notices';
import { registerCardSerializer } from './vscode/runningJobCard/runningJobCard';
import { QueueSession, type StorageLocation } from './vscode/session';
import { sharedWorkspaceStorage } from './vscode/storageLocation';
import { registerTerminalCommand } from './vscode/terminalCommand';
import { registerTestHooks } from './vscode/testHooks';

/**
 * Set by esbuild.js: true in the test build (`node esbuild.js`, what the integration tier and F5 run),
 * false in the product build (`--production`, the .vsix), where the test-only commands are dead code
 * and dropped from the bundle together with src/vscode/testHooks.ts.
 */
declare const JOB_QUEUE_TEST_HOOKS: boolean;

let session: QueueSession | undefined;
let opening: Promise<QueueSession> | undefined;

/** Workspace storage; with no folder open, a folder in global storage (said in the log and the view). */
function storageLocation(context: vscode.ExtensionContext): StorageLocation {
  if (context.storageUri) return sharedWorkspaceStorage(context.storageUri.fsPath);
  return { dir: path.join(context.globalStorageUri.fsPath, 'no-folder'), note: 'no folder open: global storage' };
}

export async function activate(context: vscode.ExtensionContext): Promise<JobQueueApi> {
  const log = vscode.window.createOutputChannel('Job Queue', { log: true });
  context.subscriptions.push(log);
  setNoticeFailureSink((message, error) => log.error(message, error));
  const storage = storageLocation(context);
  if (storage.note) log.info(`No folder is open: the queue is kept in global storage (${storage.dir}).`);
  if (storage.givenDir) log.info(`Another window of this workspace holds VS Code's storage folder: this one shares the workspace's queue in ${storage.dir} (not ${storage.givenDir}).`);
  if (storage.strayQueue) {
    void vscode.window.showWarningMessage(`Job Queue: this window used to keep a separate queue in ${storage.strayQueue}. It now shares the workspace's queue; the old files were left where they are.`);
  }

  const open = (where: StorageLocation, closing?: QueueSession): Promise<QueueSession> => {
    opening = (async () => {
      await closing?.dispose();
      session = await QueueSession.open(context.extensionUri, log, where, context.workspaceState);
      return session;
    })();
    return opening;
  };
  const current = (): QueueSession => {
    if (!session) throw new Error('Job Queue is still opening the queue; try again in a moment.');
    return session;
  };

  // Registered before the queue opens: a card VS Code restores waits for the session.
  context.subscriptions.push(registerCardSerializer(async () => (await (opening ?? open(storage))).card));
  await open(storage);
  // `jobq` in the integrated terminals, on this workspace's queue (JOB_QUEUE_DIR).
  context.subscriptions.push(registerTerminalCommand(context, storage.dir, log));

  if (JOB_QUEUE_TEST_HOOKS && context.extensionMode === vscode.ExtensionMode.Test) {
    context.subscriptions.push(...registerTestHooks({
      current,
      reopen: (storageDir) => {
        const closing = session;
        session = undefined;
        return open(storageDir ? { dir: storageDir, note: 'test storage' } : storage, closing);
      },
    }));
  }
  return createApi(current, log);
}

export async function deactivate(): Promise<void> {
  // Flush to disk; running jobs keep running and are adopted by the next activation.
  const closing = session;
  session = undefined;
  opening = undefined;
  await closing?.dispose();
}
