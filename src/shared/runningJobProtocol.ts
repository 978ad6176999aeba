// The running-job card's protocol: one module of zod schemas, imported by the host and the webview.
// Both directions are unions discriminated on `type`. Host → webview notifications are named did…;
// the webview's clicks are requests (`action`, `sendNextJob`) that carry a `requestId`, and the host
// answers each with exactly one `didAct` for that id: `ok: true`, or `ok: false` with a plain message
// (the engine's own, or why the card may not do it) that the card shows next to the job. The host
// safeParses everything the webview sends (an untrusted boundary); the webview does the same.
import * as z from 'zod/mini';
import { EtaSourceSchema, PercentSchema } from '../core/model';
import { StyledRunSchema } from './terminalLine';

/** A link's id: the host's name for a `file:line[:col]` it resolved (the webview sends only this back). */
const LinkIdSchema = z.int().check(z.nonnegative());

/** A run of output text as the terminal shows it; `link`: it is a reference the host can open. */
export const CardRunSchema = z.extend(StyledRunSchema, { link: z.optional(LinkIdSchema) });
export type CardRun = z.infer<typeof CardRunSchema>;
/** One line of output on the card: its runs, left to right (escape codes and \r redraws already applied). */
export const CardLineSchema = z.array(CardRunSchema);
export type CardLine = z.infer<typeof CardLineSchema>;

export const CardJobSchema = z.object({
  /** The job's identity, shown as `Job #<id>` (the same everywhere: tree, notifications, card). */
  id: z.string(),
  /** Which run of the job this is: an action names the run the user saw. */
  attempt: z.int().check(z.nonnegative()),
  label: z.optional(z.string()),
  command: z.string(),
  status: z.enum(['running', 'paused']),
  startedAt: z.number(),
  pausedMs: z.number(),
  pausedAt: z.optional(z.number()),
  percent: z.optional(PercentSchema),
  etaMs: z.optional(z.number().check(z.nonnegative())),
  etaSource: z.optional(EtaSourceSchema),
  /** The last lines of output, as the terminal shows them. */
  output: z.array(CardLineSchema),
  /** Whether this run's backend can pause it (a local process on POSIX, a Slurm job). */
  canPause: z.optional(z.boolean()),
  /** What the backend shows besides the output (Slurm: job id, state, reason, node, time limit). */
  backend: z.optional(z.object({
    summary: z.string(),
    fields: z.array(z.object({ label: z.string(), value: z.string() })),
  })),
});
export type CardJob = z.infer<typeof CardJobSchema>;

/**
 * How the last run ended, kept on the card once nothing runs any more (until another job starts or
 * the user dismisses it): so its result and last lines do not vanish before they are read.
 */
export const CardResultSchema = z.object({
  id: z.string(),
  attempt: z.int().check(z.nonnegative()),
  label: z.optional(z.string()),
  command: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled', 'interrupted']),
  exitCode: z.optional(z.int()),
  signal: z.optional(z.string()),
  /** Run time, paused time excluded. */
  durationMs: z.number().check(z.nonnegative()),
  finishedAt: z.number(),
  output: z.array(CardLineSchema),
});
export type CardResult = z.infer<typeof CardResultSchema>;

export const CardStateSchema = z.object({
  /** Running jobs, in start order. */
  jobs: z.array(CardJobSchema),
  /** The last run's result, shown while no job runs. */
  result: z.optional(CardResultSchema),
  /** How many jobs may run at once (`Running (2 of 3 slots)`). */
  slots: z.int().check(z.positive()),
  queuedCount: z.int().check(z.nonnegative()),
  queuePaused: z.boolean(),
  autoRun: z.boolean(),
  canPause: z.boolean(),
  /** The host's clock when this was sent: the webview corrects for skew (code-server runs remote). */
  now: z.number(),
});
export type CardState = z.infer<typeof CardStateSchema>;

const RequestIdSchema = z.string().check(z.minLength(1), z.maxLength(64));

/** The answer to one request: it acted, or it did not and `message` says why (never empty). */
export const DidActSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('didAct'), requestId: RequestIdSchema, ok: z.literal(true) }),
  z.object({ type: z.literal('didAct'), requestId: RequestIdSchema, ok: z.literal(false), message: z.string().check(z.minLength(1)) }),
]);
export type DidAct = z.infer<typeof DidActSchema>;

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
  z.object({ type: z.literal('didUpdateOutput'), jobId: z.string(), output: z.array(CardLineSchema) }),
  DidActSchema,
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** What the card's buttons do to the job they belong to (`retryJob`: the last result's Retry). */
export const CARD_JOB_ACTIONS = ['pauseJob', 'resumeJob', 'cancelJob', 'cancelAndRequeue', 'showLog', 'retryJob'] as const;
export const CardJobActionSchema = z.enum(CARD_JOB_ACTIONS);
export type CardJobAction = z.infer<typeof CardJobActionSchema>;

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  /** A button on a job's card: acts on that run (`jobId` + `attempt`) only. */
  z.strictObject({
    type: z.literal('action'),
    requestId: RequestIdSchema,
    action: CardJobActionSchema,
    jobId: z.string().check(z.minLength(1), z.maxLength(64)),
    attempt: z.int().check(z.nonnegative()),
  }),
  /** The empty state's Send Job. */
  z.strictObject({ type: z.literal('sendNextJob'), requestId: RequestIdSchema }),
  /** A `file:line` link on a run's output: the id the host gave it, never a path. */
  z.strictObject({
    type: z.literal('openLink'),
    requestId: RequestIdSchema,
    jobId: z.string().check(z.minLength(1), z.maxLength(64)),
    attempt: z.int().check(z.nonnegative()),
    link: LinkIdSchema,
  }),
  /** The last result's Dismiss: the card goes back to "No job running". */
  z.strictObject({ type: z.literal('dismissResult'), requestId: RequestIdSchema }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;
export type CardRequest = Exclude<WebviewMessage, { type: 'ready' }>;
export type CardActionRequest = Extract<WebviewMessage, { type: 'action' }>;
export type CardLinkRequest = Extract<WebviewMessage, { type: 'openLink' }>;

/** Lines of output the card shows. */
export const CARD_TAIL_LINES = 40;
