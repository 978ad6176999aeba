// A job's environment in words, for the approval dialog and the job's tooltip: where it comes from
// (the terminal that queued it, or the window) and each variable that differs from the window's —
// added, removed, changed (a PATH by the folders it gains or loses) — long values shortened, at most
// a dozen lines. Plain text: callers escape it for markdown (appendText). No vscode import.
import * as path from 'node:path';
import { environmentChanges, type EnvironmentChange } from '../core/environment';
import type { JobEnvironment } from '../core/model';

const MAX_LINES = 12;
/** Set by the terminal or the shell in it, whatever the user's world: the terminal's type, the shell's folder and depth. */
const TERMINAL_OWN = new Set(['TERM', 'COLORTERM', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION', 'PWD', 'OLDPWD', 'SHLVL', 'LINES', 'COLUMNS']);
const MAX_VALUE = 72;

/** "The terminal's (recorded by jobq add); 3 variables differ from the window's", and one line per difference. */
export function environmentSummary(environment: JobEnvironment | undefined, hostEnv: NodeJS.ProcessEnv): { headline: string; lines: string[] } {
  const changes = environmentChanges(environment, hostEnv);
  const from = environment?.kind === 'captured' ? 'the terminal\'s it was queued from (recorded by jobq add)' : 'the window\'s';
  const count = changes.length === 1 ? '1 variable differs' : `${changes.length} variables differ`;
  const same = environment?.kind === 'captured' ? `${from}, the same as the window's` : from;
  const headline = changes.length === 0 ? same : `${from}; ${count} from the window's`;
  // What every terminal sets for itself says nothing about the job's world: named on one line, last.
  const own = changes.filter((c) => TERMINAL_OWN.has(c.name));
  const telling = changes.filter((c) => !TERMINAL_OWN.has(c.name));
  const lines = telling.slice(0, MAX_LINES).map(changeText);
  if (telling.length > MAX_LINES) lines.push(`… and ${telling.length - MAX_LINES} more`);
  if (own.length > 0) lines.push(`and what a terminal sets itself: ${own.map((c) => c.name).join(', ')}`);
  return { headline: headline[0]!.toUpperCase() + headline.slice(1), lines };
}

function changeText(change: EnvironmentChange): string {
  switch (change.kind) {
    case 'added': return `+ ${change.name}=${shorten(change.value)}`;
    case 'removed': return `− ${change.name} (not set; the window has ${shorten(change.was)})`;
    case 'changed': return `~ ${change.name}${listChange(change.was, change.value) ?? `=${shorten(change.value)} (the window has ${shorten(change.was)})`}`;
  }
}

/** A list of folders (PATH, PYTHONPATH, LD_LIBRARY_PATH…) by the entries it gains and loses. */
function listChange(was: string, value: string): string | undefined {
  if (!was.includes(path.delimiter) && !value.includes(path.delimiter)) return undefined;
  const before = was.split(path.delimiter);
  const after = value.split(path.delimiter);
  const added = after.filter((entry) => !before.includes(entry));
  const removed = before.filter((entry) => !after.includes(entry));
  const parts = [
    ...(added.length ? [`adds ${shorten(added.join(path.delimiter))}`] : []),
    ...(removed.length ? [`drops ${shorten(removed.join(path.delimiter))}`] : []),
  ];
  return `: ${parts.length ? parts.join('; ') : 'the same entries in another order'}`;
}

function shorten(value: string): string {
  const oneLine = value.replace(/\r?\n/g, '⏎');
  return oneLine.length > MAX_VALUE ? `${oneLine.slice(0, MAX_VALUE - 20)}…${oneLine.slice(-19)}` : oneLine;
}
