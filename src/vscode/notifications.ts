// Finish / failure notifications, per `jobQueue.notifications`, with Show Log and Retry actions.
// Runs that end within a short window are told together, so a fast queue does not flood the screen.
import { isFinished, type Job, type JobService } from '../core';
import { formatShortDuration, runElapsedMs } from '../shared/format';
import { Disposable, Gathering } from './lifecycle';
import { personGesture } from './commands/gesture';
import { commandAction, notify } from './notices';
import type { NotificationLevel } from './settings';
import { jobName, jobNameAndTitle } from './tree/jobPresentation';

const GATHER_MS = 1500;

export class FinishNotifications extends Disposable {
  private readonly gathering = this._register(new Gathering<Job>(GATHER_MS, (jobs) => void (jobs.length === 1 ? this.notifyOne(jobs[0]!) : this.notifyMany(jobs))));

  /** `alreadyTold`: runs the open report has told about already (the engine may announce them too). */
  constructor(private readonly service: JobService, private readonly level: () => NotificationLevel, private readonly alreadyTold: (job: Job) => boolean = () => false) {
    super();
    this._register(service.onDidChange((e) => {
      if (e.type === 'historyAdded' && this.wanted(e.entry)) this.gather(e.entry);
    }));
  }

  private wanted(job: Job): boolean {
    const level = this.level();
    // Cancelling is the user's own act; a job that never started has nothing to show; the window
    // that runs the queue tells about its runs (a follower would tell them a second time).
    if (this.service.role.kind === 'follower') return false;
    if (level === 'none' || job.status === 'cancelled' || job.startedAt === undefined || this.alreadyTold(job)) return false;
    return level === 'all' || job.status !== 'completed';
  }

  private gather(job: Job): void {
    this.gathering.add(job);
  }

  private async notifyOne(job: Job): Promise<void> {
    const name = jobNameAndTitle(job);
    const took = formatShortDuration(runElapsedMs(job, Date.now()));
    // The actions name this run (id, attempt, end), not the job as it may be by the time they are
    // clicked; no Retry when the job is already back in the queue (an interrupted job re-queued).
    const run = { id: job.id, attempt: job.attempt, finishedAt: job.finishedAt };
    const now = this.service.getJob(job.id);
    const again = now !== undefined && !isFinished(now.status);
    // A person's click on our button: the retry is the user's own job (an id from elsewhere would not be).
    const actions = [commandAction('Show Log', 'jobQueue.showLog', personGesture(run)), ...(job.status === 'completed' || again ? [] : [commandAction('Retry', 'jobQueue.retryJob', personGesture(run))])];
    if (job.status === 'completed') {
      await notify('info', `${name} completed in ${took}.`, actions);
    } else if (job.status === 'failed') {
      const why = job.error ?? (job.signal ? `killed by ${job.signal}` : `exit code ${job.exitCode}`);
      await notify('error', `${name} failed (${why}) after ${took}.`, actions);
    } else {
      await notify('warning', `${name} was interrupted: ${job.error ?? 'its end is unknown'}.`, actions);
    }
  }

  private async notifyMany(jobs: Job[]): Promise<void> {
    const failed = jobs.filter((j) => j.status !== 'completed');
    const summary = `${jobs.length} jobs finished: ${jobs.length - failed.length} completed${failed.length ? `, ${failed.length} failed or interrupted (${failed.slice(0, 5).map(jobName).join(', ')}${failed.length > 5 ? ', …' : ''})` : ''}.`;
    await notify(failed.length ? 'error' : 'info', summary, [commandAction('Show Jobs', 'jobQueue.jobs.focus')]);
  }
}
