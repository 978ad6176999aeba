// The owner's side of the inbox: what other windows and the terminal command (`jobq`) ask for —
// add a job, cancel a job — done here, answered when the sender waits for an answer, and only then
// removed from the inbox. Exactly once: an add whose request id is already on a job (a copy left by
// a crash between the enqueue and the removal) is not enqueued again, only answered with that job;
// a cancel of a job already cancelled is answered as done. Nobody is told a job was queued before
// its `enqueued` record is synced to the disk.
import { isJobError } from '../errors';
import { jobTitle, type Job, type JobSpec, type ScheduleInput } from '../model';
import type { RefusedRequest } from '../openReport';
import type { CancelRequest } from '../ownership/inbox';
import type { InboxReply } from '../ownership/replies';
import type { InboxItem } from '../store/queueFiles';
import type { QueueState } from './queueState';

export interface InboxActions {
  /** Enqueues as the owner (the approval rule and the schedule's checks apply). */
  add(spec: JobSpec, link: { requestId: string; fromWindow: string }, schedule: ScheduleInput | undefined): Job;
  /** The palette's Cancel Job (JobService.cancelJob). */
  cancel(id: string): Promise<Job>;
}

type Answer = Omit<InboxReply, 'v' | 'at' | 'requestId'>;

export class InboxRequests {
  /** Requests being acted on (a cancel waits for its process to end): the next drain leaves them alone. */
  private readonly inFlight = new Set<string>();
  /** Set while the owner opens: refusals then go to the open report, which the window shows as one summary. */
  refusalsDuringOpen: RefusedRequest[] | undefined;

  constructor(private readonly state: QueueState, private readonly actions: InboxActions) {}

  /** At open: answers nobody read within a day are dropped. Never throws (they are only clutter). */
  removeStaleReplies(): void {
    try {
      this.state.files.removeStaleReplies();
    } catch {
      // Tried again at the next open.
    }
  }

  /** Acts on every request waiting, oldest first. */
  drain(): void {
    const s = this.state;
    if (s.disposed) return;
    const added: Array<{ item: InboxItem; answer: Answer }> = [];
    for (const item of s.files.takeInbox((warning) => s.warn(warning))) {
      const request = item.request;
      if (this.inFlight.has(request.requestId)) continue;
      if (request.kind === 'cancel') {
        this.cancel(item, request);
        continue;
      }
      if (s.files.takenRequests.has(request.requestId)) {
        // Taken before a crash (or a failed sync) kept its file: answer with the job it made, never a second one.
        const job = this.jobOfRequest(request.requestId);
        added.push({ item, answer: job ? queued(job) : { error: 'This request was already taken; its job is no longer known.' } });
        continue;
      }
      try {
        const job = this.actions.add(request.spec, { requestId: request.requestId, fromWindow: request.from }, request.schedule);
        added.push({ item, answer: queued(job) });
      } catch (error) {
        if (isJobError(error) && error.code === 'storageFailed') {
          // Disk full: the request stays in the inbox for the next try; nothing is lost.
          s.storageFailed(error);
          break;
        }
        // Refused here (e.g. it waits for a job that failed meanwhile): said to whoever waits, else in the window.
        const message = (error as Error).message;
        if (this.refusalsDuringOpen) this.refusalsDuringOpen.push({ requestId: request.requestId, from: request.from, title: jobTitle(request), reason: message });
        else if (!request.reply) s.warn({ message: `A job passed from ${request.from} was not queued: ${message}` });
        added.push({ item, answer: { error: message } });
      }
    }
    if (added.length === 0) return;
    try {
      // One sync for the whole drain, before any sender is told or any request leaves the inbox.
      s.files.commit();
    } catch (error) {
      s.storageFailed(error); // the requests stay; the next drain answers them from takenRequests
      return;
    }
    for (const { item, answer } of added) this.finish(item, answer);
  }

  /** A cancel ends a running job's process first, so it is answered when that is done. */
  private cancel(item: InboxItem, request: CancelRequest): void {
    this.inFlight.add(request.requestId);
    void this.cancelAnswer(request.jobId)
      .then((answer) => {
        // Closed meanwhile: the request stays for the next owner, which finds the job cancelled and says so.
        if (!this.state.disposed) this.finish(item, answer);
      })
      .finally(() => this.inFlight.delete(request.requestId));
  }

  private async cancelAnswer(id: string): Promise<Answer> {
    const s = this.state;
    const live = s.queued.find((j) => j.id === id) ?? s.running.get(id)?.job;
    const latest = live ?? s.history.latest(id);
    // Done already (by this request before a crash, or by the user): the request's wish holds.
    if (!live && latest?.status === 'cancelled') return { jobId: id, status: 'cancelled' };
    try {
      const job = await this.actions.cancel(id);
      // Nobody is told "cancelled" before the cancel is on the disk.
      await s.files.commitNow();
      return { jobId: job.id, status: job.status };
    } catch (error) {
      return { jobId: id, error: isJobError(error) ? error.message : `It failed: ${String(error)}` };
    }
  }

  /** Answers (when the sender waits) and removes the request; a failed answer keeps it for the next drain. */
  private finish(item: InboxItem, answer: Answer): void {
    const s = this.state;
    try {
      if (item.request.reply) s.files.answer({ requestId: item.request.requestId, ...answer });
      s.files.doneWithInboxRequest(item);
    } catch (error) {
      s.storageFailed(error);
    }
  }

  private jobOfRequest(requestId: string): Job | undefined {
    const s = this.state;
    const mine = (j: Job) => j.requestId === requestId;
    return s.queued.find(mine) ?? [...s.running.values()].map((r) => r.job).find(mine) ?? s.history.all().reverse().find(mine);
  }
}

function queued(job: Job): Answer {
  return { jobId: job.id, status: job.status, ...(job.hold ? { hold: job.hold } : {}) };
}
