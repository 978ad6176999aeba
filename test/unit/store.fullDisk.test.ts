// A real full disk: a 256 KiB tmpfs filled to the brim. Every write must fail as a typed
// storageFailed error, leave the files byte for byte as they were (no torn line, no temp file), never
// reject a promise nobody awaits, and work again once space is freed. Needs root (mount); skipped,
// saying why, where it cannot mount.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobError } from '../../src/core/errors';
import type { Job, QueueSnapshot } from '../../src/core/model';
import { HistoryLog } from '../../src/core/store/historyLog';
import { QueueStore, emptySnapshot } from '../../src/core/store/queueStore';
import { openService, tempDir, waitForEvent, waitForStatus } from './helpers';

describe('store: full disk (tmpfs)', function () {
  let mountDir = '';
  let mounted = false;
  const unhandled: unknown[] = [];
  const spy = (reason: unknown) => unhandled.push(reason);

  before(function () {
    mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-fulldisk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountDir], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
      console.log(`      skipped: cannot mount a tmpfs (${reason}); this test needs root`);
      fs.rmSync(mountDir, { recursive: true, force: true });
      this.skip();
    }
    process.on('unhandledRejection', spy);
  });

  after(() => {
    process.off('unhandledRejection', spy);
    if (!mounted) return;
    try {
      execFileSync('umount', [mountDir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', mountDir], { stdio: 'pipe' });
    }
    fs.rmSync(mountDir, { recursive: true, force: true });
  });

  let dir = '';
  let counter = 0;
  beforeEach(() => {
    dir = path.join(mountDir, `case-${++counter}`);
    fs.mkdirSync(dir);
  });
  afterEach(async () => {
    fs.rmSync(fillerPath(), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    // Any stray rejection surfaces after the microtasks drain.
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(unhandled.splice(0), [], 'no unhandled rejection');
  });

  function fillerPath(): string {
    return path.join(mountDir, 'filler');
  }

  /** Writes a filler file until the file system takes not one more byte. */
  function fillDisk(): void {
    const fd = fs.openSync(fillerPath(), 'w');
    try {
      for (const chunk of [65536, 4096, 1]) {
        const data = Buffer.alloc(chunk, 0x78);
        for (;;) {
          try {
            if (fs.writeSync(fd, data) < chunk) break;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
            break;
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    assert.throws(() => fs.writeFileSync(path.join(mountDir, 'probe'), 'x'), /ENOSPC/);
    fs.rmSync(path.join(mountDir, 'probe'), { force: true });
  }

  function job(id: string, commandLength = 20): Job {
    return { id, spec: { command: `echo ${'x'.repeat(commandLength)}` }, status: 'queued', attempt: 0, createdAt: 1_700_000_000_000 };
  }

  function snapshot(nextId: number): QueueSnapshot {
    return { ...emptySnapshot(), nextId };
  }

  function isStorageFailed(error: unknown): boolean {
    assert.ok(error instanceof JobError, `a JobError, got ${String(error)}`);
    assert.equal(error.code, 'storageFailed');
    assert.match(error.message, /^Could not (save the job history|save the queue|keep a copy of the damaged history\.jsonl) in .*: disk full \(ENOSPC\)\. Free some space and try again\.$/);
    return true;
  }

  function partials(): string[] {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.partial'));
  }

  function sha256(data: Buffer): string {
    return createHash('sha256').update(data).digest('hex');
  }

  it('history, durable snapshot and coalesced snapshot: typed failures, files intact, all working again once space frees', async () => {
    const historyFile = path.join(dir, 'history.jsonl');
    const queueFile = path.join(dir, 'queue.json');
    const log = new HistoryLog(historyFile);
    log.load();
    for (const id of ['1', '2', '3']) log.append('enqueued', job(id));
    log.commit();
    const store = new QueueStore(queueFile, () => undefined);
    store.saveNow(snapshot(4));
    const historyBefore = fs.readFileSync(historyFile);
    const queueBefore = fs.readFileSync(queueFile);
    const stateBefore = { seq: log.seq, lines: log.lines, check: log.check() };

    fillDisk();
    // The log's last page has room left: a record longer than a page is written in part, then the
    // disk refuses the rest. That short write is what must not be left behind as a torn line.
    const stat = fs.statSync(historyFile);
    assert.ok(stat.blocks * 512 > stat.size, 'precondition: the log can take some bytes, not all');
    for (let i = 0; i < 2; i++) {
      assert.throws(() => log.append('enqueued', job('4', 6000)), isStorageFailed);
      assert.deepEqual(fs.readFileSync(historyFile), historyBefore, 'byte for byte as before: no torn line');
      assert.deepEqual({ seq: log.seq, lines: log.lines, check: log.check() }, stateBefore);
    }
    log.commit(); // nothing new since the last commit: nothing to fail

    assert.throws(() => store.saveNow(snapshot(5)), isStorageFailed);
    assert.deepEqual(fs.readFileSync(queueFile), queueBefore, 'the old queue.json is intact');
    assert.deepEqual(partials(), [], 'no temp file left behind');

    // The coalesced path: the failure reaches flush(), never an unhandled rejection.
    const reported: unknown[] = [];
    const coalesced = new QueueStore(queueFile, (e) => reported.push(e));
    coalesced.save(() => snapshot(6));
    coalesced.save(() => snapshot(7));
    await assert.rejects(coalesced.flush(), isStorageFailed);
    await assert.rejects(coalesced.flush(), isStorageFailed);
    assert.equal(reported.length, 1);
    assert.deepEqual(fs.readFileSync(queueFile), queueBefore);
    assert.deepEqual(partials(), []);

    // Compaction cannot write its new file either: the log stays as it was.
    await assert.rejects(log.compact(() => true), isStorageFailed);
    assert.deepEqual(fs.readFileSync(historyFile), historyBefore);
    assert.deepEqual(partials(), []);

    fs.rmSync(fillerPath());
    const appended = log.append('enqueued', job('4', 6000));
    assert.equal(appended.seq, 4);
    log.commit();
    await coalesced.flush(); // retries the failed write: the latest state lands
    assert.equal(JSON.parse(fs.readFileSync(queueFile, 'utf8')).nextId, 7);
    store.saveNow(snapshot(8));
    log.close();

    const bytes = fs.readFileSync(historyFile);
    assert.deepEqual(log.check(), { bytes: bytes.length, sha256: sha256(bytes) });
    const reread = new HistoryLog(historyFile).load(log.check());
    assert.deepEqual(reread.events.map((e) => e.job?.id), ['1', '2', '3', '4']);
    assert.equal(reread.badLines + Number(reread.tornTail) + Number(reread.renumbered), 0, 'every line read, none repaired');
    assert.equal(JSON.parse(fs.readFileSync(queueFile, 'utf8')).nextId, 8);
  });

  it('a torn tail found on a full disk: read all the same, repaired before the next append once space frees', () => {
    const historyFile = path.join(dir, 'history.jsonl');
    const seed = new HistoryLog(historyFile);
    seed.load();
    seed.append('enqueued', job('1'));
    seed.append('enqueued', job('2'));
    seed.close();
    fs.appendFileSync(historyFile, '{"v":1,"seq":3,"at":1,"type":"enq');
    const torn = fs.readFileSync(historyFile);

    fillDisk();
    const log = new HistoryLog(historyFile);
    const loaded = log.load();
    assert.deepEqual(loaded.events.map((e) => e.seq), [1, 2]);
    assert.equal(loaded.tornTail, true);
    assert.ok(loaded.repairFailed && isStorageFailed(loaded.repairFailed) === true, 'the copy could not be kept, so nothing was cut');
    assert.deepEqual(fs.readFileSync(historyFile), torn);
    assert.deepEqual(fs.readdirSync(dir), ['history.jsonl'], 'no half copy');
    assert.throws(() => log.append('enqueued', job('3')), isStorageFailed);
    assert.deepEqual(fs.readFileSync(historyFile), torn);

    fs.rmSync(fillerPath());
    assert.equal(log.append('enqueued', job('3')).seq, 3);
    log.commit();
    log.close();
    const reread = new HistoryLog(historyFile).load();
    assert.deepEqual(reread.events.map((e) => [e.seq, e.job?.id]), [[1, '1'], [2, '2'], [3, '3']]);
    assert.equal(reread.tornTail, false);
    const copies = fs.readdirSync(dir).filter((f) => f.startsWith('history.jsonl.corrupt-'));
    assert.equal(copies.length, 1);
    assert.deepEqual(fs.readFileSync(path.join(dir, copies[0]!)), torn, 'the copy is the file as it was');
  });

  it('the engine on a full disk: nothing is acknowledged, nothing starts unrecorded, and it all works once space frees', async () => {
    const marker = path.join(tempDir(), 'marker');
    // Records bigger than a page: a small line could still fit in the slack of the file's last page.
    const padding = `# ${'x'.repeat(8192)}`;
    const service = await openService({ storageDir: dir });
    const a = service.enqueue({ command: `echo ran >> ${marker} ${padding}` });
    await service.flush();
    fillDisk();
    // enqueue: refused with a plain, typed error, and the queue is as it was.
    assert.throws(() => service.enqueue({ command: `true ${padding}` }), isStorageFailed);
    assert.deepEqual(service.getSnapshot().queued.map((j) => j.id), [a.id]);
    // Send Job: the start cannot be recorded, so the job does not start.
    const warned = waitForEvent(service, (e) => e.type === 'storeWarning');
    try {
      assert.notEqual(service.sendNextJob().outcome, 'started');
    } catch (error) {
      isStorageFailed(error);
    }
    await warned;
    assert.deepEqual(service.getSnapshot().running, []);
    assert.deepEqual(service.getSnapshot().queued.map((j) => j.id), [a.id]);
    assert.equal(fs.existsSync(marker), false, 'nothing ran');
    // Space again: the same job runs, once; the next id was never given away.
    fs.rmSync(fillerPath(), { force: true });
    const sent = service.sendNextJob();
    assert.equal(sent.outcome, 'started');
    await waitForStatus(service, a.id, 'completed');
    assert.deepEqual(fs.readFileSync(marker, 'utf8').split('\n').filter(Boolean), ['ran']);
    assert.equal(service.enqueue({ command: 'true' }).id, String(Number(a.id) + 1));
    await service.dispose();
  });
});
