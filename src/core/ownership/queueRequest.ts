// One request type for everything another window or the terminal command (`jobq`) may ask the
// window that runs the queue: the same words the queue's own operations take, as one versioned zod
// discriminated union. It is what an inbox file holds (ownership/inbox.ts) and what the owner's one
// handler acts on (engine/queueRequestHandler.ts), so a verb added here is added for every sender.
import * as z from 'zod/mini';
import { AfterInputSchema, JobIdSchema, JobSpecSchema, LaneNameSchema, ScheduleInputSchema } from '../model';

/** Version 3: the whole union. Version 2 carried only `add` and `cancel`, version 1 only adds (inbox.ts reads both). */
export const QUEUE_REQUEST_VERSION = 3;

export const RequestIdSchema = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[\w-]+$/, 'a request id is letters, digits, _ and -'));

/**
 * Where a request came from. Neither is a person's gesture in this window, so neither may give an
 * approval (the handler's table); the origin also says whose words the answer goes back to.
 */
export const RequestOriginSchema = z.enum(['terminal', 'window']);
export type RequestOrigin = z.infer<typeof RequestOriginSchema>;

const envelope = {
  v: z.literal(QUEUE_REQUEST_VERSION),
  requestId: RequestIdSchema,
  at: z.number(),
  origin: RequestOriginSchema,
  /** Who sent it, in words (shown in the job's source and in warnings): "window B", "the terminal". */
  from: z.string().check(z.maxLength(200)),
  /** The sender waits for an answer in `replies/<requestId>.json`. */
  reply: z.optional(z.boolean()),
};

/** A request about one job: only its id. */
function onJob<K extends string>(kind: K) {
  return z.object({ ...envelope, kind: z.literal(kind), jobId: JobIdSchema });
}
/** A request about the whole queue or a lane. */
function onQueue<K extends string>(kind: K) {
  return z.object({ ...envelope, kind: z.literal(kind) });
}

export const QueueRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    ...envelope,
    kind: z.literal('add'),
    spec: JobSpecSchema,
    /** How it waits (after, hold, start time, lane), checked again by the owner. */
    schedule: z.optional(ScheduleInputSchema),
  }),
  onJob('cancel'),
  /** A running job ends and goes back to the bottom of the queue (the same job). */
  onJob('cancelAndReturn'),
  /** A new job from a finished one's spec; exactly once, like an add (the new job carries the request id). */
  onJob('retry'),
  onJob('pauseJob'),
  onJob('resumeJob'),
  onJob('hold'),
  onJob('release'),
  /** Send Job on one queued job (releases a user hold, drops its start time). */
  onJob('send'),
  /** Send Job: the first queued job that can start. */
  onQueue('sendNext'),
  z.object({ ...envelope, kind: z.literal('move'), jobId: JobIdSchema, toIndex: z.int().check(z.minimum(0)) }),
  onJob('remove'),
  z.object({ ...envelope, kind: z.literal('setDependencies'), jobId: JobIdSchema, after: AfterInputSchema }),
  /** `startAt`: epoch ms; null clears it. (`at` is the envelope's: when the request was written.) */
  z.object({ ...envelope, kind: z.literal('setStartTime'), jobId: JobIdSchema, startAt: z.nullable(z.number().check(z.refine(Number.isFinite, 'must be a finite number (epoch milliseconds)'))) }),
  z.object({ ...envelope, kind: z.literal('pauseLane'), lane: LaneNameSchema }),
  z.object({ ...envelope, kind: z.literal('resumeLane'), lane: LaneNameSchema }),
  z.object({ ...envelope, kind: z.literal('setAutoRun'), enabled: z.boolean() }),
  onQueue('pauseQueue'),
  onQueue('resumeQueue'),
]);
export type QueueRequest = z.infer<typeof QueueRequestSchema>;
export type QueueRequestKind = QueueRequest['kind'];
export type AddRequest = Extract<QueueRequest, { kind: 'add' }>;
/** Requests that make a job: done exactly once (the job carries the request id). */
export type MakeRequest = Extract<QueueRequest, { kind: 'add' | 'retry' }>;
/** Requests that change what is there: repeating one after a crash finds its wish done already. */
export type ChangeRequest = Exclude<QueueRequest, MakeRequest>;

type WithoutEnvelope<T> = T extends unknown ? Omit<T, 'v' | 'requestId' | 'at'> : never;
/** What a sender asks, without the envelope every request gets (`v`, `requestId`, `at`). */
export type QueueRequestBody = WithoutEnvelope<QueueRequest>;

export function isMakeRequest(request: QueueRequest): request is MakeRequest {
  return request.kind === 'add' || request.kind === 'retry';
}
