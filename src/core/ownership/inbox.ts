// The owner's inbox: how a follower (another window on the same folder) or the terminal command
// (`jobq`) asks the window that runs the queue to act. Each request is one file, written to a temp
// name, synced and renamed into `inbox/` (and the folder synced), so a request is either wholly
// there or not at all — it survives its writer exiting, the owner reloading, or no owner at all (the
// next owner drains it). The owner acts on a request and only then deletes its file; an `add` whose
// request id is already on a job is never enqueued twice. Version 2 names what is asked (`kind`:
// `add` or `cancel`); version 1 files (adds from earlier releases) are still read, as adds.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { JobIdSchema, JobSpecSchema, ScheduleInputSchema, type JobSpec, type ScheduleInput } from '../model';
import { USER_ONLY_FOLDER, writeFileAtomicSync } from '../store/atomicFile';

export const INBOX_DIR = 'inbox';

const RequestIdSchema = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[\w-]+$/, 'a request id is letters, digits, _ and -'));

const common = {
  requestId: RequestIdSchema,
  at: z.number(),
  /** Who sent it, in words (shown in the job's source and in warnings): "window B", "the terminal". */
  from: z.string(),
  /** The sender waits for an answer in `replies/<requestId>.json` (the terminal command does; windows do not). */
  reply: z.optional(z.boolean()),
};

/** Version 1: an add, from a follower window (releases before the terminal command). */
const InboxRequestV1Schema = z.object({
  v: z.literal(1),
  ...common,
  spec: JobSpecSchema,
  schedule: z.optional(ScheduleInputSchema),
});

export const INBOX_REQUEST_VERSION = 2;
const AddRequestSchema = z.object({
  v: z.literal(INBOX_REQUEST_VERSION),
  kind: z.literal('add'),
  ...common,
  spec: JobSpecSchema,
  /** How it waits (after, hold, start time, lane), checked again by the owner. */
  schedule: z.optional(ScheduleInputSchema),
});
const CancelRequestSchema = z.object({
  v: z.literal(INBOX_REQUEST_VERSION),
  kind: z.literal('cancel'),
  ...common,
  jobId: JobIdSchema,
});

export const InboxRequestSchema = z.discriminatedUnion('kind', [AddRequestSchema, CancelRequestSchema]);
export type InboxRequest = z.infer<typeof InboxRequestSchema>;
export type AddRequest = Extract<InboxRequest, { kind: 'add' }>;
export type CancelRequest = Extract<InboxRequest, { kind: 'cancel' }>;

/** What a sender asks, without the envelope every request gets (`v`, `requestId`, `at`). */
export type RequestBody =
  | { kind: 'add'; from: string; reply?: boolean; spec: JobSpec; schedule?: ScheduleInput }
  | { kind: 'cancel'; from: string; reply?: boolean; jobId: string };

/** Writes one request durably (synced, renamed, folder synced). Throws storageFailed; nothing is left half-written. */
export function writeRequest(storageDir: string, body: RequestBody): InboxRequest {
  const dir = path.join(storageDir, INBOX_DIR);
  const request = InboxRequestSchema.parse({ v: INBOX_REQUEST_VERSION, requestId: randomUUID(), at: Date.now(), ...body });
  // The request carries the terminal's environment: the folders (the queue's too, when this makes it) are the user's alone.
  fs.mkdirSync(dir, { recursive: true, mode: USER_ONLY_FOLDER });
  // `<at>-<id>.json`: the owner drains oldest first by name; temp files (`*.partial`) are not requests yet.
  writeFileAtomicSync(path.join(dir, `${request.at}-${request.requestId}.json`), JSON.stringify(request), 'pass the request to the window that runs the queue');
  return request;
}

/** A follower window passes a new job to the owner. */
export function writeInboxRequest(storageDir: string, spec: JobSpec, from: string, schedule?: ScheduleInput): AddRequest {
  return writeRequest(storageDir, { kind: 'add', from, spec, ...(schedule ? { schedule: ScheduleInputSchema.parse(schedule) } : {}) }) as AddRequest;
}

export type InboxEntry =
  | { kind: 'request'; file: string; request: InboxRequest }
  | { kind: 'damaged'; file: string; reason: string };

/** Reads one request file: version 2, or a version 1 add. */
export function parseInboxRequest(raw: unknown): { success: true; data: InboxRequest } | { success: false; reason: string } {
  if (typeof raw === 'object' && raw !== null && (raw as { v?: unknown }).v === 1) {
    const v1 = InboxRequestV1Schema.safeParse(raw);
    if (v1.success) return { success: true, data: { ...v1.data, v: INBOX_REQUEST_VERSION, kind: 'add' } };
    return { success: false, reason: issues(v1.error) };
  }
  const parsed = InboxRequestSchema.safeParse(raw);
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
