// What a job asks of Slurm (sbatch options), validated here and passed to sbatch as argv — never
// through a shell string. Each field maps to one sbatch option; `extraArgs` are further options,
// each one argv word that must start with "--" (so a value can never be read as the script).
import * as z from 'zod/mini';

const word = (what: string, max = 200) =>
  z.string().check(
    z.trim(),
    z.minLength(1, `${what} must not be empty`),
    z.maxLength(max, `${what} has at most ${max} characters`),
    z.refine((v) => !/[\s\0]/.test(v), `${what} must not contain spaces`),
  );

/** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or UNLIMITED. */
const SLURM_TIME = /^(UNLIMITED|INFINITE|\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2})$/i;
/** Slurm's memory: a number with an optional K/M/G/T unit. */
const SLURM_MEMORY = /^\d+[KMGT]?$/i;

/**
 * Options the queue sets itself (sbatch takes the last of a repeated option, so an extra one would
 * win): the job's name is how squeue finds it, the output and exit files how its end is known.
 */
const RESERVED = new Set(['job-name', 'output', 'error', 'open-mode', 'chdir', 'comment', 'dependency', 'hold', 'export', 'array', 'wrap', 'parsable']);

function optionName(word: string): string {
  return word.replace(/^--/, '').split('=')[0]!;
}

export const SlurmJobOptionsSchema = z.object({
  partition: z.optional(word('partition', 100)),
  /** Time limit (`--time`). */
  time: z.optional(z.string().check(z.trim(), z.regex(SLURM_TIME, 'time must be minutes, HH:MM:SS or D-HH:MM:SS'))),
  cpusPerTask: z.optional(z.int().check(z.minimum(1, 'cpusPerTask must be at least 1'), z.maximum(100_000))),
  /** Memory per node (`--mem`), e.g. 4G. */
  mem: z.optional(z.string().check(z.trim(), z.regex(SLURM_MEMORY, 'mem must be a number with an optional K, M, G or T'))),
  /** Generic resources (`--gres`), e.g. gpu:1. */
  gres: z.optional(word('gres')),
  account: z.optional(word('account', 100)),
  qos: z.optional(word('qos', 100)),
  /** Further sbatch options, one argv word each ("--constraint=avx2"); not the ones the queue sets itself. */
  extraArgs: z.optional(z.array(z.string().check(
    z.refine((v) => /^--[A-Za-z][\w-]*(=.*)?$/s.test(v), 'each extra sbatch option must look like --name or --name=value'),
    z.refine((v) => !RESERVED.has(optionName(v)), 'the queue sets --job-name, --output, --error, --open-mode, --chdir, --comment, --dependency, --hold, --export, --array, --wrap and --parsable itself: they cannot be given as extra options'),
  )).check(z.maxLength(50))),
});
export type SlurmJobOptions = z.infer<typeof SlurmJobOptionsSchema>;

/** The job's options over the defaults (settings), field by field; extraArgs add up. */
export function mergeSlurmOptions(defaults: SlurmJobOptions, job: SlurmJobOptions | undefined): SlurmJobOptions {
  const merged: SlurmJobOptions = { ...defaults, ...job };
  const extra = [...(defaults.extraArgs ?? []), ...(job?.extraArgs ?? [])];
  if (extra.length > 0) merged.extraArgs = extra;
  return merged;
}

/** The sbatch argv words for these options (after validation; order is stable for tests). */
export function sbatchOptionArgs(options: SlurmJobOptions): string[] {
  const args: string[] = [];
  if (options.partition) args.push(`--partition=${options.partition}`);
  if (options.time) args.push(`--time=${options.time}`);
  if (options.cpusPerTask !== undefined) args.push(`--cpus-per-task=${options.cpusPerTask}`);
  if (options.mem) args.push(`--mem=${options.mem}`);
  if (options.gres) args.push(`--gres=${options.gres}`);
  if (options.account) args.push(`--account=${options.account}`);
  if (options.qos) args.push(`--qos=${options.qos}`);
  args.push(...(options.extraArgs ?? []));
  return args;
}
