// Reading the history log's bytes: which lines are kept, in which order, and what the file needs to
// become. Pure (no I/O), so every repair rule is tested on exact bytes.
import { HistoryEventSchema, type HistoryEvent } from '../model';

export interface HistoryScan {
  /** Every line kept, in file order, with the seq it has in the file. */
  events: HistoryEvent[];
  /** Lines that are not JSON or not a valid record. */
  badLines: number;
  /** Exact copies (same seq, same bytes) of a line read before: they add nothing, so they are dropped. */
  duplicates: number;
  /**
   * Valid, distinct lines whose seq does not advance (a reordered or merged log). They are kept in
   * file order: dropping them would lose real runs; the caller renumbers the log.
   */
  outOfOrder: number;
  /** The bytes after the last '\n': an append cut short by a crash or a full disk. Never read. */
  tornTail: boolean;
  /** Length of the file up to and including its last '\n': what is left once the torn tail is cut. */
  completeBytes: number;
}

/**
 * `trustedBytes` (a prefix ending on a line boundary that an earlier open validated, or this code
 * wrote) is only JSON-parsed, not validated again; a trusted line that does not even parse is
 * validated like any other, so a wrong vouch can cost time but never data.
 */
export function scanHistory(buffer: Buffer, trustedBytes = 0): HistoryScan {
  const completeBytes = buffer.lastIndexOf(0x0a) + 1;
  const scan: HistoryScan = { events: [], badLines: 0, duplicates: 0, outOfOrder: 0, tornTail: completeBytes < buffer.length, completeBytes };
  const trusted = Math.min(trustedBytes, completeBytes);
  // Lines kept so far by seq: a line that does not advance the sequence is a duplicate only if it is
  // byte for byte one of these.
  const seen = new Map<number, string[]>();
  let lastSeq = 0;
  const take = (text: string, validate: boolean) => {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.trim() === '') continue;
      const event = (validate ? undefined : parseTrusted(line)) ?? parseLine(line);
      if (!event) {
        scan.badLines++;
        continue;
      }
      const same = seen.get(event.seq);
      if (event.seq <= lastSeq) {
        if (same?.includes(line)) {
          scan.duplicates++;
          continue;
        }
        scan.outOfOrder++;
      }
      if (same) same.push(line);
      else seen.set(event.seq, [line]);
      scan.events.push(event);
      lastSeq = Math.max(lastSeq, event.seq);
    }
  };
  take(buffer.toString('utf8', 0, trusted), false);
  take(buffer.toString('utf8', trusted, completeBytes), true);
  return scan;
}

function parseTrusted(line: string): HistoryEvent | undefined {
  try {
    const event = JSON.parse(line) as HistoryEvent | null;
    return typeof event === 'object' && event !== null && Number.isInteger(event.seq) ? event : undefined;
  } catch {
    return undefined;
  }
}

function parseLine(line: string): HistoryEvent | undefined {
  try {
    const parsed = HistoryEventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
