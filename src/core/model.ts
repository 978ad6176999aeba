// The single definition of every record the engine persists or hands out. Types are z.infer of
// these schemas; nothing else declares their shape. zod/mini: the same validation as classic zod
// at a few KB instead of ~440 KB of bundle, which matters for activation and for the webview.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { SlurmJobOptionsSchema } from './spec/slurmJobOptions';
import { RunUsageSchema } from './spec/runUsage';
import { environmentProblem } from './environmentLimits';

z.config(en());

export const JOB_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const FINISHED_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];
export const ACTIVE_STATUSES: readonly JobStatus[] = ['running', 'paused'];

/** Where a job came from: a typed command line or a workspace task converted to one. */
export const JobSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command') }),
  z.object({ kind: z.literal('task'), name: z.string(), folder: z.optional(z.string()) }),
  z.object({ kind: z.literal('api'), extensionId: z.optional(z.string()) }),
  /** Added in another window on the same folder and passed to this one through the inbox. */
  z.object({ kind: z.literal('otherWindow'), window: z.string() }),
  /** Queued by the terminal command (`jobq add`) in an integrated terminal; `parentPid`: the shell or script that ran it. */
  z.object({ kind: z.literal('terminal'), parentPid: z.optional(z.int()) }),
]);
export type JobSource = z.infer<typeof JobSourceSchema>;

/**
 * Where a job runs: on this machine (the default), or submitted to a Slurm cluster with these
 * sbatch options over the `jobQueue.slurm.*` defaults. The queue stays ours either way.
 */
export const RunOnSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({ kind: z.literal('slurm'), options: z.optional(SlurmJobOptionsSchema) }),
]);
export type RunOn = z.infer<typeof RunOnSchema>;

/**
 * A problem matcher VS Code knows by name (`$tsc`, `$eslint-stylish`, a contributed `$name`): the
 * job's output is replayed through VS Code's own matcher engine when a run ends (src/vscode/problems).
 */
export const ProblemMatcherNameSchema = z.string().check(
  z.trim(),
  z.regex(/^\$?[A-Za-z0-9][\w.-]{0,99}$/, 'a problem matcher is named like $tsc or $eslint-stylish'),
);
export const MAX_PROBLEM_MATCHERS = 8;

/** Variables by name, within what a process can be given and the queue can replay exactly (environmentLimits). */
export const EnvironmentVariablesSchema = z.record(z.string(), z.string()).check(z.check((ctx) => {
  const problem = environmentProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
}));

/**
 * The environment a job runs with. `captured`: exactly these variables and nothing else — the
 * environment of the terminal that queued it (`jobq add`), so a venv, conda env or `module load`
 * travels with the job. `overlay`: the window's environment (without VS Code's own variables) with
 * these on top — jobs added in the UI (`jobQueue.env`, `envFile`, a task's `options.env`).
 */
export const JobEnvironmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('captured'), vars: EnvironmentVariablesSchema }),
  z.object({ kind: z.literal('overlay'), vars: EnvironmentVariablesSchema }),
]);
export type JobEnvironment = z.infer<typeof JobEnvironmentSchema>;

/**
 * A spec's `env`: a JobEnvironment, or — as records before it were written, and as callers of the
 * API still may give it — a plain object of variables, read as an overlay. A plain object can never
 * be mistaken for the union: its values are strings, a JobEnvironment's `vars` is an object. Turned
 * into the union first and validated after, so a refusal names the variable, not "invalid input".
 */
const SpecEnvironmentSchema = z.pipe(
  z.transform((value: JobEnvironment | Record<string, string>) => (isPlainVariables(value) ? { kind: 'overlay', vars: value } : value)),
  JobEnvironmentSchema,
);

function isPlainVariables(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { kind, vars } = value as { kind?: unknown; vars?: unknown };
  return !((kind === 'captured' || kind === 'overlay') && typeof vars === 'object');
}

