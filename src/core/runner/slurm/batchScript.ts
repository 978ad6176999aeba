// A queued command that runs a batch script (`./train.sh 3`, `bash train.sh`): the script's
// `#SBATCH` lines are read the way sbatch reads them (from the top, skipping blank lines and other
// comments, up to the first command) and passed to sbatch as options BEFORE the queue's, so the
// options given in the queue override them as sbatch's command line overrides a script. The script
// itself runs as the job's command (inside the queue's wrapper, which is what sbatch is given).
// Directives the queue sets itself (--job-name, --output…) give way to the queue's; those that would
// change what the queue submits (--array, --dependency, --hold, --wait…) refuse the job, named.
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { parse } from 'shell-quote';
import { canonicalWord, readSbatchArgs, reservedProblem, type SbatchOption } from '../../spec/sbatchArgs';

/** sbatch stops at the first command; a script's directives are in its head. Reading stops here anyway. */
const MAX_HEAD_BYTES = 256 * 1024;
/** Directives the queue's own options replace on sbatch's command line (the command line wins). */
const REPLACED_BY_QUEUE = new Set(['job-name', 'output', 'error', 'open-mode', 'chdir', 'comment', 'parsable']);
const SHELLS = /^(?:\/usr)?(?:\/bin\/)?(?:ba|da|z|k)?sh$/;

export type ScriptDirectives =
  | { kind: 'none' }
  | { kind: 'read'; script: string; options: SbatchOption[]; replaced: SbatchOption[] }
  | { kind: 'refused'; message: string };

/** Words of a shell line, as text (variables left as written; an operator or comment ends them). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const word of parse(line, (name) => `$${name}`)) {
    if (typeof word !== 'string') break;
    words.push(word);
  }
  return words;
}

/**
 * The script a command line runs: its first word when it is a path (`./train.sh`; a bare word is
 * looked up on PATH by the shell, so it is a program, not a file of the job's folder), or the script
 * given to a shell (`bash train.sh`).
 */
export function scriptOfCommand(command: string): string | undefined {
  const [first, ...rest] = shellWords(command);
  if (first === undefined) return undefined;
  if (!SHELLS.test(first)) return first.includes('/') ? first : undefined;
  return rest.find((word) => !word.startsWith('-'));
}

/** The `#SBATCH` words of a script, read as sbatch reads them. */
export function directiveWords(text: string): string[] {
  const words: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i === 0 && line.startsWith('#!')) continue;
    const directive = /^#SBATCH(?:\s+(.*))?$/.exec(line.replace(/\r$/, ''));
    if (directive) words.push(...shellWords(directive[1] ?? ''));
    else if (line.trim() !== '' && !line.trimStart().startsWith('#')) break;
  }
  return words;
}

async function readHead(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
    if (!(await handle.stat()).isFile()) return undefined;
    const buffer = Buffer.alloc(MAX_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined; // not a file we can read: the command is not a script of its own
  } finally {
    await handle?.close();
  }
}

/** The directives of the script the command runs (relative to the job's folder), checked. */
export async function scriptDirectives(command: string, cwd: string): Promise<ScriptDirectives> {
  const script = scriptOfCommand(command);
  if (!script) return { kind: 'none' };
  const text = await readHead(path.resolve(cwd, script));
  if (text === undefined) return { kind: 'none' };
  const words = directiveWords(text);
  if (words.length === 0) return { kind: 'none' };
  const read = readSbatchArgs(words);
  if (!read.ok) return { kind: 'refused', message: `${script}'s #SBATCH lines cannot be read as sbatch reads them: ${read.message}` };
  const replaced = read.options.filter((o) => REPLACED_BY_QUEUE.has(o.name));
  const options = read.options.filter((o) => !REPLACED_BY_QUEUE.has(o.name));
  const problem = reservedProblem(options);
  if (problem) return { kind: 'refused', message: `${script}'s #SBATCH lines: ${problem}` };
  return { kind: 'read', script, options, replaced };
}

/** What the job's details say about them ("--time=5 --gres=gpu:1 (from train.sh; the queue's --job-name replaces the script's)"). */
export function describeDirectives(directives: Extract<ScriptDirectives, { kind: 'read' }>): string {
  const applied = directives.options.map(canonicalWord).join(' ') || 'none applied';
  const replaced = [...new Set(directives.replaced.map((o) => `--${o.name}`))];
  return `${applied} (from ${directives.script}${replaced.length > 0 ? `; the queue's own ${replaced.join(', ')} replace${replaced.length === 1 ? 's' : ''} the script's` : ''})`;
}
