// Atomic writes, copies of damaged files and stale temp files, on real files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobError } from '../../src/core/errors';
import { backupCorruptFile, commitTemp, fsyncDirectory, removeStalePartials, writeFileAtomic, writeFileAtomicSync, writeTemp } from '../../src/core/store/atomicFile';
import { tempDir as sharedTempDir } from './helpers';

const tempDir = (): string => sharedTempDir('jq-store-');

function partials(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.partial')).sort();
}

function isStorageFailed(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof JobError, `a JobError, got ${String(error)}`);
    assert.equal(error.code, 'storageFailed');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('store: atomic writes', () => {
  it('replaces the file and leaves no temp file, sync and async', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'queue.json');
    writeFileAtomicSync(file, 'one');
    assert.equal(fs.readFileSync(file, 'utf8'), 'one');
    await writeFileAtomic(file, 'two');
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(partials(dir), []);
  });

  it('fails with a plain storageFailed error when the folder is gone, leaving nothing behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'gone', 'queue.json');
    assert.throws(() => writeFileAtomicSync(file, 'x', 'save the queue'), isStorageFailed(/^Could not save the queue in .*gone: the folder is missing \(ENOENT\)\.$/));
    await assert.rejects(writeFileAtomic(file, 'x', 'save the queue'), isStorageFailed(/Could not save the queue/));
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('removes the temp file when the rename fails (the target is a folder)', () => {
    const dir = tempDir();
    const target = path.join(dir, 'queue.json');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
    assert.throws(() => writeFileAtomicSync(target, 'x'), isStorageFailed(/Could not save queue\.json in /));
    assert.deepEqual(partials(dir), []);
  });

  it('syncs a folder on this platform', () => {
    assert.equal(fsyncDirectory(tempDir()), process.platform !== 'win32');
  });
});

describe('store: backupCorruptFile', () => {
  it('keeps an exact copy, and a second copy in the same millisecond gets its own name', () => {
    const dir = tempDir();
    const file = path.join(dir, 'history.jsonl');
    fs.writeFileSync(file, 'first');
    const a = backupCorruptFile(file);
    fs.writeFileSync(file, 'second');
    const b = backupCorruptFile(file);
    assert.notEqual(a, b);
    assert.equal(fs.readFileSync(a, 'utf8'), 'first');
    assert.equal(fs.readFileSync(b, 'utf8'), 'second');
  });

  it('throws storageFailed and leaves no half copy when the file cannot be read', () => {
    const dir = tempDir();
    assert.throws(() => backupCorruptFile(path.join(dir, 'missing.json')), isStorageFailed(/keep a copy of the damaged missing\.json/));
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('store: removeStalePartials', () => {
  it('deletes every temp file left by a dead writer, whatever pid its name carries', () => {
    const dir = tempDir();
    const stale = [
      'queue.json.999999.partial', // a pid that is not alive
      `queue.json.${process.pid}.partial`, // our own pid, from an older layout: not in flight
      `queue.json.${process.ppid}.3.partial`, // a live pid (maybe reused): the folder's owner decides, and it is us
      'history.jsonl.12.7.partial',
    ];
    const kept = ['queue.json', 'history.jsonl', 'queue.json.partial.bak', 'notes.partialx'];
    for (const name of [...stale, ...kept]) fs.writeFileSync(path.join(dir, name), 'x');
    fs.mkdirSync(path.join(dir, 'odd.partial'));
    assert.equal(removeStalePartials(dir), stale.length);
    assert.deepEqual(fs.readdirSync(dir).sort(), [...kept, 'odd.partial'].sort(), 'other files (and a folder) are left alone');
    assert.equal(removeStalePartials(dir), 0, 'nothing left to do');
  });

  it('spares the temp file of a write this process has in flight', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'queue.json');
    fs.writeFileSync(path.join(dir, 'queue.json.1.partial'), 'stale');
    const temp = await writeTemp(file, 'new state');
    assert.equal(removeStalePartials(dir), 1);
    assert.ok(fs.existsSync(temp));
    commitTemp(temp, file);
    assert.equal(fs.readFileSync(file, 'utf8'), 'new state');
    assert.deepEqual(partials(dir), []);
  });

  it('returns 0 for a folder that does not exist yet', () => {
    assert.equal(removeStalePartials(path.join(tempDir(), 'nope')), 0);
  });
});