/** What the user asked to run. Immutable once enqueued. */
export const JobSpecSchema = z.object({
  command: z.string().check(z.trim(), z.minLength(1, 'command must not be empty'), z.maxLength(100_000)),
  cwd: z.optional(z.string().check(z.minLength(1, 'cwd must not be empty'))),
  /** Absent: the window's environment as it is. */
  env: z.optional(SpecEnvironmentSchema),
  label: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  source: z.optional(JobSourceSchema),
  /** Absent: here (a local process). */
  runOn: z.optional(RunOnSchema),
  /** The job's own shell (a task's `options.shell.executable`), over the `jobQueue.shell` setting. */
  shell: z.optional(z.string().check(z.trim(), z.minLength(1, 'shell must not be empty'), z.maxLength(1000))),
  /** Problem matchers whose findings go to the Problems panel when a run ends. */
  problemMatchers: z.optional(z.array(ProblemMatcherNameSchema).check(z.maxLength(MAX_PROBLEM_MATCHERS, `at most ${MAX_PROBLEM_MATCHERS} problem matchers`))),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;
/** Input accepted by enqueue(): the spec plus an optional lineage link (set by retry). */
export type JobSpecInput = z.input<typeof JobSpecSchema>;

/**
 * Runner-specific data needed to find a running job again after the host restarts (a local pid and
 * its start time, a Slurm job id, ...). Opaque above the runner port.
 */
export const RunHandleSchema = z.record(z.string(), z.unknown());
export type RunHandle = z.infer<typeof RunHandleSchema>;

export const PercentSchema = z.number().check(z.minimum(0), z.maximum(100));
export const EtaSourceSchema = z.enum(['rate', 'history']);
export const ProgressSchema = z.object({
  /** 0..100, or undefined when the output has not said. */
  percent: z.optional(PercentSchema),
  /** Milliseconds left, from the progress rate or the median of earlier runs. */
  etaMs: z.optional(z.number().check(z.nonnegative())),
  etaSource: z.optional(EtaSourceSchema),
});
export type Progress = z.infer<typeof ProgressSchema>;

/** A job id as given by a caller ("12"): the queue's own ids are decimal numbers. */
export const JobIdSchema = z.string().check(z.trim(), z.minLength(1, 'a job id must not be empty'), z.maxLength(40, 'a job id has at most 40 characters'));

/** When a job's dependencies let it start: after each completed (`success`), or after each ended in any way (`any`). */
export const DependencyConditionSchema = z.enum(['success', 'any']);
export type DependencyCondition = z.infer<typeof DependencyConditionSchema>;

/** The jobs a queued job waits for (pueue's --after, Slurm's afterok / afterany). */
export const AfterSchema = z.object({
  ids: z.array(JobIdSchema).check(z.minLength(1, 'name at least one job to wait for'), z.maxLength(1000)),
  condition: DependencyConditionSchema,
});
export type After = z.infer<typeof AfterSchema>;

/** Dependencies as setDependencies takes them: no ids (or null) clears them; `condition` defaults to `success`. */
export const AfterInputSchema = z.nullable(z.optional(z.strictObject({
  ids: z.array(JobIdSchema).check(z.maxLength(1000)),
  condition: z.optional(DependencyConditionSchema),
})));
export type AfterInput = z.input<typeof AfterInputSchema>;

/** Why a queued job is held (skipped by dispatch until released): the user, or an approval it waits for. */
export const HoldSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('user') }),
  /**
   * A job from outside the editor (the API, the terminal command): it runs once the user releases it.
   * `user`: it also asked for a hold of its own (`jobq add --hold`), so approving it leaves it held by the user.
   */
  z.object({ by: z.literal('approval'), source: z.string(), user: z.optional(z.literal(true)) }),
]);
export type Hold = z.infer<typeof HoldSchema>;

export const DEFAULT_LANE = 'default';
export const LaneNameSchema = z.string().check(
  z.trim(), z.minLength(1, 'a lane name must not be empty'), z.maxLength(64, 'a lane name has at most 64 characters'),
);

export const JobSchema = z.object({
  id: z.string().check(z.minLength(1)),
  spec: JobSpecSchema,
  /** Id of the job this one retries (a retry is a new job). */
  retryOf: z.optional(z.string()),
  /** Set when another window added it through the owner's inbox: that request (never enqueued twice). */
  requestId: z.optional(z.string()),
  status: JobStatusSchema,
  /** How many times this job has been started (cancel + return and interrupted re-queue keep the id). */
  attempt: z.int().check(z.nonnegative()),
  createdAt: z.number(),
  startedAt: z.optional(z.number()),
  finishedAt: z.optional(z.number()),
  /** Milliseconds spent paused in the current/last run, so elapsed and ETA exclude them. */
  pausedMs: z.optional(z.number().check(z.nonnegative())),
  pausedAt: z.optional(z.number()),
  exitCode: z.optional(z.int()),
  signal: z.optional(z.string()),
  error: z.optional(z.string()),
  /** Finished runs, where the backend measures it (Slurm accounting): what the run used. */
  usage: z.optional(RunUsageSchema),
  /** Send Job was pressed while every slot was busy: start as soon as a slot frees. */
  pending: z.optional(z.boolean()),
  /** Set while running: how the runner finds the process again (absent between the `starting` intent and its confirmation). */
  run: z.optional(RunHandleSchema),
  /** Absolute path of this run's output log. */
  logPath: z.optional(z.string()),
  /** The jobs this one waits for (kept on the runs it makes, for the record). */
  after: z.optional(AfterSchema),
  /** Queued only: skipped by dispatch until released. */
  hold: z.optional(HoldSchema),
  /** Queued only: not started before this time (epoch ms). */
  notBefore: z.optional(z.number().check(z.refine(Number.isFinite, 'must be a finite number'))),
  /** The lane it runs in; absent: the `default` lane. */
  lane: z.optional(LaneNameSchema),
});
export type Job = z.infer<typeof JobSchema>;

