// The terminal command's arguments, parsed by hand (the command words after `--` must reach the job
// untouched, which general parsers do not promise) and validated with zod. A bad argument is a
// UsageError: main() prints it with a hint and exits 2, having written nothing.
import * as z from 'zod/mini';
import { LaneNameSchema, MAX_PROBLEM_MATCHERS, ProblemMatcherNameSchema } from '../core/model';
import { joinCommand } from './shellQuote';

export class UsageError extends Error {}

/** `12` or `#12`, as the user types a job's id. */
const IdSchema = z.pipe(
  z.string().check(z.trim(), z.regex(/^#?\d{1,15}$/, 'a job id is a number, like 12 or #12')),
  z.transform((id: string) => id.replace(/^#/, '')),
);

/** The id `jobq add` prints for a request it saved while no window could take it (a UUID). */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const AddSchema = z.object({
  kind: z.literal('add'),
  label: z.optional(z.string().check(z.trim(), z.minLength(1, 'the label is empty'), z.maxLength(200, 'a label has at most 200 characters'))),
  after: z.optional(z.object({ ids: z.array(IdSchema).check(z.minLength(1), z.maxLength(1000)), condition: z.enum(['success', 'any']) })),
  lane: z.optional(LaneNameSchema),
  hold: z.boolean(),
  /** `terminal`: the job runs with this terminal's environment (recorded); `window` (--no-env): with the window's. */
  environment: z.enum(['terminal', 'window']),
  cwd: z.optional(z.string().check(z.minLength(1, 'the folder is empty'))),
  matchers: z.optional(z.array(ProblemMatcherNameSchema).check(z.maxLength(MAX_PROBLEM_MATCHERS, `at most ${MAX_PROBLEM_MATCHERS} problem matchers`))),
  command: z.string().check(z.trim(), z.minLength(1, 'give the command after --, e.g. jobq add -- make test'), z.maxLength(100_000, 'the command is too long')),
});

export const CommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('help') }),
  AddSchema,
  z.object({ kind: z.literal('list') }),
  z.object({ kind: z.literal('wait'), id: IdSchema }),
  /** `jobq wait <request id>`: what became of a saved request, then its job's end. */
  z.object({ kind: z.literal('waitRequest'), requestId: z.string().check(z.regex(REQUEST_ID)) }),
  z.object({ kind: z.literal('log'), id: IdSchema, follow: z.boolean() }),
  z.object({ kind: z.literal('cancel'), id: IdSchema }),
]);
export type Command = z.infer<typeof CommandSchema>;
export type AddCommand = Extract<Command, { kind: 'add' }>;

export function parseArgs(argv: readonly string[], platform: NodeJS.Platform = process.platform): Command {
  const [verb, ...rest] = argv;
  let raw: Record<string, unknown>;
  switch (verb) {
    case undefined: case 'help': case '--help': case '-h':
      raw = { kind: 'help' };
      break;
    case 'add':
      raw = parseAdd(rest, platform);
      break;
    case 'list': case 'ls':
      noMore(verb, rest);
      raw = { kind: 'list' };
      break;
    case 'wait': {
      const id = onlyId(verb, rest);
      raw = REQUEST_ID.test(id.trim()) ? { kind: 'waitRequest', requestId: id.trim() } : { kind: 'wait', id };
      break;
    }
    case 'cancel':
      raw = { kind: verb, id: onlyId(verb, rest) };
      break;
    case 'log': {
      const follow = rest.includes('-f') || rest.includes('--follow');
      raw = { kind: 'log', follow, id: onlyId(verb, rest.filter((a) => a !== '-f' && a !== '--follow')) };
      break;
    }
    default:
      throw new UsageError(`Unknown command “${verb.slice(0, 40)}”.`);
  }
  const parsed = CommandSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UsageError(parsed.error.issues.map((i) => `${i.path.length ? `${describePath(i.path)}: ` : ''}${i.message}`).join('; '));
}

