// The history log on real files: all-or-nothing appends, group commit, and a loader that repairs a
// damaged log (torn tail, reordered or duplicated lines) without dropping a valid line.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobError } from '../../src/core/errors';
import type { HistoryEvent, Job } from '../../src/core/model';
import { HistoryLog } from '../../src/core/store/historyLog';
import { tempDir as sharedTempDir } from './helpers';

const tempDir = (): string => sharedTempDir('jq-store-');

function job(id: string, status: Job['status'] = 'queued'): Job {
  return { id, spec: { command: `echo ${id}` }, status, attempt: 0, createdAt: 1_700_000_000_000 };
}

/** One history line as the log writes it. */
function line(seq: number, id: string, type: HistoryEvent['type'] = 'enqueued', status: Job['status'] = 'queued'): string {
  return JSON.stringify({ v: 1, seq, at: 1_700_000_000_000 + seq, type, job: job(id, status) }) + '\n';
}

function backups(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.startsWith('history.jsonl.corrupt-'));
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('store: HistoryLog appends', () => {
  it('appends lines in call order, and check() vouches for exactly the bytes on disk', () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const log = new HistoryLog(file);
    assert.deepEqual(log.load().events, []);
    const events = ['1', '2', '3'].map((id) => log.append('enqueued', job(id)));
    log.close();
    assert.deepEqual(events.map((e) => e.seq), [1, 2, 3]);
    const bytes = fs.readFileSync(file);
    assert.deepEqual(log.check(), { bytes: bytes.length, sha256: sha256(bytes) });
    const again = new HistoryLog(file).load(log.check());
    assert.deepEqual(again.events, events);
    assert.equal(again.badLines, 0);
  });

  it('throws storageFailed on a device that is always full, and changes nothing it tracks', () => {
    // /dev/full: every write fails with ENOSPC (the short-write case is in store.fullDisk.test.ts).
    if (!fs.existsSync('/dev/full')) return;
    const log = new HistoryLog('/dev/full');
    const before = { seq: log.seq, lines: log.lines, check: log.check() };
    assert.throws(() => log.append('enqueued', job('1')), (error: unknown) => {
      assert.ok(error instanceof JobError);
      assert.equal(error.code, 'storageFailed');
      assert.match(error.message, /^Could not save the job history in \/dev: disk full \(ENOSPC\)\./);
      return true;
    });
    assert.deepEqual({ seq: log.seq, lines: log.lines, check: log.check() }, before);
    log.close();
  });
});

describe('store: HistoryLog.commit (group commit)', () => {
  it('syncs only when something was appended since the last commit', () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const log = new HistoryLog(file);
    log.load();
    log.commit();
    assert.equal(log.syncCount, 0, 'nothing appended: nothing to sync');
    log.append('enqueued', job('1'));
    log.commit();
    // The log created the file: its folder entry is synced too, once.
    assert.equal(log.syncCount, 2);
    log.commit();
    assert.equal(log.syncCount, 2, 'a second commit with nothing new is free');
    log.append('started', job('1', 'running'));
    log.append('finished', job('1', 'completed'));
    log.append('enqueued', job('2'));
    log.commit();
    assert.equal(log.syncCount, 3, 'three records, one sync');
    log.close();
    const reopened = new HistoryLog(file);
    assert.equal(reopened.load().events.length, 4);
    reopened.append('enqueued', job('3'));
    reopened.commit();
    assert.equal(reopened.syncCount, 1, 'an existing file needs no folder sync');
    reopened.close();
  });
});

