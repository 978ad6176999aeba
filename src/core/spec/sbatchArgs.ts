// sbatch's options read the way sbatch itself reads them (glibc getopt_long over the table derived
// from the installed sbatch, see sbatchOptionTable.ts): a long option or any unique prefix of one
// ("--job-nam" IS --job-name), its value after `=` or in the next word, short options alone, bundled
// (-Hv) or with their value attached (-N2) or separate (-N 2). Each option comes back under its full
// long name, so the options the queue sets itself are refused in any spelling, never by text match.
import { SBATCH_LONG_OPTIONS, SBATCH_SHORT_OPTIONS, type SbatchArgument } from './sbatchOptionTable';

/**
 * The options the queue sets itself, and why (sbatch takes the last of a repeated option, so one
 * given again would win, or would change what sbatch prints or does).
 */
export const RESERVED_SBATCH_OPTIONS: Readonly<Record<string, string>> = {
  'job-name': 'the queue finds its job in Slurm by the name it gives it',
  output: 'the queue writes the job’s output where its log is (setting jobQueue.slurm.outputDirectory)',
  error: 'the job’s errors go to its log, with its output',
  'open-mode': 'the log is appended to, so a requeued job keeps its first lines',
  chdir: 'the job’s working folder is the job’s own folder',
  comment: 'the queue marks its jobs with it',
  dependency: 'use Run After… (the queue hands dependencies to Slurm itself)',
  hold: 'use Hold on the job in the queue',
  export: 'the queue passes the job’s environment itself',
  'export-file': 'the queue passes the job’s environment itself',
  wrap: 'the job’s command line is what runs',
  parsable: 'the queue asks sbatch for the job id itself',
  wait: 'sbatch would not return until the job ended',
  'test-only': 'nothing would be submitted',
  clusters: 'the queue watches the one cluster squeue shows',
  cluster: 'the queue watches the one cluster squeue shows',
  help: 'sbatch would print its help and submit nothing',
  usage: 'sbatch would print its usage and submit nothing',
  version: 'sbatch would print its version and submit nothing',
};

/** One option as sbatch understood it: its full long name (or the letter of a short one without one). */
export interface SbatchOption {
  name: string;
  value: string | undefined;
  /** The words the person typed for it ("-J x", "--job-nam=x"). */
  typed: string;
}

export type SbatchArgsResult = { ok: true; options: SbatchOption[] } | { ok: false; message: string };

/** A long option's full name from what was typed: exact, else the one option it is a prefix of. */
function longName(typed: string): { name: string } | { message: string } {
  if (SBATCH_LONG_OPTIONS[typed]) return { name: typed };
  const candidates = Object.keys(SBATCH_LONG_OPTIONS).filter((name) => name.startsWith(typed));
  if (candidates.length === 1) return { name: candidates[0]! };
  if (candidates.length === 0) return { message: `--${typed} is not an sbatch option (sbatch ${'--help'} lists them).` };
  return { message: `--${typed} is ambiguous: sbatch would not know whether it means ${candidates.map((c) => `--${c}`).join(', ')}.` };
}

function takesValue(arg: SbatchArgument | undefined): arg is 'required' | 'optional' {
  return arg === 'required' || arg === 'optional';
}

/** Reads argv words as sbatch would, up to (and refusing) anything sbatch would take for the script. */
export function readSbatchArgs(words: readonly string[]): SbatchArgsResult {
  const options: SbatchOption[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--' || word === ':' || !word.startsWith('-') || word === '-') {
      const what = word === ':' ? 'separates the parts of a heterogeneous job, which the queue does not run' : 'would be read by sbatch as the batch script';
      return { ok: false, message: `“${word}” is not an sbatch option: it ${what}. Write options like --partition=gpu or -p gpu.` };
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const found = longName(eq < 0 ? word.slice(2) : word.slice(2, eq));
      if ('message' in found) return { ok: false, message: found.message };
      const arg = SBATCH_LONG_OPTIONS[found.name];
      let value = eq < 0 ? undefined : word.slice(eq + 1);
      let typed = word;
      if (arg === 'none' && value !== undefined) return { ok: false, message: `--${found.name} takes no value (you wrote ${word}).` };
      if (arg === 'required' && value === undefined) {
        value = words[++i];
        if (value === undefined) return { ok: false, message: `${word} needs a value (--${found.name}=…).` };
        typed = `${word} ${value}`;
      }
      options.push({ name: found.name, value, typed });
      continue;
    }
    // A cluster of short options: each letter is one, until one takes a value (the rest of the word, or the next word).
    for (let at = 1; at < word.length; at++) {
      const letter = word[at]!;
      const short = SBATCH_SHORT_OPTIONS[letter];
      if (!short) return { ok: false, message: `-${letter} is not an sbatch option (in ${word}).` };
      const name = short.long ?? letter;
      if (!takesValue(short.arg)) {
        options.push({ name, value: undefined, typed: `-${letter}` });
        continue;
      }
      let value: string | undefined = word.slice(at + 1);
      let typed = `-${letter}${value}`;
      if (value === '' && short.arg === 'required') {
        value = words[++i];
        if (value === undefined) return { ok: false, message: `-${letter} needs a value (-${letter} …).` };
        typed = `-${letter} ${value}`;
      }
      options.push({ name, value: value === '' ? undefined : value, typed });
      break;
    }
  }
  return { ok: true, options };
}

/** Why these options may not be given (the reserved ones, named), or undefined. */
export function reservedProblem(options: readonly SbatchOption[]): string | undefined {
  const reserved = options.filter((o) => RESERVED_SBATCH_OPTIONS[o.name]);
  if (reserved.length === 0) return undefined;
  const said = reserved.map((o) => `--${o.name}${o.typed.startsWith(`--${o.name}`) ? '' : ` (you wrote ${o.typed})`}: ${RESERVED_SBATCH_OPTIONS[o.name]}`);
  return `The queue sets ${reserved.length === 1 ? 'this sbatch option' : 'these sbatch options'} itself: ${said.join('; ')}.`;
}

/** The option as one argv word sbatch reads back the same way: its full long name, `=value` attached. */
export function canonicalWord(option: SbatchOption): string {
  const short = option.name.length === 1 ? SBATCH_SHORT_OPTIONS[option.name] : undefined;
  if (short) return option.value === undefined ? `-${option.name}` : `-${option.name}${option.value}`;
  return option.value === undefined ? `--${option.name}` : `--${option.name}=${option.value}`;
}
