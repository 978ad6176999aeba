// What a job asks of Slurm (sbatch options), validated here and passed to sbatch as argv — never
// through a shell string. Each field maps to one sbatch option; `extraArgs` are further options,
// each one argv word that sbatch reads as options only (so a value can never be read as the script).
// Part of a job's saved spec, so it lives here, apart from the Slurm backend (the model must not
// depend on a backend); what sbatch accepts comes from its own derived table.
import * as z from 'zod/mini';
import { readSbatchArgs, reservedProblem } from './sbatchArgs';

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

/** Why one extra argv word is not a whole sbatch option the queue may pass on, or undefined. */
function extraWordProblem(word: string): string | undefined {
  const read = readSbatchArgs([word]);
  if (!read.ok) return read.message;
  return reservedProblem(read.options);
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
    // One option per word, as sbatch gets it: "-C avx2" in one word would give -C the value " avx2".
    z.refine((v) => !/[\s\0]/.test(v), 'each extra sbatch option is one word without spaces (--constraint=avx2, not "-C avx2")'),
    z.superRefine((v, ctx) => {
      const problem = extraWordProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
    }),
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
