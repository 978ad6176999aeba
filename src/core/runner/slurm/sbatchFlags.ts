// The sbatch options a person types ("-p gpu -N 2 --time=1:00:00 --gres=gpu:1") as validated
// SlurmJobOptions, and back. One text box in Add Job / Retry with Changes, in the words users
// already know from sbatch and read by sbatch's own rules (spec/sbatchArgs.ts): every option sbatch
// accepts is accepted, the ones the queue sets itself are refused in any spelling, naming them.
import { canonicalWord, readSbatchArgs, reservedProblem } from '../../spec/sbatchArgs';
import { SlurmJobOptionsSchema, sbatchOptionArgs, type SlurmJobOptions } from '../../spec/slurmJobOptions';

type Field = 'partition' | 'time' | 'cpusPerTask' | 'mem' | 'gres' | 'account' | 'qos';

/** The options with a field of their own (settings, the job's details); every other one is an extra argument. */
const FIELDS: Record<string, Field> = {
  partition: 'partition', time: 'time', 'cpus-per-task': 'cpusPerTask', mem: 'mem', gres: 'gres', account: 'account', qos: 'qos',
};

export type SbatchFlagsResult = { ok: true; options: SlurmJobOptions } | { ok: false; message: string };

/**
 * Reads typed sbatch options. Words split on spaces (the box is not a shell: a quote would reach
 * sbatch as a character of the value, so quotes are refused rather than passed on).
 */
export function parseSbatchFlags(text: string): SbatchFlagsResult {
  if (/["'\\]/.test(text)) return { ok: false, message: 'Write sbatch options without quotes or backslashes: this box is not a shell, and values cannot contain spaces.' };
  const read = readSbatchArgs(text.trim().split(/\s+/).filter(Boolean));
  if (!read.ok) return read;
  const reserved = reservedProblem(read.options);
  if (reserved) return { ok: false, message: reserved };
  const raw: Record<string, unknown> = {};
  const extraArgs: string[] = [];
  for (const option of read.options) {
    const field = FIELDS[option.name];
    if (!field) extraArgs.push(canonicalWord(option));
    else raw[field] = field === 'cpusPerTask' ? Number(option.value) : option.value;
  }
  if (extraArgs.length > 0) raw.extraArgs = extraArgs;
  const parsed = SlurmJobOptionsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join('; ') };
  return { ok: true, options: parsed.data };
}

/** The options as a person would type them (what parseSbatchFlags reads back). */
export function formatSbatchFlags(options: SlurmJobOptions | undefined): string {
  return options ? sbatchOptionArgs(options).join(' ') : '';
}
