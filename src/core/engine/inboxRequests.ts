// The owner's side of the inbox: what other windows and the terminal command (`jobq`) ask for —
// any QueueRequest — done here, answered when the sender waits for an answer, and only then removed
// from the inbox. Requests that make a job (add, retry) are exactly once: one whose request id is
// already on a job (a copy left by a crash between the enqueue and the removal) is not done again,
// only answered with that job. Every other request goes to the one handler
// (queueRequestHandler.ts), which finds a repeated wish done already. Nobody is told a thing was
// done before it is synced to the disk.
import { isJobError } from '../errors';
import { jobTitle, type Job, type JobSpec, type ScheduleInput } from '../model';
import type { RefusedRequest } from '../openReport';
import { isMakeRequest, type ChangeRequest, type MakeRequest } from '../ownership/queueRequest';
import type { InboxItem } from '../store/queueFiles';
import { handleRequest, type QueueOperations, type RequestAnswer } from './queueRequestHandler';
import type { QueueState } from './queueState';

export interface InboxActions {
  /** Enqueues as the owner (the approval rule and the schedule's checks apply). */
  add(spec: JobSpec, link: { requestId: string; fromWindow: string }, schedule: ScheduleInput | undefined): Job;
  /** Retry Job (JobService.retryJob), the new job carrying the request id. */
  retry(id: string, requestId: string): Job;
  /** Every other request: the JobService operations a click calls. */
  operations: QueueOperations;
}

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
    const made: Array<{ item: InboxItem; answer: RequestAnswer }> = [];
    for (const item of s.files.takeInbox((warning) => s.warn(warning))) {
      const request = item.request;
      if (this.inFlight.has(request.requestId)) continue;
      if (!isMakeRequest(request)) {
        this.change(item, request);
        continue;
      }
      if (s.files.takenRequests.has(request.requestId)) {
        // Taken before a crash (or a failed sync) kept its file: answer with the job it made, never a second one.
        const job = this.jobOfRequest(request.requestId);
        made.push({ item, answer: job ? queued(job) : { error: 'This request was already taken; its job is no longer known.' } });
        continue;
      }
      try {
        made.push({ item, answer: queued(this.make(request)) });
      } catch (error) {
        if (isJobError(error) && error.code === 'storageFailed') {
          // Disk full: the request stays in the inbox for the next try; nothing is lost.
          s.storageFailed(error);
          break;
        }
        // Refused here (e.g. it waits for a job that failed meanwhile): said to whoever waits, else in the window.
        const message = (error as Error).message;
        const title = request.kind === 'add' ? jobTitle(request) : `Retry of job #${request.jobId}`;
        if (this.refusalsDuringOpen) this.refusalsDuringOpen.push({ requestId: request.requestId, from: request.from, title, reason: message });
        else if (!request.reply) s.warn({ message: `A job passed from ${request.from} was not queued: ${message}` });
        made.push({ item, answer: { error: message } });
      }
    }
    if (made.length === 0) return;
    try {
      // One sync for the whole drain, before any sender is told or any request leaves the inbox.
      s.files.commit();
    } catch (error) {
      s.storageFailed(error); // the requests stay; the next drain answers them from takenRequests
      return;
    }
    for (const { item, answer } of made) this.finish(item, answer);
  }

  private make(request: MakeRequest): Job {
    if (request.kind === 'retry') return this.actions.retry(request.jobId, request.requestId);
    return this.actions.add(request.spec, { requestId: request.requestId, fromWindow: request.from }, request.schedule);
  }

  /** A change may wait (a cancel ends a running job's process first): answered when it is done and on the disk. */
  private change(item: InboxItem, request: ChangeRequest): void {
    this.inFlight.add(request.requestId);
    void this.changeAnswer(request)
      .then((answer) => {
        // Closed meanwhile: the request stays for the next owner, which finds the wish done and says so.
        if (!this.state.disposed) this.finish(item, answer);
      })
      .finally(() => this.inFlight.delete(request.requestId));
  }

  private async changeAnswer(request: ChangeRequest): Promise<RequestAnswer> {
    const answer = await handleRequest(this.actions.operations, request);
    if (answer.error !== undefined) return answer;
    try {
      // Nobody is told "done" before the change is on the disk.
      await this.state.files.commitNow();
      return answer;
    } catch (error) {
      return { ...answer, error: isJobError(error) ? error.message : `It failed: ${String(error)}` };
    }
  }

  /** Answers (when the sender waits) and removes the request; a failed answer keeps it for the next drain. */
  private finish(item: InboxItem, answer: RequestAnswer): void {
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

function queued(job: Job): RequestAnswer {
  return { jobId: job.id, status: job.status, ...(job.hold ? { hold: job.hold } : {}) };
}
