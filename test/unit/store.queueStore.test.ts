// The queue snapshot: coalesced saves, the durable saveNow, and flush() telling the truth about
// failures — with no unhandled rejection anywhere. Failures come from a folder that disappears
// (the full-disk case is in store.fullDisk.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobError } from '../../src/core/errors';
import type { QueueSnapshot } from '../../src/core/model';
import { CoalescingWriter } from '../../src/core/store/coalescingWriter';
import { QueueStore, emptySnapshot } from '../../src/core/store/queueStore';
import { tempDir as sharedTempDir } from './helpers';

const tempDir = (): string => sharedTempDir('jq-store-');

/** Lets any stray rejection surface (Node reports them after the microtask queue drains). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 10));
}

function snapshot(nextId: number): QueueSnapshot {
  return { ...emptySnapshot(), nextId };
}

function isStorageFailed(error: unknown): boolean {
  return error instanceof JobError && error.code === 'storageFailed';
}

function partials(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.partial')) : [];
}

describe('store: QueueStore', () => {
  const unhandled: unknown[] = [];
  const spy = (reason: unknown) => unhandled.push(reason);
  before(() => process.on('unhandledRejection', spy));
  after(() => process.off('unhandledRejection', spy));
  afterEach(async () => {
    await settle();
    assert.deepEqual(unhandled.splice(0), [], 'no unhandled rejection');
  });

  it('saveNow writes at once and durably; load reads it back', () => {
    const dir = tempDir();
    const store = new QueueStore(path.join(dir, 'queue.json'), () => assert.fail('no error expected'));
    store.saveNow(snapshot(7));
    const loaded = store.load();
    assert.equal(loaded.kind, 'loaded');
    assert.equal(loaded.kind === 'loaded' && loaded.snapshot.nextId, 7);
    assert.deepEqual(partials(dir), []);
  });

  it('coalesces a burst of saves, and the last state lands', async () => {
    const dir = tempDir();
    const store = new QueueStore(path.join(dir, 'queue.json'), () => assert.fail('no error expected'));
    let renders = 0;
    for (let i = 1; i <= 50; i++) store.save(() => (renders++, snapshot(i)));
    await store.flush();
    assert.ok(renders <= 2, `rendered ${renders} times for 50 saves`);
    const loaded = store.load();
    assert.equal(loaded.kind === 'loaded' && loaded.snapshot.nextId, 50);
  });

  it('flush rejects with storageFailed while the latest write fails, and resolves once one succeeds', async () => {
    const dir = path.join(tempDir(), 'storage');
    const errors: unknown[] = [];
    const store = new QueueStore(path.join(dir, 'queue.json'), (e) => errors.push(e));
    store.save(() => snapshot(2));
    store.save(() => snapshot(3));
    await assert.rejects(store.flush(), (e: unknown) => isStorageFailed(e) && /Could not save the queue in .*storage: the folder is missing \(ENOENT\)/.test((e as Error).message));
    await assert.rejects(store.flush(), isStorageFailed, 'still failing: flush tried again and says so again');
    assert.equal(errors.length, 1, 'the same failure is reported once');
    assert.ok(isStorageFailed(errors[0]));

    fs.mkdirSync(dir);
    await store.flush();
    const loaded = store.load();
    assert.equal(loaded.kind === 'loaded' && loaded.snapshot.nextId, 3, 'the retry wrote the latest state');
    store.save(() => snapshot(4));
    await store.flush();
  });

  it('saveNow throws storageFailed, and flush does not claim the state is saved until it is', async () => {
    const dir = path.join(tempDir(), 'storage');
    const store = new QueueStore(path.join(dir, 'queue.json'), () => undefined);
    assert.throws(() => store.saveNow(snapshot(5)), isStorageFailed);
    await assert.rejects(store.flush(), isStorageFailed);
    fs.mkdirSync(dir);
    await store.flush();
    const loaded = store.load();
    assert.equal(loaded.kind === 'loaded' && loaded.snapshot.nextId, 5, 'the durable write that failed was retried');
  });

  it('a coalesced write in flight (older state) never lands after saveNow', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'queue.json');
    const store = new QueueStore(file, () => assert.fail('no error expected'));
    let rendered!: () => void;
    const started = new Promise<void>((resolve) => (rendered = resolve));
    store.save(() => {
      rendered();
      return snapshot(10);
    });
    await started; // the async write of nextId 10 is now in flight
    store.saveNow(snapshot(11));
    await store.flush();
    const loaded = store.load();
    assert.equal(loaded.kind === 'loaded' && loaded.snapshot.nextId, 11);
    assert.deepEqual(partials(dir), [], 'the superseded temp file was removed');
  });

  it('an error listener that throws does not become an unhandled rejection', async () => {
    const dir = path.join(tempDir(), 'storage');
    const writer = new CoalescingWriter(path.join(dir, 'queue.json'), () => {
      throw new Error('listener bug');
    });
    writer.schedule(() => ({ data: 'x' }));
    await assert.rejects(writer.flush(), isStorageFailed);
  });

  it('read-only load of a damaged file keeps no copy; an owner load does', () => {
    const dir = tempDir();
    const file = path.join(dir, 'queue.json');
    fs.writeFileSync(file, '{"version":1,"queued":[');
    const store = new QueueStore(file, () => undefined);
    const readOnly = store.load({ readOnly: true });
    assert.equal(readOnly.kind, 'corrupt');
    assert.equal(readOnly.kind === 'corrupt' && readOnly.backupPath, undefined);
    assert.deepEqual(fs.readdirSync(dir), ['queue.json']);
    const owner = store.load();
    assert.ok(owner.kind === 'corrupt' && owner.backupPath && fs.existsSync(owner.backupPath));
  });
});
