// The owner's inbox: how a follower (another window on the same folder) or the terminal command
// (`jobq`) asks the window that runs the queue to act. Each request is one file, written to a temp
// name, synced and renamed into `inbox/` (and the folder synced), so a request is either wholly
// there or not at all — it survives its writer exiting, the owner reloading, or no owner at all (the
// next owner drains it). The owner acts on a request and only then deletes its file; an `add` (or a
// `retry`) whose request id is already on a job is never enqueued twice. What a request may ask is
// the union in queueRequest.ts (version 3); files of earlier releases are still read: version 2
// (`add` or `cancel`) and version 1 (adds).
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { JobIdSchema, JobSpecSchema, ScheduleInputSchema, type JobSpec, type ScheduleInput } from '../model';
import { QUEUE_REQUEST_VERSION, QueueRequestSchema, RequestIdSchema, type AddRequest, type QueueRequest, type QueueRequestBody } from './queueRequest';
import { USER_ONLY_FOLDER, writeFileAtomicSync } from '../store/atomicFile';

export const INBOX_DIR = 'inbox';

/** The envelope of the older versions (no `origin`: it is told from whether the sender waited for an answer). */
const olderCommon = {
  requestId: RequestIdSchema,
  at: z.number(),
  from: z.string(),
  reply: z.optional(z.boolean()),
};

/** Version 1: an add, from a follower window (releases before the terminal command). */
const InboxRequestV1Schema = z.object({
  v: z.literal(1),
  ...olderCommon,
  spec: JobSpecSchema,
  schedule: z.optional(ScheduleInputSchema),
});

/** Version 2: `add` or `cancel`, from a follower window or the terminal command. */
const InboxRequestV2Schema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(2), kind: z.literal('add'), ...olderCommon, spec: JobSpecSchema, schedule: z.optional(ScheduleInputSchema) }),
  z.object({ v: z.literal(2), kind: z.literal('cancel'), ...olderCommon, jobId: JobIdSchema }),
]);

export { QueueRequestSchema as InboxRequestSchema } from './queueRequest';
export type InboxRequest = QueueRequest;
export type { AddRequest } from './queueRequest';

/** Writes one request durably (synced, renamed, folder synced). Throws storageFailed; nothing is left half-written. */
export function writeRequest(storageDir: string, body: QueueRequestBody): QueueRequest {
  const dir = path.join(storageDir, INBOX_DIR);
  const request = QueueRequestSchema.parse({ v: QUEUE_REQUEST_VERSION, requestId: randomUUID(), at: Date.now(), ...body });
  // The request carries the terminal's environment: the folders (the queue's too, when this makes it) are the user's alone.
  fs.mkdirSync(dir, { recursive: true, mode: USER_ONLY_FOLDER });
  // `<at>-<id>.json`: the owner drains oldest first by name; temp files (`*.partial`) are not requests yet.
  writeFileAtomicSync(path.join(dir, `${request.at}-${request.requestId}.json`), JSON.stringify(request), 'pass the request to the window that runs the queue');
  return request;
}

/** A follower window passes a new job to the owner. */
export function writeInboxRequest(storageDir: string, spec: JobSpec, from: string, schedule?: ScheduleInput): AddRequest {
  return writeRequest(storageDir, { kind: 'add', origin: 'window', from, spec, ...(schedule ? { schedule: ScheduleInputSchema.parse(schedule) } : {}) }) as AddRequest;
}

export type InboxEntry =
  | { kind: 'request'; file: string; request: InboxRequest }
  | { kind: 'damaged'; file: string; reason: string };

/** Reads one request file: version 3, or an older one (1: an add; 2: an add or a cancel) as its version 3 twin. */
export function parseInboxRequest(raw: unknown): { success: true; data: QueueRequest } | { success: false; reason: string } {
  const version = typeof raw === 'object' && raw !== null ? (raw as { v?: unknown }).v : undefined;
  if (version === 1 || version === 2) {
    const older = version === 1 ? InboxRequestV1Schema.safeParse(raw) : InboxRequestV2Schema.safeParse(raw);
    if (!older.success) return { success: false, reason: issues(older.error) };
    // Only the terminal command waited for answers before version 3; a window never did.
    const origin = older.data.reply ? 'terminal' : 'window';
    return { success: true, data: QueueRequestSchema.parse({ kind: 'add', ...older.data, v: QUEUE_REQUEST_VERSION, origin }) };
  }
  const parsed = QueueRequestSchema.safeParse(raw);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, reason: issues(parsed.error) };
}

function issues(error: z.core.$ZodError): string {
  return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

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
      const parsed = parseInboxRequest(JSON.parse(fs.readFileSync(file, 'utf8')));
      return parsed.success ? { kind: 'request', file, request: parsed.data } : { kind: 'damaged', file, reason: parsed.reason };
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