function describePath(path: readonly PropertyKey[]): string {
  const [first] = path;
  return first === 'after' ? '--after' : first === 'id' ? 'job id' : first === 'command' ? 'command' : first === 'matchers' ? '--matcher' : `--${String(first)}`;
}

function noMore(verb: string, rest: readonly string[]): void {
  if (rest.length > 0) throw new UsageError(`jobq ${verb} takes no arguments (got “${rest.join(' ').slice(0, 60)}”).`);
}

function onlyId(verb: string, rest: readonly string[]): string {
  if (rest.length !== 1) throw new UsageError(`jobq ${verb} takes one job id, e.g. jobq ${verb} 12.`);
  return rest[0]!;
}

function parseAdd(args: readonly string[], platform: NodeJS.Platform): Record<string, unknown> {
  const dash = args.indexOf('--');
  if (dash < 0) throw new UsageError('Give the command after --, e.g. jobq add --label build -- make test.');
  const options = args.slice(0, dash);
  const out: Record<string, unknown> = { kind: 'add', hold: false, environment: 'terminal', command: joinCommand(args.slice(dash + 1), platform) };
  const successIds: string[] = [];
  const anyIds: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const arg = options[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0 && arg.startsWith('--')) return arg.slice(eq + 1);
      const next = options[++i];
      if (next === undefined) throw new UsageError(`${name} needs a value.`);
      return next;
    };
    switch (name) {
      case '--label': out.label = value(); break;
      case '--lane': out.lane = value(); break;
      case '--cwd': out.cwd = value(); break;
      case '--matcher': out.matchers = [...(out.matchers as string[] | undefined ?? []), value()]; break;
      case '--hold':
        if (eq > 0) throw new UsageError('--hold takes no value.');
        out.hold = true;
        break;
      case '--no-env':
        if (eq > 0) throw new UsageError('--no-env takes no value.');
        out.environment = 'window';
        break;
      case '--after': successIds.push(...value().split(',')); break;
      // Several ids may follow (`--after-any 3 4`), up to the next option.
      case '--after-any':
        anyIds.push(...value().split(','));
        while (options[i + 1] !== undefined && !options[i + 1]!.startsWith('-')) anyIds.push(...options[++i]!.split(','));
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `Unknown option ${name.slice(0, 40)}.` : `“${arg.slice(0, 40)}” before --: put the command after --, e.g. jobq add -- ${arg.slice(0, 40)}`);
    }
  }
  if (successIds.length > 0 && anyIds.length > 0) throw new UsageError('Use --after (after success) or --after-any (after any end), not both.');
  if (successIds.length > 0) out.after = { ids: successIds, condition: 'success' };
  if (anyIds.length > 0) out.after = { ids: anyIds, condition: 'any' };
  return out;
}

export const HELP = `jobq — queue commands into this VS Code workspace's Job Queue

Usage:
  jobq add [--label L] [--after ID[,ID…]] [--after-any ID…] [--lane NAME] [--hold] [--cwd DIR] [--no-env] [--matcher $tsc…] -- <command…>
      Queue a command (run by the window's shell, in DIR or the current folder), with this terminal's
      environment (a venv, conda env or module load travels with the job; VS Code's own variables do
      not); --no-env: with the window's environment instead.
      --matcher: a problem matcher (repeatable): its findings go to VS Code's Problems panel when the job ends.
      --after: starts after those jobs complete; --after-any: after they end in any way.
      With jobQueue.externalJobs = holdForApproval (the default) it waits for your approval in VS Code;
      --hold keeps it held after that, until you release it.
  jobq list             Running, queued (held / waits-for marks) and the last finished jobs.
  jobq wait ID          Wait until the job ends; exit with its exit code (1 if cancelled or interrupted).
                        ID may also be the request id jobq add printed when it saved a job for later:
                        it waits for VS Code to take it (1, with the reason, if it was not queued).
  jobq log [-f] ID      Print the job's output; -f follows it until the job ends.
  jobq cancel ID        Cancel a queued or running job.
  jobq help             This text.

Exit codes: 0 done, 1 refused or failed, 2 bad arguments or unknown job.
`;
