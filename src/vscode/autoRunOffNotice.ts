// The first job runs or says why not. Auto-run is off by default (nothing runs behind the user's
// back), so a newcomer's first job would just sit there: when a job is queued — or released from
// an approval hold — while auto-run is off and nothing runs, the user is told once per queue
// session, with Run Now (that job), Turn On Auto-run, and Don't Show Again (the setting
// jobQueue.tellWhenAutoRunIsOff). Checked again after a moment: a job sent right away needs no word.
import * as vscode from 'vscode';
import type { Job, JobService } from '../core';
import { personGesture } from './commands/gesture';
import { Disposable, Gathering } from './lifecycle';
import { commandAction, notify } from './notices';
import { jobNameAndTitle } from './tree/jobPresentation';

const SETTLE_MS = 1500;
export const TELL_SETTING = 'tellWhenAutoRunIsOff';

/** How many of a burst's jobs are looked at: one that is ready is enough to tell (and a burst can be thousands). */
const LOOKED_AT = 20;

/** Auto-run off, the queue not paused, nothing running, and this window runs the queue: nothing starts by itself. */
function nothingStartsByItself(service: JobService): boolean {
  const { autoRun, paused } = service.getSnapshot();
  return !autoRun && !paused && service.getCounts().running === 0 && service.role.kind === 'owner';
}

/** The job is still queued, not already next, and would start if sent. */
function readyToSend(service: JobService, id: string): boolean {
  const now = service.getJob(id);
  return now?.status === 'queued' && !now.pending && service.getWaitReason(id)?.kind === 'ready';
}

export class AutoRunOffNotice extends Disposable {
  private told = false;
  private readonly settling = this._register(new Gathering<Job>(SETTLE_MS, (jobs) => {
    if (this.told || !this.enabled() || !nothingStartsByItself(this.service)) return;
    const job = jobs.slice(0, LOOKED_AT).find((j) => readyToSend(this.service, j.id));
    if (job) this.tell(job);
  }));

  constructor(private readonly service: JobService, private readonly enabled: () => boolean) {
    super();
    this._register(service.onDidChange((e) => {
      // Added, or released (an approval given): a queued job that is not held.
      // (The setting is read once the burst settles, not per event: a burst can be thousands of jobs.)
      if (e.type === 'jobChanged' && e.job.status === 'queued' && !e.job.hold && !this.told) this.settling.add(e.job);
    }));
  }

  private tell(job: Job): void {
    this.told = true;
    void notify('info', `${jobNameAndTitle(job)} is queued, but auto-run is off: it starts when you send it (Send Job).`, [
      // A person's click on our own button: Run Now sends (and, had it been held, approves) this job.
      commandAction('Run Now', 'jobQueue.sendJob', personGesture(job.id)),
      commandAction('Turn On Auto-run', 'jobQueue.enableAutoRun'),
      { title: 'Don\'t Show Again', run: () => vscode.workspace.getConfiguration('jobQueue').update(TELL_SETTING, false, vscode.ConfigurationTarget.Global) },
    ]);
  }
}
