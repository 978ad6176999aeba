// Where job wrappers record how their command ended: one shared, append-only file of
// `<run key> <exit code>` lines, each run's preceded by a `<run key> started` line written just
// before its command runs. Appending a line to an existing file is far cheaper than creating
// a file per run (file creation dominates per-job cost on ext4), and short O_APPEND writes from
// parallel jobs do not interleave.
import * as fs from 'node:fs';
import * as path from 'node:path';

const JOURNAL_NAME = 'exit-codes';
const STARTED = 'started';

export interface RunRecordPlace {
  /** `<job id>.<attempt>`: the run's lines in the journal start with it. */
  exitKey: string;
  /** The journal file: `exit-codes` next to the run's log. */
  exitJournal: string;
}

/** Where a run records itself. The one rule, used both to start a run and to look for it later. */
export function runRecordPlace(run: { jobId: string; attempt: number; logPath: string }): RunRecordPlace {
  return { exitKey: `${run.jobId}.${run.attempt}`, exitJournal: path.join(path.dirname(run.logPath), JOURNAL_NAME) };
}

export interface RecordedExit {
  exitCode: number;
  /** When the journal last changed: exact for the last line, an upper bound otherwise. */
  finishedAt: number;
}

/** The exit status recorded for run `key`; its `started` line does not count. */
export function readRecordedExit(journal: string, key: string): RecordedExit | undefined {
  const code = findValue(journal, key, (value) => /^\d+$/.test(value));
  return code === undefined ? undefined : { exitCode: Number(code), finishedAt: mtime(journal) };
}

/** Whether the wrapper of run `key` got as far as running its command (it wrote `started`). */
export function readStartedMark(journal: string, key: string): boolean {
  return findValue(journal, key, (value) => value === STARTED) !== undefined;
}

/** The newest complete line `<key> <value>` whose value passes `accept`, searching from the end. */
function findValue(journal: string, key: string, accept: (value: string) => boolean): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(journal, 'utf8');
  } catch {
    return undefined;
  }
  const prefix = `${key} `;
  // Search from the end: the newest runs are at the bottom. A line counts only once complete.
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 2) + 1;
    const line = text.slice(start, end);
    if (line.startsWith(prefix) && line.endsWith('\n')) {
      const value = line.slice(prefix.length, -1);
      if (accept(value)) return value;
    }
    end = start;
  }
  return undefined;
}

/** Empties the journal. Only while no run can append to it: every run in it is in the history. */
export function clearJournal(journal: string): void {
  try {
    fs.truncateSync(journal, 0);
  } catch {
    // Nothing recorded yet.
  }
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}
