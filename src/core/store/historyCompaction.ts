// The parts of a background compaction of the history log that need none of its state: reading the
// part of the file to rewrite without blocking the thread, filtering it a slice at a time, and
// carrying over what was appended meanwhile. HistoryLog.compact() puts them together.
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import type { HistoryEvent } from '../model';
import { errnoError } from './storageError';

/** Lines filtered per turn of the event loop (a few milliseconds' work). */
const SLICE_LINES = 2000;

export interface KeptLines {
  content: string;
  lines: number;
  bytes: number;
  /** sha256 of `content`, to go on with what is appended after it. */
  hash: Hash;
}

/**
 * The lines of `prefix` (whole lines of valid events, as the log wrote them) that `keep` says yes
 * to, byte for byte; yields between slices, and gives up (undefined) once `stale()` says so.
 */
export async function filterLines(prefix: Buffer, keep: (event: HistoryEvent) => boolean, stale: () => boolean): Promise<KeptLines | undefined> {
  const hash = createHash('sha256');
  const kept: string[] = [];
  let bytes = 0;
  let start = 0;
  let inSlice = 0;
  while (start < prefix.length) {
    const end = prefix.indexOf(0x0a, start);
    const line = prefix.toString('utf8', start, end) + '\n';
    start = end + 1;
    if (keep(JSON.parse(line) as HistoryEvent)) {
      kept.push(line);
      hash.update(line);
      bytes += Buffer.byteLength(line);
    }
    if (++inSlice === SLICE_LINES) {
      inSlice = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stale()) return undefined;
    }
  }
  return { content: kept.join(''), lines: kept.length, bytes, hash };
}

/** The first `bytes` of `file`, read without blocking the thread. */
export async function readPrefix(file: string, bytes: number): Promise<Buffer> {
  const buffer = Buffer.alloc(bytes);
  if (bytes === 0) return buffer;
  const handle = await fs.promises.open(file, 'r');
  try {
    let read = 0;
    while (read < bytes) {
      const { bytesRead } = await handle.read(buffer, read, bytes - read, read);
      if (bytesRead <= 0) throw errnoError('EIO', 'the job history ended early');
      read += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return buffer;
}

/** Bytes `from` to `to` of `file` (what was appended during a compaction: a few lines), read at once. */
export function readRange(file: string, from: number, to: number): Buffer {
  const range = Buffer.alloc(Math.max(0, to - from));
  if (range.length === 0) return range;
  const fd = fs.openSync(file, 'r');
  try {
    let read = 0;
    while (read < range.length) {
      const n = fs.readSync(fd, range, read, range.length - read, from + read);
      if (n <= 0) throw errnoError('EIO', 'the job history ended early');
      read += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return range;
}
