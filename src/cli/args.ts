// The terminal command's arguments: a verb, then its options, validated with zod. A bad argument
// is a UsageError: main() prints it with a hint and exits 2, having written nothing. `--help` after
// any verb prints that verb's help (help.ts).
import * as z from 'zod/mini';
import { LaneNameSchema, MAX_PROBLEM_MATCHERS, ProblemMatcherNameSchema } from '../core/model';
import { parseAdd } from './addArgs';
import { UsageError } from './usageError';

export { UsageError } from './usageError';

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
  /** Not started before (epoch ms): `--at 14:30`, `--delay 30m`. */
  startAt: z.optional(z.number()),
  /** `-p`: only the new job's id on stdout, for scripts (`id=$(jobq add -p -- make)`). */
  printId: z.boolean(),
  /** `terminal`: the job runs with this terminal's environment (recorded); `window` (--no-env): with the window's. */
  environment: z.enum(['terminal', 'window']),
  cwd: z.optional(z.string().check(z.minLength(1, 'the folder is empty'))),
  matchers: z.optional(z.array(ProblemMatcherNameSchema).check(z.maxLength(MAX_PROBLEM_MATCHERS, `at most ${MAX_PROBLEM_MATCHERS} problem matchers`))),
  command: z.string().check(z.trim(), z.minLength(1, 'give the command after --, e.g. jobq add -- make test'), z.maxLength(100_000, 'the command is too long')),
});

/** The verbs that act on one job, by the request kind each sends (ownership/queueRequest.ts). */
export const JobActionSchema = z.enum(['cancel', 'retry', 'hold', 'release', 'send', 'pauseJob', 'resumeJob']);
export type JobAction = z.infer<typeof JobActionSchema>;

export const CommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('help'), verb: z.optional(z.string()) }),
  AddSchema,
  z.object({ kind: z.literal('list'), json: z.boolean() }),
  /** `jobq wait 3 4 5`, or `--all`: every job queued or running when it is called. */
  z.object({ kind: z.literal('wait'), ids: z.array(IdSchema).check(z.minLength(1, 'give job ids or --all'), z.maxLength(1000)) }),
  z.object({ kind: z.literal('waitAll') }),
  /** `jobq wait <request id>`: what became of a saved request, then its job's end. */
  z.object({ kind: z.literal('waitRequest'), requestId: z.string().check(z.regex(REQUEST_ID)) }),
  z.object({ kind: z.literal('log'), id: IdSchema, follow: z.boolean() }),
  z.object({ kind: z.literal('jobAction'), action: JobActionSchema, id: IdSchema }),
  z.object({ kind: z.literal('queueAction'), action: z.enum(['pauseQueue', 'resumeQueue']) }),
]);
export type Command = z.infer<typeof CommandSchema>;
export type AddCommand = Extract<Command, { kind: 'add' }>;

/** The verbs as typed, and the ones that name the same thing. */
export const VERBS = ['add', 'status', 'wait', 'log', 'cancel', 'retry', 'hold', 'release', 'send', 'pause', 'resume', 'help'] as const;
const ALIASES: Record<string, (typeof VERBS)[number]> = { list: 'status', ls: 'status', restart: 'retry' };

export function parseArgs(argv: readonly string[], platform: NodeJS.Platform = process.platform): Command {
  const [typed, ...rest] = argv;
  const verb = typed === undefined ? undefined : ALIASES[typed] ?? typed;
  // Per-verb help: `jobq add --help` (for add, only before the command's `--`: the command may take --help).
  const options = verb === 'add' && rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (verb !== undefined && (VERBS as readonly string[]).includes(verb) && (options.includes('--help') || options.includes('-h'))) return { kind: 'help', verb };
  const raw = parseVerb(verb, rest, platform);
  const parsed = CommandSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UsageError(parsed.error.issues.map((i) => `${i.path.length ? `${describePath(i.path)}: ` : ''}${i.message}`).join('; '));
}

function parseVerb(verb: string | undefined, rest: readonly string[], platform: NodeJS.Platform): Record<string, unknown> {
  switch (verb) {
    case undefined: case '--help': case '-h':
      return { kind: 'help' };
    case 'help':
      return { kind: 'help', ...(rest[0] ? { verb: ALIASES[rest[0]] ?? rest[0] } : {}) };
    case 'add':
      return parseAdd(rest, platform);
    case 'status': {
      const json = rest.includes('--json');
      noMore(verb, rest.filter((a) => a !== '--json'));
      return { kind: 'list', json };
    }
    case 'wait': {
      if (rest.includes('--all')) {
        noMore('wait --all', rest.filter((a) => a !== '--all'));
        return { kind: 'waitAll' };
      }
      if (rest.length === 1 && REQUEST_ID.test(rest[0]!.trim())) return { kind: 'waitRequest', requestId: rest[0]!.trim() };
      return { kind: 'wait', ids: rest.flatMap((a) => a.split(',')) };
    }
    case 'log': {
      const follow = rest.includes('-f') || rest.includes('--follow');
      return { kind: 'log', follow, id: onlyId(verb, rest.filter((a) => a !== '-f' && a !== '--follow')) };
    }
    case 'cancel': case 'retry': case 'hold': case 'release': case 'send':
      return { kind: 'jobAction', action: verb, id: onlyId(verb, rest) };
    // With an id: that job (its process stopped, then continued); without: the whole queue.
    case 'pause': case 'resume':
      if (rest.length === 0) return { kind: 'queueAction', action: verb === 'pause' ? 'pauseQueue' : 'resumeQueue' };
      return { kind: 'jobAction', action: verb === 'pause' ? 'pauseJob' : 'resumeJob', id: onlyId(verb, rest) };
    default:
      throw new UsageError(`Unknown command “${verb.slice(0, 40)}”.`);
  }
}

function describePath(path: readonly PropertyKey[]): string {
  const [first] = path;
  return first === 'after' ? '--after' : first === 'id' || first === 'ids' ? 'job id' : first === 'command' ? 'command' : first === 'matchers' ? '--matcher' : `--${String(first)}`;
}

function noMore(verb: string, rest: readonly string[]): void {
  if (rest.length > 0) throw new UsageError(`jobq ${verb} takes no arguments (got “${rest.join(' ').slice(0, 60)}”).`);
}

function onlyId(verb: string, rest: readonly string[]): string {
  if (rest.length !== 1) throw new UsageError(`jobq ${verb} takes one job id, e.g. jobq ${verb} 12.`);
  return rest[0]!;
}
