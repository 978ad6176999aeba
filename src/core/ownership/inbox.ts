// The owner's inbox: how a follower (another window on the same folder) adds a job. Each request is
// one file, written to a temp name, fsynced and renamed into `inbox/`, so a request is either wholly
// there or not at all — it survives the follower closing, the owner reloading, or no owner at all
// (the next owner drains it). The owner enqueues a request and only then deletes its file; a
// request id already in the history is never enqueued twice.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { JobError } from '../errors';
import { JobSpecSchema, ScheduleInputSchema, type JobSpec, type ScheduleInput } from '../model';

export const INBOX_DIR = 'inbox';

export const InboxRequestSchema = z.object({
  v: z.literal(1),
  requestId: z.string().check(z.minLength(1)),
  at: z.number(),
  /** Who sent it (shown in the job's source). */
  from: z.string(),
  spec: JobSpecSchema,
  /** How it waits (after, hold, start time, lane), checked again by the owner. */
  schedule: z.optional(ScheduleInputSchema),
});
export type InboxRequest = z.infer<typeof InboxRequestSchema>;

export function writeInboxRequest(storageDir: string, spec: JobSpec, from: string, schedule?: ScheduleInput): InboxRequest {
  const dir = path.join(storageDir, INBOX_DIR);
  const request: InboxRequest = { v: 1, requestId: randomUUID(), at: Date.now(), from, spec, ...(schedule ? { schedule: ScheduleInputSchema.parse(schedule) } : {}) };
  const final = path.join(dir, `${request.at}-${request.requestId}.json`);
  const temp = `${final}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeFileSync(fd, JSON.stringify(request));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, final);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new JobError('storageFailed', `Could not pass the job to the window that runs the queue: ${(error as Error).message}`);
  }
  return request;
}

export type InboxEntry =
  | { kind: 'request'; file: string; request: InboxRequest }
  | { kind: 'damaged'; file: string; reason: string };

/** The requests waiting, oldest first (temp files of writers still busy are not requests yet). */
export function readInbox(storageDir: string): InboxEntry[] {
  const dir = path.join(storageDir, INBOX_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name): InboxEntry => {
    const file = path.join(dir, name);
    try {
      const parsed = InboxRequestSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (parsed.success) return { kind: 'request', file, request: parsed.data };
      return { kind: 'damaged', file, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    } catch (error) {
      return { kind: 'damaged', file, reason: (error as Error).message };
    }
  });
}

/** A request that cannot be read is kept as a copy (never dropped without one) and leaves the inbox. */
export function setAsideDamaged(file: string): string {
  const aside = `${file}.corrupt-${Date.now()}`;
  fs.renameSync(file, aside);
  return aside;
}
