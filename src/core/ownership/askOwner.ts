// A window that follows another asks the owner to act: the request goes through the owner's inbox
// (durable before anything is said, exactly as `jobq` sends it) and the owner's answer is awaited
// without blocking the thread (the extension host's): polled asynchronously, taken and deleted.
import { JobError } from '../errors';
import { writeRequest } from './inbox';
import type { QueueRequestBody } from './queueRequest';
import { takeReplyAsync, type InboxReply } from './replies';

export interface AskWaits {
  /** A cancel of a running job is answered once its process has ended (SIGTERM, then SIGKILL after the grace period). */
  replyMs: number;
  pollMs: number;
}
export const DEFAULT_ASK_WAITS: AskWaits = { replyMs: 20_000, pollMs: 40 };

/** The owner's answer (done, or refused: `error`). No answer in time: a notOwner JobError saying the request is kept. */
export async function askOwner(storageDir: string, body: QueueRequestBody, waits: AskWaits = DEFAULT_ASK_WAITS): Promise<InboxReply> {
  const request = writeRequest(storageDir, { ...body, reply: true });
  const until = Date.now() + waits.replyMs;
  do {
    const reply = await takeReplyAsync(storageDir, request.requestId);
    if (reply) return reply;
    await new Promise((resolve) => setTimeout(resolve, waits.pollMs));
  } while (Date.now() < until);
  throw new JobError('notOwner', 'The window that runs this queue has not answered yet: the request is kept and done when that window takes it.');
}
