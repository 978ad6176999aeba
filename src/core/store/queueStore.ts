// The queue snapshot: one versioned JSON file, replaced atomically after every change. Two ways to
// save it: save() (coalesced, asynchronous: for state the history log can rebuild) and saveNow()
// (synchronous and durable: for state that must survive a power loss before it is acknowledged).
// Every failure is a `storageFailed` JobError: thrown by saveNow(), given by flush(), and reported once
// through `onWriteError` for the coalesced writes nobody awaits.
import * as fs from 'node:fs';
import { JobSchema, QUEUE_SNAPSHOT_VERSION, QueueSnapshotSchema, QueueSnapshotV1Schema, migrateSnapshotV1, type QueueSnapshot } from '../model';
import { backupCorruptFile } from './atomicFile';
import { CoalescingWriter, type Rendered } from './coalescingWriter';
import { errorCode, storageFailed } from './storageError';

/** Completes "Could not … in <folder>". */
const SAVE_ACTION = 'save the queue';

const SNAPSHOT_MIN_INTERVAL_MS = 25;

export type SnapshotLoadResult =
  | { kind: 'missing' }
  /** `migratedFrom`: the version the file had (an older one is read as the current one; the next save writes it). */
  | { kind: 'loaded'; snapshot: QueueSnapshot; migratedFrom?: number }
  /** `backupPath`: the copy kept before anything else (none when loaded read-only). */
  | { kind: 'corrupt'; backupPath?: string; reason: string; partial: Partial<Pick<QueueSnapshot, 'autoRun' | 'paused' | 'nextId' | 'queued' | 'running' | 'lanes'>> };

export function emptySnapshot(): QueueSnapshot {
  return { version: QUEUE_SNAPSHOT_VERSION, seq: 0, nextId: 1, autoRun: false, paused: false, queued: [], running: [], lanes: {} };
}

export class QueueStore {
  private readonly writer: CoalescingWriter;
  /**
   * The history seq the snapshot in the file includes (0: none, or damaged). Compaction may drop a
   * history line only at or below it: above it, replay needs the line to rebuild the queue.
   */
  landedSeq = 0;

  constructor(private readonly file: string, onWriteError: (error: unknown) => void) {
    // Lifecycle transitions are durable in the history log the moment they happen (a lagging
    // snapshot is repaired by replay), so the snapshot can be spaced out under load.
    this.writer = new CoalescingWriter(file, onWriteError, SNAPSHOT_MIN_INTERVAL_MS, SAVE_ACTION);
  }

  /**
   * Throws storageFailed if the file cannot be read, or is damaged and no copy of it can be kept
   * (a full disk): a damaged file is never left to be overwritten without a copy. `readOnly` (a
   * window that does not own the queue) keeps no copy: it will not write the file.
   */
  load(options: { readOnly?: boolean } = {}): SnapshotLoadResult {
    this.landedSeq = 0;
    const backup = () => (options.readOnly ? {} : { backupPath: backupCorruptFile(this.file) });
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
      throw storageFailed('read the queue', this.file, error);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { kind: 'corrupt', ...backup(), reason: `not JSON (${(error as Error).message})`, partial: {} };
    }
    // Version 1 (before lanes) is read as it is and migrated; everything in it is kept unchanged.
    if (typeof raw === 'object' && raw !== null && (raw as { version?: unknown }).version === 1) {
      const v1 = QueueSnapshotV1Schema.safeParse(raw);
      if (v1.success) {
        const snapshot = migrateSnapshotV1(v1.data);
        this.landedSeq = snapshot.seq;
        return { kind: 'loaded', snapshot, migratedFrom: 1 };
      }
    }
    const parsed = QueueSnapshotSchema.safeParse(raw);
    if (parsed.success) {
      this.landedSeq = parsed.data.seq;
      return { kind: 'loaded', snapshot: parsed.data };
    }
    return {
      kind: 'corrupt',
      ...backup(),
      reason: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      partial: salvage(raw),
    };
  }

  /** Schedules a write of the state `render` returns when the write starts (bursts coalesce). */
  save(render: () => QueueSnapshot): void {
    this.writer.schedule(() => this.rendered(render()));
  }

  /**
   * Writes `snapshot` now: temp file, write, fsync, rename, fsync of the folder. When it returns the
   * snapshot survives a power loss; on failure it throws storageFailed and the previous file is
   * intact. A coalesced write already in flight (older state) is dropped rather than landing after it.
   */
  saveNow(snapshot: QueueSnapshot): void {
    this.writer.writeNow(this.rendered(snapshot));
  }

  private rendered(snapshot: QueueSnapshot): Rendered {
    return { data: serializeSnapshot(snapshot), landed: () => (this.landedSeq = Math.max(this.landedSeq, snapshot.seq)) };
  }

  /**
   * Resolves once every save so far is on disk. Rejects with the storageFailed JobError while the
   * latest write has failed (it tries that write once more first); resolves again once one succeeds.
   */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}

// Job records are immutable (every change makes a new object), so each one's JSON is computed once
// and reused by every later snapshot it appears in.
const jobJson = new WeakMap<object, string>();

function serializeJob(job: object): string {
  let json = jobJson.get(job);
  if (json === undefined) {
    json = JSON.stringify(job);
    jobJson.set(job, json);
  }
  return json;
}

function serializeSnapshot(snapshot: QueueSnapshot): string {
  const { queued, running, ...head } = snapshot;
  const list = (jobs: readonly object[]) => `[${jobs.map(serializeJob).join(',')}]`;
  return `${JSON.stringify(head).slice(0, -1)},"queued":${list(queued)},"running":${list(running)}}`;
}

/** From a snapshot that failed validation, keep every field and job that is still valid on its own. */
function salvage(raw: unknown): Extract<SnapshotLoadResult, { kind: 'corrupt' }>['partial'] {
  if (typeof raw !== 'object' || raw === null) return {};
  const shape = QueueSnapshotSchema.shape;
  const record = raw as Record<string, unknown>;
  const out: Extract<SnapshotLoadResult, { kind: 'corrupt' }>['partial'] = {};
  const autoRun = shape.autoRun.safeParse(record.autoRun);
  if (autoRun.success) out.autoRun = autoRun.data;
  const paused = shape.paused.safeParse(record.paused);
  if (paused.success) out.paused = paused.data;
  const nextId = shape.nextId.safeParse(record.nextId);
  if (nextId.success) out.nextId = nextId.data;
  const lanes = shape.lanes.safeParse(record.lanes);
  if (lanes.success && lanes.data) out.lanes = lanes.data;
  for (const key of ['queued', 'running'] as const) {
    const list = record[key];
    if (!Array.isArray(list)) continue;
    out[key] = list.flatMap((item) => {
      const job = JobSchema.safeParse(item);
      return job.success ? [job.data] : [];
    });
  }
  return out;
}
