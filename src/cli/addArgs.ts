// `jobq add`'s options, parsed by hand: the command words after `--` reach the job untouched, which
// general parsers do not promise. The result is checked by AddSchema (args.ts).
import { parseStartTime } from '../core/startTime';
import { UsageError } from './usageError';
import { joinCommand } from './shellQuote';

export function parseAdd(args: readonly string[], platform: NodeJS.Platform, now = Date.now()): Record<string, unknown> {
  const dash = args.indexOf('--');
  if (dash < 0) throw new UsageError('Give the command after --, e.g. jobq add --label build -- make test.');
  const options = args.slice(0, dash);
  const out: Record<string, unknown> = { kind: 'add', hold: false, printId: false, environment: 'terminal', command: joinCommand(args.slice(dash + 1), platform) };
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
    const flag = (field: string, to: unknown): void => {
      if (eq > 0) throw new UsageError(`${name} takes no value.`);
      out[field] = to;
    };
    switch (name) {
      case '--label': out.label = value(); break;
      case '--lane': out.lane = value(); break;
      case '--cwd': out.cwd = value(); break;
      case '--matcher': out.matchers = [...(out.matchers as string[] | undefined ?? []), value()]; break;
      case '--hold': flag('hold', true); break;
      case '--no-env': flag('environment', 'window'); break;
      case '-p': case '--print-id': flag('printId', true); break;
      case '--at': setStart(out, name, value(), now); break;
      // `--delay 30m` is `--at +30m`: the parser the editor's Set Start Time uses.
      case '--delay': setStart(out, name, `+${value().replace(/^\+/, '')}`, now); break;
      // Repeatable, and ids may be joined by commas: `--after 3,4` and `--after 3 --after 4` are the same.
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

function setStart(out: Record<string, unknown>, name: string, text: string, now: number): void {
  if (out.startAt !== undefined) throw new UsageError('Give one start time: --at or --delay, once.');
  const parsed = parseStartTime(text, now);
  if (!parsed.ok) throw new UsageError(`${name}: ${parsed.message}`);
  if (parsed.at === undefined) throw new UsageError(`${name} needs a value.`);
  out.startAt = parsed.at;
}
