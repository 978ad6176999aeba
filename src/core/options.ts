// The engine's options, validated in one place. A bad value is refused with a JobError that names
// it (and changes nothing): `cancelGraceMs: NaN` would make a cancel wait forever, an empty
// storage folder would write into the current directory.
import * as path from 'node:path';
import * as z from 'zod/mini';
import { JobError } from './errors';
import { DEFAULT_LANE, InterruptedPolicySchema, LaneNameSchema } from './model';
import type { JobRunner } from './runner/types';

const finiteMs = (max: number) => z.number().check(z.refine(Number.isFinite, 'must be a finite number'), z.minimum(0), z.maximum(max));
const wholeAtLeast = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

export const ExternalJobsPolicySchema = z.enum(['run', 'holdForApproval']);
export type ExternalJobsPolicy = z.infer<typeof ExternalJobsPolicySchema>;

function runnerSchema(what: string) {
  return z.custom<JobRunner>((value) => typeof value === 'object' && value !== null && typeof (value as JobRunner).start === 'function' && typeof (value as JobRunner).checkCanStart === 'function', `${what} must implement JobRunner`);
}

/** What can change while the queue is open (settings). */
export const ConfigurableOptionsSchema = z.object({
  maxParallelJobs: z.optional(wholeAtLeast(1, 256)),
  cancelGraceMs: z.optional(finiteMs(24 * 3600_000)),
  interruptedPolicy: z.optional(InterruptedPolicySchema),
  /** Finished runs kept in the history. */
  historyLimit: z.optional(wholeAtLeast(1, 1_000_000)),
  /** Shell that runs each command line (POSIX: `<shell> -c`). Empty: the default shell. */
  shell: z.optional(z.string()),
  /** Lanes besides `default` (whose slots are maxParallelJobs): name → slots. */
  lanes: z.optional(z.record(LaneNameSchema, wholeAtLeast(1, 256))),
  /** How many of this queue's jobs may be on the Slurm cluster at once (jobQueue.slurm.maxJobs). */
  slurmMaxJobs: z.optional(wholeAtLeast(1, 10_000)),
  /** Jobs from outside the editor (the API): `holdForApproval` (they land held until the user releases them) or `run`. */
  externalJobs: z.optional(ExternalJobsPolicySchema),
  /** New jobs get PYTHONUNBUFFERED=1 unless their environment sets it (jobQueue.unbufferedOutput). */
  unbufferedOutput: z.optional(z.boolean()),
});
export type ConfigurableOptions = z.infer<typeof ConfigurableOptionsSchema>;

export const JobServiceOptionsSchema = z.extend(ConfigurableOptionsSchema, {
  storageDir: z.string().check(
    z.minLength(1, 'storageDir must not be empty'),
    z.refine((dir) => path.isAbsolute(dir), 'storageDir must be an absolute path'),
  ),
  /** Where jobs run; local processes unless a test or another backend says otherwise. */
  runner: z.optional(runnerSchema('runner')),
  /** Further backends (a Slurm runner): a job whose spec names one runs there. */
  backends: z.optional(z.array(runnerSchema('each backend'))),
  /** How often a running job's log is looked at for output and progress (and a follower looks at the owner). */
  outputPollMs: z.optional(z.int().check(z.minimum(5), z.maximum(60_000))),
  /** When set, nothing is dispatched and this says why (e.g. an untrusted workspace). */
  dispatchHold: z.optional(z.string()),
  /** Shown to other windows that follow this one (e.g. "VS Code window"). */
  ownerLabel: z.optional(z.string()),
});
export type JobServiceOptions = z.input<typeof JobServiceOptionsSchema>;

export interface EffectiveOptions {
  maxParallelJobs: number;
  cancelGraceMs: number;
  interruptedPolicy: z.infer<typeof InterruptedPolicySchema>;
  historyLimit: number;
  /** The shell the user chose; empty: each backend's default. */
  shell: string;
  outputPollMs: number;
  /** Lanes besides `default`: name → slots. */
  lanes: Record<string, number>;
  externalJobs: ExternalJobsPolicy;
  slurmMaxJobs: number;
  unbufferedOutput: boolean;
}

export function defaultOptions(): EffectiveOptions {
  return { maxParallelJobs: 1, cancelGraceMs: 5000, interruptedPolicy: 'requeueAndPause', historyLimit: 5000, shell: '', outputPollMs: 250, lanes: {}, externalJobs: 'holdForApproval', slurmMaxJobs: 20, unbufferedOutput: false };
}

/** Parses `input` with `schema`, or throws a JobError listing every bad field. */
export function parseOptions<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.infer<T> {
  if (typeof input !== 'object' || input === null) throw new JobError('invalidArgument', `Invalid ${what}: expected an object of options.`);
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.infer<T>;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw new JobError('invalidArgument', `Invalid ${what}: ${detail}`);
}

/** The options after `changes` (already parsed); an empty shell means the backend's default shell. */
export function applyOptions(current: EffectiveOptions, changes: ConfigurableOptions & { outputPollMs?: number }): EffectiveOptions {
  const next = { ...current };
  if (changes.maxParallelJobs !== undefined) next.maxParallelJobs = changes.maxParallelJobs;
  if (changes.cancelGraceMs !== undefined) next.cancelGraceMs = changes.cancelGraceMs;
  if (changes.historyLimit !== undefined) next.historyLimit = changes.historyLimit;
  if (changes.interruptedPolicy !== undefined) next.interruptedPolicy = changes.interruptedPolicy;
  if (changes.shell !== undefined) next.shell = changes.shell.trim();
  if (changes.outputPollMs !== undefined) next.outputPollMs = changes.outputPollMs;
  if (changes.lanes !== undefined) {
    // The default lane's slots are maxParallelJobs, whatever the lanes say.
    const { [DEFAULT_LANE]: _default, ...lanes } = changes.lanes;
    next.lanes = lanes;
  }
  if (changes.externalJobs !== undefined) next.externalJobs = changes.externalJobs;
  if (changes.slurmMaxJobs !== undefined) next.slurmMaxJobs = changes.slurmMaxJobs;
  if (changes.unbufferedOutput !== undefined) next.unbufferedOutput = changes.unbufferedOutput;
  return next;
}
