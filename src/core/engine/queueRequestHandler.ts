// The one place where a request from another window or the terminal command (`jobq`) becomes a
// queue operation: each kind of QueueRequest calls the JobService operation a click in the owner's
// window calls, so the row's rules, the scheduling checks and the durability are the same; the
// answer is that operation's own result or its refusal message, word for word.
//
// The approval rule is decided here, once, from the request's origin: nothing that reaches the
// engine through the inbox is a person's gesture in the window that shows the approval, so a
// `release` or `send` of a job held for approval is refused (and changes nothing), whatever path
// it took. A hold the user made (`jobq hold`, the Hold button) may be released from anywhere.
//
// A change repeated after a crash (done, but its file not yet removed) finds its wish done already
// and answers as done: the sender is never told a refusal for what did happen.
import { isJobError } from '../errors';
import type { Job } from '../model';
import type { ChangeRequest, RequestOrigin } from '../ownership/queueRequest';
import type { InboxReply } from '../ownership/replies';
import type { AfterInput } from '../model';
import type { SendResult } from './scheduleEdits';

/** What the sender is told: done (the job's state after it, what was done) or refused (why). */
export type RequestAnswer = Omit<InboxReply, 'v' | 'at' | 'requestId'>;

/** The operations a request may call: JobService's own, each checking who may act and what the row allows. */
export interface QueueOperations {
  getJob(id: string): Job | undefined;
  cancelJob(id: string): Promise<Job>;
  cancelAndRequeue(id: string): Promise<Job>;
  pauseJob(id: string): Job;
  resumeJob(id: string): Job;
  hold(id: string): Job;
  release(id: string, by: Approver): Job;
  sendJob(id: string, by: Approver): SendResult;
  sendNextJob(): SendResult;
  moveJob(id: string, toIndex: number): void;
  removeJob(id: string): void;
  setDependencies(id: string, after: AfterInput): Job;
  setStartTime(id: string, at: number | undefined): Job;
  setLanePaused(name: string, paused: boolean): void;
  setAutoRun(enabled: boolean): void;
  setQueuePaused(paused: boolean): void;
}

type Approver = 'user' | 'external';

/**
 * Who may give an approval, by origin. Neither origin is the person at the owner's window: a
 * follower window's user did not see the approval prompt, and the terminal is where a tool or an
 * agent may type as easily as a person.
 */
export const APPROVER_BY_ORIGIN: Record<RequestOrigin, Approver> = { terminal: 'external', window: 'external' };

/** Acts on one request that changes what is there; never throws (a refusal is an answer). */
export async function handleRequest(ops: QueueOperations, request: ChangeRequest): Promise<RequestAnswer> {
  try {
    return await act(ops, request, APPROVER_BY_ORIGIN[request.origin]);
  } catch (error) {
    const message = isJobError(error) ? error.message : `It failed: ${String((error as Error)?.message ?? error)}`;
    return { ...('jobId' in request ? { jobId: request.jobId } : {}), error: message };
  }
}

async function act(ops: QueueOperations, request: ChangeRequest, approver: Approver): Promise<RequestAnswer> {
  switch (request.kind) {
    case 'cancel': {
      const id = request.jobId;
      if (ops.getJob(id)?.status === 'cancelled') return done(ops.getJob(id)!, `Job #${id} is cancelled.`);
      return done(await ops.cancelJob(id), `Job #${id} cancelled.`);
    }
    case 'cancelAndReturn':
      return done(await ops.cancelAndRequeue(request.jobId), `Job #${request.jobId} stopped and returned to the queue.`);
    case 'pauseJob': {
      const job = ops.getJob(request.jobId);
      return done(job?.status === 'paused' ? job : ops.pauseJob(request.jobId), `Job #${request.jobId} paused.`);
    }
    case 'resumeJob': {
      const job = ops.getJob(request.jobId);
      return done(job?.status === 'running' ? job : ops.resumeJob(request.jobId), `Job #${request.jobId} resumed.`);
    }
    case 'hold': {
      const job = ops.getJob(request.jobId);
      return done(job?.status === 'queued' && job.hold?.by === 'user' ? job : ops.hold(request.jobId), `Job #${request.jobId} held.`);
    }
    case 'release': {
      const job = ops.getJob(request.jobId);
      if (job?.status === 'queued' && !job.hold) return done(job, `Job #${request.jobId} is not held.`);
      return done(ops.release(request.jobId, approver), `Job #${request.jobId} released.`);
    }
    case 'send':
      return sent(ops.sendJob(request.jobId, approver));
    case 'sendNext':
      return sent(ops.sendNextJob());
    case 'move':
      ops.moveJob(request.jobId, request.toIndex);
      return done(ops.getJob(request.jobId), `Job #${request.jobId} moved to place ${request.toIndex + 1} of the queue.`);
    case 'remove':
      ops.removeJob(request.jobId);
      return { jobId: request.jobId, message: `Job #${request.jobId} removed.` };
    case 'setDependencies':
      return done(ops.setDependencies(request.jobId, request.after), `Job #${request.jobId}'s dependencies changed.`);
    case 'setStartTime':
      return done(ops.setStartTime(request.jobId, request.startAt ?? undefined), request.startAt === null ? `Job #${request.jobId} has no start time now.` : `Job #${request.jobId} starts no earlier than ${new Date(request.startAt).toISOString()}.`);
    case 'pauseLane':
    case 'resumeLane':
      ops.setLanePaused(request.lane, request.kind === 'pauseLane');
      return { message: `Lane ${request.lane} ${request.kind === 'pauseLane' ? 'paused' : 'resumed'}.` };
    case 'setAutoRun':
      ops.setAutoRun(request.enabled);
      return { message: `Auto-run is ${request.enabled ? 'on' : 'off'}.` };
    case 'pauseQueue':
    case 'resumeQueue':
      ops.setQueuePaused(request.kind === 'pauseQueue');
      return { message: `The queue is ${request.kind === 'pauseQueue' ? 'paused' : 'running'}.` };
  }
}

function done(job: Job | undefined, message: string): RequestAnswer {
  if (!job) return { message };
  return { jobId: job.id, status: job.status, ...(job.hold ? { hold: job.hold } : {}), message };
}

function sent(result: SendResult): RequestAnswer {
  if (result.outcome === 'refused') return { error: result.message };
  const message = result.outcome === 'started' ? `Job #${result.job.id} started.` : `Job #${result.job.id} starts as soon as a slot of its lane frees.`;
  return done(result.job, message);
}
