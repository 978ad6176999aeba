// The running-job card's protocol: one module of zod schemas, imported by the host and the webview.
// Host → webview notifications are named did…; webview → host commands are verbs. The host
// safeParses everything the webview sends (an untrusted boundary); the webview does the same.
import * as z from 'zod/mini';
import { EtaSourceSchema, PercentSchema } from '../core/model';

export const CardJobSchema = z.object({
  id: z.string(),
  /** `Running Job #<ordinal>`: 1-based, in start order among running jobs. */
  ordinal: z.int().check(z.positive()),
  label: z.optional(z.string()),
  command: z.string(),
  status: z.enum(['running', 'paused']),
  startedAt: z.number(),
  pausedMs: z.number(),
  pausedAt: z.optional(z.number()),
  percent: z.optional(PercentSchema),
  etaMs: z.optional(z.number().check(z.nonnegative())),
  etaSource: z.optional(EtaSourceSchema),
  tail: z.array(z.string()),
});
export type CardJob = z.infer<typeof CardJobSchema>;

export const CardStateSchema = z.object({
  jobs: z.array(CardJobSchema),
  queuedCount: z.int().check(z.nonnegative()),
  queuePaused: z.boolean(),
  autoRun: z.boolean(),
  canPause: z.boolean(),
  /** The host's clock when this was sent: the webview corrects for skew (code-server runs remote). */
  now: z.number(),
});
export type CardState = z.infer<typeof CardStateSchema>;

export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('didChangeState'), state: CardStateSchema }),
  z.object({
    type: z.literal('didUpdateProgress'),
    jobId: z.string(),
    percent: z.optional(PercentSchema),
    etaMs: z.optional(z.number().check(z.nonnegative())),
    etaSource: z.optional(EtaSourceSchema),
    now: z.number(),
  }),
  z.object({ type: z.literal('didUpdateOutput'), jobId: z.string(), tail: z.array(z.string()) }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const jobAction = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), jobId: z.string().check(z.minLength(1), z.maxLength(64)) });

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  jobAction('pauseJob'),
  jobAction('resumeJob'),
  jobAction('cancelJob'),
  jobAction('cancelAndRequeue'),
  jobAction('showLog'),
  z.strictObject({ type: z.literal('sendNextJob') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** Lines of output the card shows. */
export const CARD_TAIL_LINES = 40;
