// Progress and ETA from a job's own output. Pure functions: no I/O, no clocks.
import stripAnsi from 'strip-ansi';

const EXPLICIT = /::progress\s+(\d+(?:\.\d+)?)/;
// `42%`, `42.5 %` — the last one on the line wins (tqdm prints one, pip-style bars print one).
const PERCENT = /(\d{1,3}(?:\.\d+)?)\s?%/g;
// `3/10`, `[3/10]`, `(3 / 10)`, tqdm's `42/100` — but not paths, dates or fractions inside words.
const FRACTION = /(?:^|[\s[(])(\d+)\s?\/\s?(\d+)(?=$|[\s\]),:|])/g;

function lastMatch(regex: RegExp, line: string): RegExpExecArray | undefined {
  regex.lastIndex = 0;
  let found: RegExpExecArray | undefined;
  for (let m = regex.exec(line); m; m = regex.exec(line)) found = m;
  return found;
}

/**
 * What a line shows last: escape codes removed, and of a line redrawn with \r (a progress bar) its
 * latest non-blank state.
 */
function shownText(line: string): string {
  // Escape sequences (colours, erase, cursor moves) are not text: `\x1b[32m3/10` says 3/10.
  const redraws = stripAnsi(line).split('\r');
  for (let i = redraws.length - 1; i > 0; i--) if (redraws[i]!.trim() !== '') return redraws[i]!;
  return redraws[0]!;
}

/** Percent (0..100) said by one line of output, if any. */
export function parseProgressLine(raw: string): number | undefined {
  const line = shownText(raw);
  const explicit = EXPLICIT.exec(line);
  if (explicit) return clampPercent(Number(explicit[1]));
  const percent = lastMatch(PERCENT, line);
  if (percent) {
    const value = Number(percent[1]);
    if (value <= 100) return value;
  }
  const fraction = lastMatch(FRACTION, line);
  if (fraction) {
    const done = Number(fraction[1]);
    const total = Number(fraction[2]);
    if (total > 0 && done <= total) return (done / total) * 100;
  }
  return undefined;
}

/** The most recent progress in a run of lines (latest line first). */
export function latestProgress(lines: readonly string[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const value = parseProgressLine(lines[i]!);
    if (value !== undefined) return value;
  }
  return undefined;
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

export interface EtaInput {
  percent: number | undefined;
  /** Run time so far, paused time excluded. */
  elapsedMs: number;
  /** Median duration of earlier completed runs of the same command, if any. */
  typicalDurationMs: number | undefined;
}

export interface Eta {
  etaMs?: number;
  etaSource?: 'rate' | 'history';
}

/** ETA from the progress rate once there is enough of it, else from earlier runs, else none. */
export function estimateEta({ percent, elapsedMs, typicalDurationMs }: EtaInput): Eta {
  if (percent !== undefined && percent >= 1 && percent < 100 && elapsedMs >= 1000) {
    return { etaMs: Math.round((elapsedMs * (100 - percent)) / percent), etaSource: 'rate' };
  }
  if (typicalDurationMs !== undefined) {
    return { etaMs: Math.max(0, typicalDurationMs - elapsedMs), etaSource: 'history' };
  }
  return {};
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
