// One open queue and everything that shows it: the engine opened on a storage folder, then the thin
// VS Code layer (tree, commands, card, status bar, notifications) attached to it, and what opening
// found told to the user. Views render JobService's events; commands call JobService; nothing else
// touches the queue. Disposing it detaches all of that and closes the engine (running jobs go on).
import * as vscode from 'vscode';
import { openJobService, type JobService } from '../core';
import { SlurmRunner } from '../core/runner/slurm/slurmRunner';
import { ApprovalNotices } from './approvalNotices';
import { AutoRunOffNotice, TELL_SETTING } from './autoRunOffNotice';
import { allCommands } from './commands/allCommands';
import { refuse, registerCommands, type CommandContext } from './commands/shared';
import { JobsViewMessage } from './jobsViewMessage';
import { LogFollower } from './logFollower';
import { JobLogTerminals } from './logTerminal/jobLogTerminal';
import { ProblemReplay } from './problems/problemReplay';
import { FinishNotifications } from './notifications';
import { StoreWarningNotices, runKey, showOpenReport } from './openReportNotices';
import { RoleNotices } from './roleNotices';
import { RunningJobCard } from './runningJobCard/runningJobCard';
import { onDidChangeSettings, readSettings, type Settings } from './settings';
import { notify } from './notices';
import { QueueStatusBar } from './statusBar';
import { JOBS_VIEW_ID, JobsTree } from './tree/jobsTree';
import type { StorageLocation } from './storageLocation';
import { UNTRUSTED } from './untrusted';

export type { StorageLocation } from './storageLocation';

export class QueueSession {
  private constructor(
    readonly service: JobService,
    readonly tree: JobsTree,
    readonly card: RunningJobCard,
    readonly viewMessage: JobsViewMessage,
    private readonly owned: vscode.Disposable[],
  ) {}

  static async open(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, storage: StorageLocation, workspaceState?: vscode.Memento): Promise<QueueSession> {
    let settings = readSettings();
    warnAboutSettings(settings);
    // Always there, enabled or not: Slurm jobs already in the records are found again and watched.
    const slurm = new SlurmRunner({ defaults: settings.slurm.defaults, ...(settings.slurm.outputDir ? { outputDir: settings.slurm.outputDir } : {}) });
    const service = await openJobService({
      storageDir: storage.dir,
      backends: [slurm],
      // What another window on this folder is told about the one that runs the queue.
      ownerLabel: `a ${vscode.env.appName} window${vscode.env.remoteName ? ` (${vscode.env.remoteName})` : ''}`,
      ...settings.engine,
      ...(vscode.workspace.isTrusted ? {} : { dispatchHold: UNTRUSTED }),
    }).catch((error: unknown) => {
      log.error('Could not open the job queue', error);
      throw error;
    });
    const snapshot = service.getSnapshot();
    log.info(`Job queue opened in ${storage.dir}: ${snapshot.queued.length} queued, ${snapshot.running.length} running, ${service.historySize} in history${service.role.kind === 'follower' ? ' (run by another window)' : ''}.`);

    const owned: vscode.Disposable[] = [];
    const storeWarnings = new StoreWarningNotices(log);
    owned.push(
      service.onDidChange((e) => {
        if (e.type === 'storeWarning') storeWarnings.show(e);
        else if (e.type === 'jobAdopted') log.info(`Job #${e.job.id} was still running after the restart: watching it again.`);
        else if (e.type === 'historyAdded') log.info(`Job #${e.entry.id} ${e.entry.status}${e.entry.exitCode !== undefined ? ` (exit ${e.entry.exitCode})` : ''}${e.entry.error ? `: ${e.entry.error}` : ''}`);
      }),
      onDidChangeSettings((next) => {
        settings = next;
        service.configure(next.engine);
        slurm.setDefaults(next.slurm.defaults);
        slurm.setOutputDir(next.slurm.outputDir);
        warnAboutSettings(next);
        log.info('Settings changed and applied.');
      }),
      // A window in the background polls Slurm less often.
      vscode.window.onDidChangeWindowState((state) => slurm.setWindowFocused(state.focused)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        service.setDispatchHold(undefined);
        log.info('Workspace trusted: jobs may run.');
      }),
    );

    const tree = new JobsTree(service, storage.note);
    const card = new RunningJobCard(extensionUri, service, log);
    const follower = new LogFollower(service);
    const logTerminals = new JobLogTerminals(service);
    const viewMessage = new JobsViewMessage(service, tree.view, service.openReport.pausedBecause);
    const showHistory = async (): Promise<void> => {
      await vscode.commands.executeCommand(`${JOBS_VIEW_ID}.focus`);
      await tree.revealHistory();
    };
    const toldOnOpen = showOpenReport(service.openReport, { service, log, level: () => settings.notifications, showHistory, storeWarnings });
    const ctx: CommandContext = {
      service,
      tree,
      log,
      showRunningJobCard: () => card.show(),
      followLog: (editor) => follower.follow(editor),
      showLogTerminal: (run) => logTerminals.show(run),
      requireTrust: () => vscode.workspace.isTrusted || (refuse(UNTRUSTED) ?? false),
      slurmSettings: () => settings.slurm,
      // Add Job offers the last command line and folder again, across restarts.
      ...(workspaceState ? { workspaceState } : {}),
    };
    owned.push(
      tree,
      card,
      follower,
      logTerminals,
      new ProblemReplay(service, log),
      viewMessage,
      new RoleNotices(service, log),
      new QueueStatusBar(service),
      new FinishNotifications(service, () => settings.notifications, (job) => toldOnOpen.has(runKey(job))),
      new ApprovalNotices(service, tree),
      new AutoRunOffNotice(service, () => vscode.workspace.getConfiguration('jobQueue').get<boolean>(TELL_SETTING) !== false),
      ...registerCommands(ctx, allCommands),
    );
    return new QueueSession(service, tree, card, viewMessage, owned);
  }

  /** Detaches every view and command, then closes the engine (flushed; running jobs keep running). */
  async dispose(): Promise<void> {
    for (const d of this.owned.splice(0).reverse()) d.dispose();
    await this.service.dispose();
  }
}

/** Settings that could not be used are named (they were left out, never guessed). */
function warnAboutSettings(settings: Settings): void {
  for (const problem of settings.slurm.problems) void notify('warning', `Job Queue: a Slurm setting was left out: ${problem}`);
}
