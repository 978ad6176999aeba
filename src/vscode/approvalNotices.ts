// Jobs that land held for approval (added through the API while jobQueue.externalJobs is
// holdForApproval) would wait forever unnoticed: the window that runs the queue tells the user, once
// per job, gathering a burst into ONE notification — "Job #7 “…” from acme.agent is waiting for your
// approval" with Review (the job in the Jobs view and its command in a modal: Release / Cancel Job)
// and Release. Releasing goes through the Release Job command with a person's gesture (only our own
// buttons mint one: an id from elsewhere cannot approve), so an untrusted workspace releases
// nothing (it says why). Jobs already held for approval when the queue opens are told the same way.
import * as vscode from 'vscode';
import { jobTitle, type Job, type JobService } from '../core';
import { environmentSummary } from './environmentText';
import { Disposable, Gathering } from './lifecycle';
import { personGesture } from './commands/gesture';
import { commandAction, notify, type NoticeAction } from './notices';
import { approvalSource, jobName, jobNameAndTitle } from './tree/jobPresentation';
import { JOBS_VIEW_ID, type JobsTree } from './tree/jobsTree';

const GATHER_MS = 1500;

function heldForApproval(job: Job): boolean {
  return job.status === 'queued' && job.hold?.by === 'approval';
}

/** "acme.agent", "acme.agent and the API": where the jobs came from. */
function sources(jobs: readonly Job[]): string {
  const names = [...new Set(jobs.map((j) => (j.hold?.by === 'approval' ? approvalSource(j.hold.source) : 'the API')))];
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]!;
}

export function approvalMessage(jobs: readonly Job[]): string {
  if (jobs.length === 1) return `${jobNameAndTitle(jobs[0]!)} from ${sources(jobs)} is waiting for your approval.`;
  const ids = jobs.slice(0, 5).map(jobName).join(', ') + (jobs.length > 5 ? ', …' : '');
  return `${jobs.length} jobs from ${sources(jobs)} are waiting for your approval: ${ids}.`;
}

/**
 * What the Review dialog says about a job before it is released: who added it, the command, its
 * folder, and what it runs with — its environment as it differs from the window's (`hostEnv`).
 */
export function reviewDetail(job: Job, hostEnv: NodeJS.ProcessEnv): string {
  const environment = environmentSummary(job.spec.env, hostEnv);
  return [
    `Added by ${job.hold?.by === 'approval' ? approvalSource(job.hold.source) : 'the API'}. It runs only if you release it.`,
    '',
    'Command:',
    job.spec.command,
    ...(job.spec.cwd ? ['', `Folder: ${job.spec.cwd}`] : []),
    '',
    `Environment: ${environment.headline}${environment.lines.length ? ':' : '.'}`,
    ...environment.lines,
  ].join('\n');
}

export class ApprovalNotices extends Disposable {
  /** Jobs told about (or being gathered): each is told once. */
  private readonly told = new Set<string>();
  // Released, sent or cancelled meanwhile: nothing to ask.
  private readonly gathering = this._register(new Gathering<string>(GATHER_MS, (ids) => {
    const jobs = ids.map((i) => this.service.getJob(i)).filter((j): j is Job => j !== undefined && heldForApproval(j));
    if (jobs.length > 0) void this.tell(jobs);
  }));

  constructor(private readonly service: JobService, private readonly tree: JobsTree) {
    super();
    this._register(service.onDidChange((e) => {
      if (e.type === 'jobChanged' && heldForApproval(e.job)) this.gather(e.job.id);
      else if (e.type === 'roleChanged' && e.role.kind === 'owner') this.gatherWaiting();
    }));
    this.gatherWaiting();
  }

  /** Every queued job held for approval not told about yet (when the queue opens, or this window takes it over). */
  private gatherWaiting(): void {
    for (const job of this.service.getSnapshot().queued) if (heldForApproval(job)) this.gather(job.id);
  }

  private gather(id: string): void {
    // Only the window that runs the queue can release; a follower would tell a second time.
    if (this.told.has(id) || this.service.role.kind === 'follower') return;
    this.told.add(id);
    this.gathering.add(id);
  }

  private tell(jobs: Job[]): Promise<void> {
    const message = approvalMessage(jobs);
    if (jobs.length === 1) {
      const id = jobs[0]!.id;
      const review: NoticeAction = { title: 'Review', run: () => this.review(id) };
      return notify('warning', message, [review, commandAction('Release', 'jobQueue.releaseJob', personGesture(id))]);
    }
    const review: NoticeAction = { title: 'Review', run: () => this.showJobs(jobs[0]!.id) };
    const releaseAll: NoticeAction = {
      title: 'Release All',
      run: async () => {
        for (const job of jobs) {
          await vscode.commands.executeCommand('jobQueue.releaseJob', personGesture(job.id));
          if (!vscode.workspace.isTrusted) break; // told once why nothing is released
        }
      },
    };
    return notify('warning', message, [review, releaseAll]);
  }

  /** The job in the Jobs view, and its command in a modal: Release or Cancel Job. */
  private async review(id: string): Promise<void> {
    await this.showJobs(id);
    const job = this.service.getJob(id);
    if (!job || !heldForApproval(job)) {
      void vscode.window.showInformationMessage(`${jobName(id)} no longer waits for approval${job ? ` (it is ${job.hold ? 'held' : job.status})` : ''}.`);
      return;
    }
    const choice = await vscode.window.showWarningMessage(`Release ${jobName(job)} “${jobTitle(job).slice(0, 80)}”?`, { modal: true, detail: reviewDetail(job, process.env) }, 'Release', 'Cancel Job');
    if (choice === 'Release') await vscode.commands.executeCommand('jobQueue.releaseJob', personGesture(id));
    else if (choice === 'Cancel Job') await vscode.commands.executeCommand('jobQueue.cancelJob', id);
  }

  /** Focuses the Jobs view and selects the job's row (when it is on the Queue's first page). */
  private async showJobs(id: string): Promise<void> {
    await vscode.commands.executeCommand(`${JOBS_VIEW_ID}.focus`);
    const node = this.tree.queuedNode(id);
    // Revealing is a courtesy: the modal (or the view) still shows the job if the row cannot be selected.
    if (node) await Promise.resolve(this.tree.view.reveal(node, { select: true, focus: true })).catch(() => undefined);
  }
}