/**
 * How a job waits, given when it is added (enqueue, submit, retry with changes): what it waits for
 * (`condition` defaults to `success`), whether it is held, its start time (epoch ms), its lane.
 */
export const ScheduleInputSchema = z.strictObject({
  after: z.optional(z.strictObject({ ids: AfterSchema.shape.ids, condition: z.optional(DependencyConditionSchema) })),
  hold: z.optional(z.boolean()),
  notBefore: z.optional(z.number().check(z.refine(Number.isFinite, 'must be a finite number (epoch milliseconds)'))),
  lane: z.optional(LaneNameSchema),
});
export type ScheduleInput = z.input<typeof ScheduleInputSchema>;

/**
 * The first `bytes` of the history log as they were when this host last had them validated: an
 * append-only log whose prefix still hashes the same needs no second validation on open.
 */
export const HistoryCheckSchema = z.object({
  bytes: z.int().check(z.nonnegative()),
  sha256: z.string().check(z.length(64)),
});
export type HistoryCheck = z.infer<typeof HistoryCheckSchema>;

/** Version 1: the queue of releases before lanes (no `lanes`; jobs without after/hold/notBefore/lane). */
export const QueueSnapshotV1Schema = z.object({
  version: z.literal(1),
  /** Sequence number of the last history event this snapshot includes. */
  seq: z.int().check(z.nonnegative()),
  nextId: z.int().check(z.positive()),
  autoRun: z.boolean(),
  paused: z.boolean(),
  queued: z.array(JobSchema),
  running: z.array(JobSchema),
  historyCheck: z.optional(HistoryCheckSchema),
});

export const LaneStateSchema = z.object({ paused: z.boolean() });
export type LaneState = z.infer<typeof LaneStateSchema>;

/** Version 2: lanes' own flags, and the jobs' after / hold / notBefore / lane. */
export const QUEUE_SNAPSHOT_VERSION = 2;
export const QueueSnapshotSchema = z.extend(QueueSnapshotV1Schema, {
  version: z.literal(QUEUE_SNAPSHOT_VERSION),
  /** Lanes with a flag of their own (paused), by name. */
  lanes: z.optional(z.record(LaneNameSchema, LaneStateSchema)),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshotSchema>;

/** A version 1 snapshot as version 2: every job and flag as it was, no lane paused. */
export function migrateSnapshotV1(v1: z.infer<typeof QueueSnapshotV1Schema>): QueueSnapshot {
  return { ...v1, version: QUEUE_SNAPSHOT_VERSION, lanes: {} };
}

export const HISTORY_EVENT_VERSION = 1;
export const HISTORY_EVENT_TYPES = [
  'enqueued', 'starting', 'started', 'paused', 'resumed', 'finished', 'returned', 'removed', 'adopted', 'historyCleared',
  // A queued job's scheduling changed (its record after the change is the event's job).
  'held', 'released', 'dependenciesChanged', 'startTimeChanged',
] as const;
/** One line of the append-only history log: a transition and the job as it was right after it. */
export const HistoryEventSchema = z.object({
  v: z.literal(HISTORY_EVENT_VERSION),
  seq: z.int().check(z.positive()),
  at: z.number(),
  type: z.enum(HISTORY_EVENT_TYPES),
  job: z.optional(JobSchema),
});
export type HistoryEvent = z.infer<typeof HistoryEventSchema>;
export type HistoryEventType = HistoryEvent['type'];

/** What to do with a job whose fate is unknown after the host died (no process, no exit record). */
export const InterruptedPolicySchema = z.enum(['requeueAndPause', 'requeue', 'keepInHistory']);
export type InterruptedPolicy = z.infer<typeof InterruptedPolicySchema>;

export function isFinished(status: JobStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export function isActive(status: JobStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** The backend a job runs on. */
export function backendOf(spec: Pick<JobSpec, 'runOn'>): 'local' | 'slurm' {
  return spec.runOn?.kind ?? 'local';
}

/** The shell a job's command line runs in: its own (a task's), else the one configured (empty: the backend's default). */
export function shellOf(spec: Pick<JobSpec, 'shell'>, configured: string): string {
  return spec.shell ?? configured;
}

/** Short human name for a job: its label, else its command line. */
export function jobTitle(job: Pick<Job, 'spec'>): string {
  return job.spec.label || job.spec.command;
}
