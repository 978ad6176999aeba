// Tells the user what opening the queue found. The engine opens before any view can subscribe to
// its events, so it hands over an OpenReport instead; this renders it: damaged files (always told),
// runs that ended while VS Code was closed (one summary), jobs saved meanwhile that could not be
// queued, interrupted runs and the queue paused because of them. Every item also gets a line in the extension's log.
import * as vscode from 'vscode';
import type { Job, JobService, OpenReport, StoreWarning } from '../core';
import { commandAction, notify, type NoticeAction } from './notices';
import { endedWhileClosedSummary, interruptedSummary, refusedRequestsSummary } from './openReportText';
import type { NotificationLevel } from './settings';

export interface OpenReportDeps {
  readonly service: JobService;
  readonly log: vscode.LogOutputChannel;
  readonly level: () => NotificationLevel;
  /** Focuses the Jobs view on its History group. */
  readonly showHistory: () => Promise<void>;
  readonly storeWarnings: StoreWarningNotices;
}

/** Warnings about damaged files: always shown (data was at stake), each one once per session. */
export class StoreWarningNotices {
  private readonly told = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  show(warning: StoreWarning): void {
    // The engine announces what it found as events too: a copy that arrives late is not told twice.
    const key = `${warning.message}\0${warning.backupPath ?? ''}`;
    if (this.told.has(key)) return;
    this.told.add(key);
    this.log.warn(`${warning.message}${warning.backupPath ? ` (copy kept at ${warning.backupPath})` : ''}`);
    const actions: NoticeAction[] = [];
    const backup = warning.backupPath;
    if (backup) actions.push({ title: 'Show Copy', run: () => showBackup(backup) });
    actions.push({ title: 'Show Log', run: () => this.log.show(true) });
    void notify('warning', `Job Queue: ${warning.message}`, actions);
  }
}

async function showBackup(backupPath: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(backupPath));
  await vscode.window.showTextDocument(document, { preview: true });
}

/** Renders everything the report holds; returns the keys (`id#attempt`) of the runs it told about. */
export function showOpenReport(report: OpenReport, deps: OpenReportDeps): Set<string> {
  const { log, service } = deps;
  const told = new Set<string>();
  for (const warning of report.warnings) deps.storeWarnings.show(warning);
  for (const job of report.adopted) log.info(`Job #${job.id} was still running after the restart: watching it again.`);
  for (const job of [...report.endedWhileClosed, ...report.interrupted]) {
    told.add(runKey(job));
    log.info(`Job #${job.id} ${job.status} while VS Code was closed${job.exitCode !== undefined ? ` (exit ${job.exitCode})` : ''}${job.error ? `: ${job.error}` : ''}.`);
  }
  if (report.pausedBecause !== undefined) log.warn(`The queue was paused on open: ${report.pausedBecause}`);
  for (const refused of report.refusedRequests) log.warn(`A job saved by ${refused.from} while VS Code was closed was not queued (request ${refused.requestId}): ${refused.reason}`);

  const level = deps.level();
  const showHistory: NoticeAction = { title: 'Show History', run: deps.showHistory };
  const ended = endedWhileClosedSummary(report.endedWhileClosed);
  if (ended && level !== 'none' && (level === 'all' || ended.notCompleted > 0)) {
    void notify(ended.notCompleted > 0 ? 'error' : 'info', ended.message, [showHistory]);
  }

  // A job that was promised a place in the queue and did not get one: told whatever the notification level.
  const refused = refusedRequestsSummary(report.refusedRequests);
  if (refused) void notify('warning', refused, [showHistory]);

  const interrupted = interruptedSummary(report.interrupted, {
    requeued: (job) => service.getQueuePosition(job.id) !== undefined,
    ...(report.pausedBecause !== undefined ? { pausedBecause: report.pausedBecause } : {}),
  });
  // A paused queue changes what happens next, so that is told whatever the notification level.
  if (interrupted && (report.pausedBecause !== undefined || level !== 'none')) {
    const resume = report.pausedBecause !== undefined && service.isQueuePaused() ? [commandAction('Resume Queue', 'jobQueue.resumeQueue')] : [];
    void notify('warning', interrupted, [...resume, showHistory]);
  } else if (!interrupted && report.pausedBecause !== undefined && service.isQueuePaused()) {
    void notify('warning', report.pausedBecause, [commandAction('Resume Queue', 'jobQueue.resumeQueue')]);
  }
  return told;
}

/** One run of one job: a retried or returned job runs again under the same id. */
export function runKey(job: Pick<Job, 'id' | 'attempt'>): string {
  return `${job.id}#${job.attempt}`;
}
