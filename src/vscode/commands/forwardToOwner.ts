// In a window that follows another (the other one runs the queue), a row action is asked of the
// owner as a QueueRequest through its inbox — the very request `jobq` sends — and the owner's answer
// is shown as the owner would show it: done (this window's view follows when it re-reads the
// files), or refused with the engine's own message (a JobError: a warning, like any refusal here).
// The owner decides the approval rule from the origin: a follower never approves.
import { JobError, type AfterInput, type Job, type JobService, type SendResult } from '../../core';
import type { JobAction, JobRow } from '../../core/lifecycle';
import { askOwner } from '../../core/ownership/askOwner';
import type { QueueRequestBody } from '../../core/ownership/queueRequest';
import type { InboxReply } from '../../core/ownership/replies';
import type { WaitAction } from '../tree/capabilities';

export function followsAnotherWindow(service: JobService): boolean {
  return service.role.kind === 'follower';
}

const ROW_REQUEST: Record<JobAction, QueueRequestBody['kind']> = {
  cancel: 'cancel', cancelAndRequeue: 'cancelAndReturn', pause: 'pauseJob', resume: 'resumeJob', retry: 'retry', move: 'move', remove: 'remove',
};

/** A lifecycle action (cancel, pause, retry, move…), done by the owner; resolves as the local call would. */
export async function forwardRowAction(service: JobService, action: JobAction, row: JobRow, toIndex: number): Promise<Job | number | undefined> {
  const { id } = row.job;
  const kind = ROW_REQUEST[action];
  const body = kind === 'move' ? { kind, jobId: id, toIndex } : { kind, jobId: id };
  const answer = await ask(service, body as Partial<QueueRequestBody>);
  if (action === 'move') return service.getQueuePosition(id);
  return answer.jobId === undefined ? undefined : service.getJob(answer.jobId) ?? row.job;
}

/** A wait action (hold, release, dependencies, send, start time), done by the owner. */
export async function forwardWaitAction(service: JobService, action: WaitAction, row: JobRow, args: { after?: AfterInput; notBefore?: number }): Promise<Job | SendResult> {
  const jobId = row.job.id;
  const body = ((): Partial<QueueRequestBody> => {
    switch (action) {
      case 'hold': case 'release': case 'send': return { kind: action, jobId };
      case 'runAfter': return { kind: 'setDependencies', jobId, after: args.after ?? null };
      case 'startTime': return { kind: 'setStartTime', jobId, startAt: args.notBefore ?? null };
      case 'clearStartTime': return { kind: 'setStartTime', jobId, startAt: null };
    }
  })();
  const answer = await ask(service, body);
  const job = service.getJob(jobId) ?? row.job;
  if (action !== 'send') return job;
  return { outcome: answer.status === 'running' ? 'started' : 'pending', job };
}

async function ask(service: JobService, body: Partial<QueueRequestBody>): Promise<InboxReply> {
  const answer = await askOwner(service.storageDir, { ...body, origin: 'window', from: `another VS Code window (pid ${process.pid})` } as QueueRequestBody);
  if (answer.error !== undefined) throw new JobError('invalidState', answer.error, answer.jobId);
  return answer;
}

type QueueWide =
  | { kind: 'pauseQueue' } | { kind: 'resumeQueue' } | { kind: 'setAutoRun'; enabled: boolean }
  | { kind: 'pauseLane'; lane: string } | { kind: 'resumeLane'; lane: string };

/** A queue-wide change (pause, auto-run, a lane's pause): made here by the owner, asked of the owner by a follower. */
export async function changeQueue(service: JobService, change: QueueWide, here: () => void): Promise<void> {
  if (followsAnotherWindow(service)) await ask(service, change);
  else here();
}
