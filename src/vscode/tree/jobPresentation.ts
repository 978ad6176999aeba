// How one job looks everywhere in the UI: its one identity ("Job #<id>", with its label), its status
// icon, how a queued job waits ("held", "waits for Job #3 to complete", "starts at 02:00", "lane
// gpu") and its tooltip (markdown, escaped). A queue position is only ever shown as a position.
import * as vscode from 'vscode';
import { isFinished, type Job, type RunDetails, type WaitReason } from '../../core';
import { formatShortDuration, runElapsedMs } from '../../shared/format';
import { environmentSummary } from '../environmentText';
import { jobName } from './jobName';
import { queuedIconId, waitExplanation } from './waitText';
import { sbatchOptionArgs, type SlurmJobOptions } from '../../core/spec/slurmJobOptions';
import { describeUsage } from '../../core/spec/runUsage';

export { jobName, jobNameAndTitle } from './jobName';
export { approvalSource } from './waitText';

/** A queue position, never written like an id: `1.` */
export function queuePosition(position: number): string {
  return `${position}.`;
}

/** `wait` (JobService.getWaitReason, queued jobs): whether it still waits for other jobs. */
export function statusIcon(job: Job, wait?: WaitReason): vscode.ThemeIcon {
  switch (job.status) {
    case 'queued': {
      const id = queuedIconId(job, Date.now(), wait);
      return id === 'shield' ? new vscode.ThemeIcon(id, new vscode.ThemeColor('editorWarning.foreground')) : new vscode.ThemeIcon(id);
    }
    case 'running':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
    case 'paused':
      // As on Pause Job: a stopped process (SIGSTOP), not the queue's pause.
      return new vscode.ThemeIcon('stop-circle', new vscode.ThemeColor('charts.yellow'));
    case 'completed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'interrupted':
      return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('editorWarning.foreground'));
  }
}

/** "Slurm (--partition=gpu --time=1:00:00)": where a Slurm job runs and what it asked for. */
export function slurmOptionsText(options: SlurmJobOptions | undefined): string {
  const args = options ? sbatchOptionArgs(options) : [];
  return args.length > 0 ? `Slurm (${args.join(' ')})` : 'Slurm (the default options)';
}

/** Everything about a job; what the user typed goes in through appendText, so it is never markup. */
export function jobTooltip(job: Job, position: number | undefined, wait?: WaitReason, details?: RunDetails): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${jobName(job)}**`);
  if (job.spec.label) md.appendMarkdown(' — ').appendText(job.spec.label);
  md.appendMarkdown(` · _${job.status}_${position ? ` · position ${position} in the queue` : ''}\n\n`);
  md.appendCodeblock(job.spec.command, 'shellscript');
  const row = (name: string, text: string) => md.appendMarkdown(`${name}: `).appendText(text).appendMarkdown('  \n');
  if (job.spec.cwd) row('Folder', job.spec.cwd);
  if (job.spec.runOn?.kind === 'slurm') row('Runs on', slurmOptionsText(job.spec.runOn.options));
  for (const field of details?.fields ?? []) row(field.label, field.value);
  if (job.spec.env) {
    const environment = environmentSummary(job.spec.env, process.env);
    row('Environment', environment.headline);
    for (const line of environment.lines) md.appendMarkdown('&nbsp;&nbsp;').appendText(line).appendMarkdown('  \n');
  }
  row('Queued', new Date(job.createdAt).toLocaleString());
  if (job.startedAt !== undefined) row('Started', `${new Date(job.startedAt).toLocaleString()}${job.attempt > 1 ? ` (run ${job.attempt})` : ''}`);
  if (job.finishedAt !== undefined) row('Finished', `${new Date(job.finishedAt).toLocaleString()} after ${formatShortDuration(runElapsedMs(job, Date.now()))}`);
  if (isFinished(job.status) && job.exitCode !== undefined) row('Exit code', String(job.exitCode));
  if (job.signal) row('Signal', job.signal);
  if (job.error) row('Reason', job.error);
  if (job.usage) row('Used', describeUsage(job.usage));
  if (job.retryOf) row('Retry of', jobName(job.retryOf));
  for (const [name, text] of waitExplanation(job, wait)) row(name, text);
  return md;
}
