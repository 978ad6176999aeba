// The sbatch options a person types ("-p gpu --time=1:00:00 --gres=gpu:1") as validated
// SlurmJobOptions, and back. One text box in Add Job / Retry with Changes, in the words users
// already know from sbatch; what cannot be read is refused with a sentence, and nothing is guessed.
import { SlurmJobOptionsSchema, sbatchOptionArgs, type SlurmJobOptions } from './slurmOptions';

type Field = 'partition' | 'time' | 'cpusPerTask' | 'mem' | 'gres' | 'account' | 'qos';

const LONG: Record<string, Field> = {
  partition: 'partition', time: 'time', 'cpus-per-task': 'cpusPerTask', mem: 'mem', gres: 'gres', account: 'account', qos: 'qos',
};
const SHORT: Record<string, Field> = { p: 'partition', t: 'time', c: 'cpusPerTask', A: 'account', q: 'qos' };

export type SbatchFlagsResult = { ok: true; options: SlurmJobOptions } | { ok: false; message: string };

/** Reads typed sbatch options. Values cannot hold spaces (no field allows them), so words split on spaces. */
export function parseSbatchFlags(text: string): SbatchFlagsResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const raw: Record<string, unknown> = {};
  const extraArgs: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const long = /^--([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(word);
    const short = /^-([A-Za-z])(.*)$/.exec(word);
    let field: Field | undefined;
    let value: string | undefined;
    if (long) {
      field = LONG[long[1]!];
      if (!field) {
        extraArgs.push(word);
        continue;
      }
      value = long[2] ?? words[++i];
    } else if (short && SHORT[short[1]!]) {
      field = SHORT[short[1]!];
      value = short[2] || words[++i];
    } else {
      return { ok: false, message: `“${word}” is not an sbatch option: write options like --partition=gpu or -p gpu.` };
    }
    if (value === undefined || value === '') return { ok: false, message: `${word} needs a value.` };
    raw[field!] = field === 'cpusPerTask' ? Number(value) : value;
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
