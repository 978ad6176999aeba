// Where job wrappers record how their command ended: one shared, append-only file of
// `<run key> <exit code>` lines. Appending a line to an existing file is far cheaper than creating
// a file per run (file creation dominates per-job cost on ext4), and short O_APPEND writes from
// parallel jobs do not interleave.
import * as fs from 'node:fs';

export interface RecordedExit {
  exitCode: number;
  /** When the journal last changed: exact for the last line, an upper bound otherwise. */
  finishedAt: number;
}

export function readRecordedExit(journal: string, key: string): RecordedExit | undefined {
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
      const code = line.slice(prefix.length, -1);
      if (/^\d+$/.test(code)) return { exitCode: Number(code), finishedAt: mtime(journal) };
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
