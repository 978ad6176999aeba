// The owner's answers to inbox requests that asked for one (the terminal command waits for them):
// `replies/<requestId>.json`, written atomically (temp, sync, rename, folder sync) so a reader sees
// all of an answer or none. The reader deletes the answer it read; answers nobody read (the command
// gave up waiting, or was killed) are removed by the owner at open once they are a day old.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { HoldSchema, JobStatusSchema } from '../model';
import { writeFileAtomicSync } from '../store/atomicFile';

export const REPLIES_DIR = 'replies';
const STALE_AFTER_MS = 24 * 3600_000;

export const InboxReplySchema = z.object({
  v: z.literal(1),
  requestId: z.string(),
  at: z.number(),
  /** The job the request made or acted on. */
  jobId: z.optional(z.string()),
  /** The job's state after the request: status, and how it is held. */
  status: z.optional(JobStatusSchema),
  hold: z.optional(HoldSchema),
  /** Done: what was done, in the engine's words (a request about the queue names no job). */
  message: z.optional(z.string()),
  /** Refused: why, in the words the UI would use. */
  error: z.optional(z.string()),
});
export type InboxReply = z.infer<typeof InboxReplySchema>;

function replyFile(storageDir: string, requestId: string): string {
  return path.join(storageDir, REPLIES_DIR, `${requestId}.json`);
}

/** The owner answers. Throws storageFailed (the request then stays and is answered at the next try). */
export function writeReply(storageDir: string, reply: Omit<InboxReply, 'v' | 'at'>): void {
  fs.mkdirSync(path.join(storageDir, REPLIES_DIR), { recursive: true });
  const full: InboxReply = InboxReplySchema.parse({ v: 1, at: Date.now(), ...reply });
  writeFileAtomicSync(replyFile(storageDir, reply.requestId), JSON.stringify(full), 'answer the terminal command');
}

/** The sender takes its answer: read and deleted. Undefined while there is none (or it is not whole yet). */
export function takeReply(storageDir: string, requestId: string): InboxReply | undefined {
  const reply = readReply(storageDir, requestId);
  if (reply) fs.rmSync(replyFile(storageDir, requestId), { force: true });
  return reply;
}

/** The answer to a request, left in place (`jobq wait` on a saved request may ask again). */
export function readReply(storageDir: string, requestId: string): InboxReply | undefined {
  let text: string;
  try {
    text = fs.readFileSync(replyFile(storageDir, requestId), 'utf8');
  } catch {
    return undefined;
  }
  return parseReply(text, requestId);
}

/** takeReply without blocking the thread it runs on (a window asking its owner: the extension host's). */
export async function takeReplyAsync(storageDir: string, requestId: string): Promise<InboxReply | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(replyFile(storageDir, requestId), 'utf8');
  } catch {
    return undefined;
  }
  await fs.promises.rm(replyFile(storageDir, requestId), { force: true });
  return parseReply(text, requestId);
}

function parseReply(text: string, requestId: string): InboxReply {
  try {
    return InboxReplySchema.parse(JSON.parse(text));
  } catch (error) {
    return { v: 1, requestId, at: Date.now(), error: `The answer of the window that runs the queue could not be read (${(error as Error).message}).` };
  }
}

/** At open: answers (and temp files of answers) older than a day, which nobody will read any more. */
export function removeStaleReplies(storageDir: string, now = Date.now()): number {
  const dir = path.join(storageDir, REPLIES_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_AFTER_MS) {
        fs.rmSync(file, { force: true });
        removed++;
      }
    } catch {
      // Taken by its reader meanwhile, or not removable: harmless, the next open tries again.
    }
  }
  return removed;
}
