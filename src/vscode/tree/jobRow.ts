// One job row of the Jobs view: its label (a queue position, then the title), its description (the
// job's identity and what it is doing, or why it waits), its icon, its capability tokens and what
// clicking it does. The tooltip, the longest part, is made only when VS Code shows it.
import * as vscode from 'vscode';
import { DEFAULT_LANE, jobTitle, type Job, type JobService, type WaitReason } from '../../core';
import { formatClock, formatShortDuration, runElapsedMs } from '../../shared/format';
import { rowContextValue } from './capabilities';
import { jobName, jobTooltip, queuePosition, statusIcon } from './jobPresentation';
import { nodeRow, type JobNode } from './nodes';
import { queuedDescription } from './waitText';

export function jobRowItem(service: JobService, node: JobNode): vscode.TreeItem {
  const { job } = node;
  const position = node.group === 'queue' ? node.position : undefined;
  // The queue shows its order as a position ("1."); the job's identity ("Job #4") is in the description.
  const item = new vscode.TreeItem(position !== undefined ? `${queuePosition(position)} ${jobTitle(job)}` : jobTitle(job));
  item.id = node.group === 'history' ? `history:${job.id}#${job.attempt}#${job.finishedAt ?? 0}` : `${node.group}:${job.id}`;
  item.contextValue = rowContextValue(nodeRow(node), { canPauseJobs: service.canPauseJob(job) });
  // Asked of the engine once per row (it looks at the whole queue): the description and the icon share it.
  const wait = node.group === 'queue' ? waitOf(service, job) : undefined;
  item.description = describeJob(service, node, wait);
  item.iconPath = statusIcon(job, wait);
  item.accessibilityInformation = { label: `${item.label}, ${job.status}${item.description ? `, ${item.description}` : ''}` };
  if (job.status === 'running' || job.status === 'paused') {
    item.command = { command: 'jobQueue.showRunningJob', title: 'Show Running Job', arguments: [node] };
  } else if (job.logPath) {
    item.command = { command: 'jobQueue.showLog', title: 'Show Job Log', arguments: [node] };
  }
  return item;
}

export function jobRowTooltip(service: JobService, node: JobNode): vscode.MarkdownString {
  if (node.group === 'queue') return jobTooltip(node.job, node.position, waitOf(service, node.job));
  return jobTooltip(node.job, undefined, undefined, node.group === 'running' ? service.getRunDetails(node.job.id) : undefined);
}

function describeJob(service: JobService, { job, group }: JobNode, wait: WaitReason | undefined): string {
  if (group === 'queue') return queuedDescription(job, wait);
  const elapsed = runElapsedMs(job, Date.now());
  if (group === 'running') {
    const percent = service.getProgress(job.id)?.percent;
    return [jobName(job), service.getRunDetails(job.id)?.summary ?? '', job.status === 'paused' ? 'paused' : '', percent !== undefined ? `${Math.floor(percent)}%` : '', formatClock(elapsed)].filter(Boolean).join(' · ');
  }
  const parts = [
    jobName(job),
    job.attempt > 1 ? `run ${job.attempt}` : '',
    job.status === 'cancelled' || job.status === 'interrupted' ? job.status : '',
    job.status === 'failed' && job.exitCode !== undefined ? `exit ${job.exitCode}` : '',
    job.status === 'failed' && job.signal && job.exitCode === undefined ? `killed (${job.signal})` : '',
    job.status === 'failed' && job.error && job.exitCode === undefined && !job.signal ? 'could not start' : '',
    job.startedAt !== undefined ? formatShortDuration(elapsed) : 'never started',
    job.finishedAt !== undefined ? new Date(job.finishedAt).toLocaleTimeString() : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/**
 * Why a queued job waits, asked of the engine only for a job that has a reason of its own (held,
 * dependencies, a start time, a lane of its own) or whose `default` lane is paused: the engine's
 * answer looks at the whole queue, and the rest of a 10,000-job queue simply waits its turn (a full
 * `default` lane is that turn, so it is not said on every row).
 */
function waitOf(service: JobService, job: Job): WaitReason | undefined {
  const ownReason = job.hold || job.after || job.notBefore !== undefined || (job.lane && job.lane !== DEFAULT_LANE) || job.spec.runOn?.kind === 'slurm';
  if (!ownReason && !service.isLanePaused(DEFAULT_LANE)) return undefined;
  return service.getWaitReason(job.id);
}