describe('store: HistoryLog.load repairs', () => {
  it('cuts a torn last line away (after keeping a copy), so the next append starts on a fresh line', () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.jsonl');
    const torn = line(3, 'c').slice(0, 40);
    const original = line(1, 'a') + line(2, 'b') + torn;
    fs.writeFileSync(file, original);

    const log = new HistoryLog(file);
    const loaded = log.load();
    assert.deepEqual(loaded.events.map((e) => e.seq), [1, 2]);
    assert.equal(loaded.tornTail, true);
    assert.equal(loaded.renumbered, false);
    assert.ok(loaded.backupPath && fs.existsSync(loaded.backupPath));
    assert.equal(fs.readFileSync(loaded.backupPath, 'utf8'), original, 'the copy is the file as it was');
    assert.equal(fs.readFileSync(file, 'utf8'), line(1, 'a') + line(2, 'b'), 'the torn bytes are gone at once');
    log.append('enqueued', job('d'));
    log.close();

    const reread = new HistoryLog(file).load();
    assert.deepEqual(reread.events.map((e) => [e.seq, e.job?.id]), [[1, 'a'], [2, 'b'], [3, 'd']]);
    assert.equal(reread.badLines, 0);
    assert.equal(reread.tornTail, false);
    assert.ok(!fs.readFileSync(file, 'utf8').includes(torn), 'not glued to the next line');
    assert.equal(backups(dir).length, 1);
  });

  it('cuts a complete record that lacks its newline too: its append never returned', () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.jsonl');
    fs.writeFileSync(file, line(1, 'a') + line(2, 'b').trimEnd());
    const loaded = new HistoryLog(file).load();
    assert.deepEqual(loaded.events.map((e) => e.seq), [1]);
    assert.equal(loaded.tornTail, true);
    assert.equal(fs.readFileSync(file, 'utf8'), line(1, 'a'));
  });

  it('keeps valid lines whose seq goes backwards, in file order, and renumbers the log (1,2,5,3,4)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.jsonl');
    const original = line(1, 'a') + line(2, 'b') + line(5, 'e', 'finished', 'completed') + line(3, 'c', 'finished', 'completed') + line(4, 'd', 'finished', 'completed');
    fs.writeFileSync(file, original);

    const log = new HistoryLog(file);
    const loaded = log.load();
    assert.deepEqual(loaded.events.map((e) => [e.seq, e.job?.id]), [[1, 'a'], [2, 'b'], [3, 'e'], [4, 'c'], [5, 'd']]);
    assert.equal(loaded.renumbered, true);
    assert.equal(loaded.badLines, 0, 'nothing was skipped');
    assert.ok(loaded.backupPath);
    assert.equal(fs.readFileSync(loaded.backupPath, 'utf8'), original);
    assert.equal(log.seq, 5);
    assert.equal(log.append('enqueued', job('f')).seq, 6, 'appends continue after the renumbered seqs');
    log.close();

    const reread = new HistoryLog(file).load(log.check());
    assert.deepEqual(reread.events.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(reread.events.map((e) => e.job?.id), ['a', 'b', 'e', 'c', 'd', 'f']);
    assert.equal(reread.renumbered, false, 'repaired once, not at every open');
    assert.equal(backups(dir).length, 1);
  });

  it('drops an exact duplicate line without renumbering anything', () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.jsonl');
    // Seqs with gaps, as compaction leaves them: they must survive as they are.
    fs.writeFileSync(file, line(1, 'a') + line(4, 'b') + line(4, 'b') + line(9, 'c'));
    const loaded = new HistoryLog(file).load();
    assert.deepEqual(loaded.events.map((e) => e.seq), [1, 4, 9]);
    assert.equal(loaded.duplicates, 1);
    assert.equal(loaded.badLines, 1);
    assert.equal(loaded.renumbered, false);
    assert.ok(loaded.backupPath);
    assert.equal(fs.readFileSync(file, 'utf8'), line(1, 'a') + line(4, 'b') + line(9, 'c'));
  });

  it('keeps two different lines with the same seq (two writers), renumbered', () => {
    const file = path.join(tempDir(), 'history.jsonl');
    fs.writeFileSync(file, line(1, 'a') + line(2, 'b') + line(2, 'x') + line(2, 'b') + line(3, 'c'));
    const loaded = new HistoryLog(file).load();
    assert.deepEqual(loaded.events.map((e) => [e.seq, e.job?.id]), [[1, 'a'], [2, 'b'], [3, 'x'], [4, 'c']]);
    assert.equal(loaded.duplicates, 1, 'the repeated "b" line is the only one dropped');
    assert.equal(loaded.renumbered, true);
  });

  it('repairs everything at once: a garbage line, a reordered line and a torn tail', () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.jsonl');
    fs.writeFileSync(file, line(1, 'a') + '{"v":1,"seq":2,"type":"enq\n' + line(3, 'c') + line(2, 'b') + '\u0000\u0000{"v":1');
    const log = new HistoryLog(file);
    const loaded = log.load();
    assert.deepEqual(loaded.events.map((e) => [e.seq, e.job?.id]), [[1, 'a'], [2, 'c'], [3, 'b']]);
    assert.equal(loaded.badLines, 1);
    assert.equal(loaded.tornTail, true);
    assert.equal(loaded.renumbered, true);
    assert.equal(backups(dir).length, 1, 'one copy for one repair');
    const bytes = fs.readFileSync(file);
    assert.deepEqual(log.check(), { bytes: bytes.length, sha256: sha256(bytes) }, 'check() matches the repaired file');
  });

  it('read-only: repairs nothing on disk, but a later append on the same log repairs first', () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.jsonl');
    const original = line(1, 'a') + line(3, 'c') + line(2, 'b') + line(4, 'd').slice(0, 10);
    fs.writeFileSync(file, original);
    const log = new HistoryLog(file);
    const loaded = log.load(undefined, { readOnly: true });
    assert.deepEqual(loaded.events.map((e) => [e.seq, e.job?.id]), [[1, 'a'], [2, 'c'], [3, 'b']]);
    assert.equal(loaded.renumbered, true);
    assert.equal(loaded.tornTail, true);
    assert.equal(loaded.backupPath, undefined);
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'untouched');
    assert.deepEqual(backups(dir), []);

    log.append('enqueued', job('e'));
    log.close();
    assert.equal(backups(dir).length, 1);
    const reread = new HistoryLog(file).load();
    assert.deepEqual(reread.events.map((e) => [e.seq, e.job?.id]), [[1, 'a'], [2, 'c'], [3, 'b'], [4, 'e']]);
    assert.equal(reread.tornTail || reread.renumbered || reread.badLines > 0, false);
  });

  it('does not trust a vouch that ends mid-line, even with a matching hash', () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const text = line(1, 'a') + line(2, 'b');
    fs.writeFileSync(file, text);
    const cut = line(1, 'a').length + 7;
    const loaded = new HistoryLog(file).load({ bytes: cut, sha256: sha256(Buffer.from(text).subarray(0, cut)) });
    assert.deepEqual(loaded.events.map((e) => e.seq), [1, 2]);
    assert.equal(loaded.badLines, 0);
  });

  it('validates a trusted line that does not parse instead of throwing', () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const text = line(1, 'a') + 'not json\n' + line(2, 'b');
    fs.writeFileSync(file, text);
    const loaded = new HistoryLog(file).load({ bytes: text.length, sha256: sha256(text) });
    assert.deepEqual(loaded.events.map((e) => e.seq), [1, 2]);
    assert.equal(loaded.badLines, 1);
  });

  it('compacts in order and keeps appending after it', async () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const log = new HistoryLog(file);
    log.load();
    for (const id of ['1', '2', '3', '4']) log.append('enqueued', job(id));
    assert.equal(await log.compact((e) => e.job?.id !== '2'), 3);
    assert.deepEqual(new HistoryLog(file).load().events.map((e) => e.seq), [1, 3, 4]);
    assert.equal(log.lines, 3);
    assert.equal(log.append('enqueued', job('5')).seq, 5);
    log.close();
    const bytes = fs.readFileSync(file);
    assert.deepEqual(log.check(), { bytes: bytes.length, sha256: sha256(bytes) });
    assert.deepEqual(new HistoryLog(file).load(log.check()).events.map((e) => e.seq), [1, 3, 4, 5]);
  });

  it('compacts in the background: what is appended meanwhile is carried over, in order, and check() matches the file', async () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const log = new HistoryLog(file);
    log.load();
    for (let i = 1; i <= 5000; i++) log.append('enqueued', job(String(i)));
    const compacting = log.compact((e) => Number(e.job?.id) % 2 === 0);
    // Appends while it filters (it yields between slices): none may be lost or reordered.
    for (let i = 5001; i <= 5003; i++) log.append('enqueued', job(String(i)));
    await new Promise((resolve) => setImmediate(resolve));
    log.append('enqueued', job('5004'));
    assert.equal(await compacting, 2500 + 4);
    const seqs = new HistoryLog(file).load().events.map((e) => e.seq);
    assert.deepEqual(seqs.slice(-5), [5000, 5001, 5002, 5003, 5004]);
    assert.equal(seqs.length, 2504);
    assert.equal(log.append('enqueued', job('5005')).seq, 5005);
    log.close();
    const bytes = fs.readFileSync(file);
    assert.deepEqual(log.check(), { bytes: bytes.length, sha256: sha256(bytes) });
  });

  it('a compaction that finds the log read again meanwhile gives up and changes nothing', async () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const log = new HistoryLog(file);
    log.load();
    for (let i = 1; i <= 3000; i++) log.append('enqueued', job(String(i)));
    const compacting = log.compact(() => false);
    log.load();
    assert.equal(await compacting, undefined);
    assert.equal(new HistoryLog(file).load().events.length, 3000);
  });

  it('numbers on after the seq the snapshot includes, even when compaction dropped the lines that reached it', async () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const log = new HistoryLog(file);
    log.load();
    for (const id of ['1', '2', '3', '4']) log.append('enqueued', job(id));
    await log.compact((e) => e.seq <= 2); // seqs 3 and 4 gone from the file; a snapshot includes them
    log.close();
    const reopened = new HistoryLog(file);
    reopened.load(undefined, { seqFloor: 4 });
    assert.equal(reopened.append('enqueued', job('5')).seq, 5, 'seq 3 would be skipped by a replay from the snapshot');
    reopened.close();
  });
});
