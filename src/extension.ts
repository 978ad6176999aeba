// Activation: open the engine on the workspace storage, then attach the thin VS Code layer
// (tree, commands, card, status bar, notifications). Views render JobService's events; commands
// call JobService; nothing else touches the queue.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openJobService, type JobService } from './core';
import { ApiJobRequestSchema, type JobQueueApi } from './api';
import { allCommands } from './vscode/commands/allCommands';
import { recentRefusals, refuse, registerCommands, type CommandContext } from './vscode/commands/shared';
import { LogFollower } from './vscode/logFollower';
import { FinishNotifications } from './vscode/notifications';
import { registerRunningJobCard } from './vscode/runningJobCard/runningJobCard';
import { onDidChangeSettings, readSettings } from './vscode/settings';
import { QueueStatusBar } from './vscode/statusBar';
import { JobsTree } from './vscode/tree/jobsTree';

const UNTRUSTED = 'This workspace is not trusted, so Job Queue does not run commands here. Trust the workspace to run jobs.';

let service: JobService | undefined;

/** Workspace storage; with no folder open, a folder in global storage (said in the log and the view). */
function storageLocation(context: vscode.ExtensionContext): { dir: string; note?: string } {
  if (context.storageUri) return { dir: context.storageUri.fsPath };
  return { dir: path.join(context.globalStorageUri.fsPath, 'no-folder'), note: 'no folder open: global storage' };
}

export async function activate(context: vscode.ExtensionContext): Promise<JobQueueApi> {
  const log = vscode.window.createOutputChannel('Job Queue', { log: true });
  context.subscriptions.push(log);
  const storage = storageLocation(context);
  if (storage.note) log.info(`No folder is open: the queue is kept in global storage (${storage.dir}).`);

  let settings = readSettings();
  const warnings: string[] = [];
  const jobs = await openJobService({
    storageDir: storage.dir,
    ...settings.engine,
    ...(vscode.workspace.isTrusted ? {} : { dispatchHold: UNTRUSTED }),
  }).catch((error: unknown) => {
    log.error('Could not open the job queue', error);
    throw error;
  });
  service = jobs;
  log.info(`Job queue opened in ${storage.dir}: ${jobs.getSnapshot().queued.length} queued, ${jobs.getSnapshot().running.length} running, ${jobs.historySize} in history.`);

  context.subscriptions.push(
    jobs.onDidChange((e) => {
      if (e.type === 'storeWarning') {
        log.warn(`${e.message}${e.backupPath ? ` (copy kept at ${e.backupPath})` : ''}`);
        warnings.push(e.message);
        void vscode.window.showWarningMessage(`Job Queue: ${e.message}`, 'Show Log').then((c) => c && log.show(true));
      } else if (e.type === 'jobAdopted') {
        log.info(`Job #${e.job.id} was still running after the restart: watching it again.`);
      } else if (e.type === 'historyAdded') {
        log.info(`Job #${e.entry.id} ${e.entry.status}${e.entry.exitCode !== undefined ? ` (exit ${e.entry.exitCode})` : ''}${e.entry.error ? `: ${e.entry.error}` : ''}`);
      }
    }),
    onDidChangeSettings((next) => {
      settings = next;
      jobs.configure(next.engine);
      log.info('Settings changed and applied.');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      jobs.setDispatchHold(undefined);
      log.info('Workspace trusted: jobs may run.');
    }),
  );

  const tree = new JobsTree(jobs, storage.note);
  const card = registerRunningJobCard(context, jobs, log);
  const follower = new LogFollower(jobs);
  const ctx: CommandContext = {
    service: jobs,
    tree,
    log,
    showRunningJobCard: () => card.show(),
    followLog: (editor) => follower.follow(editor),
    requireTrust: () => vscode.workspace.isTrusted || (refuse(UNTRUSTED) ?? false),
  };
  context.subscriptions.push(
    tree,
    follower,
    new QueueStatusBar(jobs),
    new FinishNotifications(jobs, () => settings.notifications),
    ...registerCommands(ctx, allCommands),
    // For tests and diagnostics: what the Jobs view shows, and the card's protocol endpoint.
    vscode.commands.registerCommand('jobQueue._describeTree', () => tree.describe()),
    vscode.commands.registerCommand('jobQueue._recentRefusals', () => [...recentRefusals]),
    vscode.commands.registerCommand('jobQueue._cardMessage', async (message: unknown) => {
      await card.onMessage(message);
      return { ...card.stats, open: card.isOpen };
    }),
  );

  return {
    version: 1,
    enqueue(request) {
      if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED);
      const parsed = ApiJobRequestSchema.safeParse(request);
      if (!parsed.success) throw new Error(`Invalid job request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
      return jobs.enqueue({ ...parsed.data, source: { kind: 'api' } });
    },
    getSnapshot: () => jobs.getSnapshot(),
    getHistory: () => jobs.getHistory(),
    storageDir: jobs.storageDir,
    onDidChange: (listener) => jobs.onDidChange(listener),
  };
}

export async function deactivate(): Promise<void> {
  // Flush to disk; running jobs keep running and are adopted by the next activation.
  await service?.dispose();
  service = undefined;
}
