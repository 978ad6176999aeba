// The per-user registry `jobq` finds a workspace's queue by from any shell: windows writing at once
// (real processes) never lose each other's entries, the file and folder are the user's alone, a
// damaged file is kept aside and rebuilt, entries of removed queues are dropped, and the deepest
// workspace containing a folder wins.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REGISTRY_FILE, entryFor, readRegistry, registerWorkspace, registryDir } from '../../src/core/registry/workspaceRegistry';
import { tempDir } from './helpers';
import { outcomeOf } from './cliHelpers';

function fileEntries(registry: string): { workspaceFolder: string; queueDir: string }[] {
  return (JSON.parse(fs.readFileSync(path.join(registry, REGISTRY_FILE), 'utf8')) as { entries: { workspaceFolder: string; queueDir: string }[] }).entries;
}

describe('the workspace registry', function () {
  this.timeout(60_000);

  it('windows registering at once (separate processes) never lose each other\'s entries', async () => {
    const registry = path.join(tempDir(), 'state', 'job-queue');
    const root = tempDir();
    const writers = Array.from({ length: 6 }, (_, i) => {
      const workspace = path.join(root, `w${i}`);
      const queue = path.join(root, `q${i}`);
      fs.mkdirSync(workspace);
      fs.mkdirSync(queue);
      return { workspace, queue };
    });
    const runs = await Promise.all(writers.map((w) => outcomeOf(spawn(process.execPath, [path.join(__dirname, 'fixtures', 'registryWriter.js'), registry, w.workspace, w.queue, '15'], { stdio: ['ignore', 'pipe', 'pipe'] }))));
    for (const run of runs) assert.equal(run.code, 0, JSON.stringify(run));
    const entries = await readRegistry(registry);
    const expected = writers.flatMap((w) => Array.from({ length: 15 }, (_, n) => [`${w.workspace}-${n}`, w.queue]));
    assert.deepEqual(entries.map((e) => [e.workspaceFolder, e.queueDir]).sort(), expected.sort());
    assert.deepEqual(fs.readdirSync(registry).sort(), [REGISTRY_FILE], 'no lock or temp file left behind');
  });

  it('the folder is 0700 and the file 0600, even under a permissive umask', async function () {
    if (process.platform === 'win32') this.skip();
    const registry = path.join(tempDir(), 'job-queue');
    const queue = tempDir();
    const old = process.umask(0o000);
    try {
      await registerWorkspace([tempDir()], queue, registry);
    } finally {
      process.umask(old);
    }
    assert.equal(fs.statSync(registry).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(registry, REGISTRY_FILE)).mode & 0o777, 0o600);
  });

  it('a damaged file is kept aside and rebuilt with the new entry; reading it finds nothing', async () => {
    const registry = tempDir();
    const file = path.join(registry, REGISTRY_FILE);
    fs.writeFileSync(file, '{"version": 1, "entries": [ {"workspaceF');
    assert.deepEqual(await readRegistry(registry), [], 'a reader neither fails nor guesses');
    assert.equal(fs.readFileSync(file, 'utf8'), '{"version": 1, "entries": [ {"workspaceF', 'a reader changes nothing');
    const workspace = tempDir();
    const queue = tempDir();
    const { setAside } = await registerWorkspace([workspace], queue, registry);
    assert.ok(setAside, 'the copy is named');
    assert.equal(fs.readFileSync(setAside, 'utf8'), '{"version": 1, "entries": [ {"workspaceF');
    assert.deepEqual((await readRegistry(registry)).map((e) => e.workspaceFolder), [workspace]);
    fs.writeFileSync(file, JSON.stringify({ version: 99, entries: [] }));
    assert.ok((await registerWorkspace([workspace], queue, registry)).setAside, 'a version this release does not know is set aside too');
  });

  it('entries whose queue folder is gone are dropped when read, and from the file at the next write', async () => {
    const registry = tempDir();
    const [kept, removed] = [tempDir(), tempDir()];
    const [keptQueue, removedQueue] = [tempDir(), tempDir()];
    await registerWorkspace([kept], keptQueue, registry);
    await registerWorkspace([removed], removedQueue, registry);
    fs.rmSync(removedQueue, { recursive: true });
    assert.deepEqual((await readRegistry(registry)).map((e) => e.workspaceFolder), [kept]);
    await registerWorkspace([tempDir()], tempDir(), registry);
    assert.ok(!fileEntries(registry).some((e) => e.workspaceFolder === removed), 'gone from the file');
    assert.ok(fileEntries(registry).some((e) => e.workspaceFolder === kept));
  });

  it('a folder registered again points at its new queue; the deepest workspace containing a folder wins', async () => {
    const registry = tempDir();
    const outer = tempDir();
    const inner = path.join(outer, 'sub', 'inner');
    fs.mkdirSync(inner, { recursive: true });
    const [first, second, innerQueue] = [tempDir(), tempDir(), tempDir()];
    await registerWorkspace([outer], first, registry);
    await registerWorkspace([outer], second, registry);
    await registerWorkspace([inner], innerQueue, registry);
    const entries = await readRegistry(registry);
    assert.equal(entries.length, 2);
    assert.equal(entryFor(entries, path.join(outer, 'sub'))?.queueDir, second);
    assert.equal(entryFor(entries, path.join(inner, 'deeper'))?.queueDir, innerQueue);
    assert.equal(entryFor(entries, `${outer}-sibling`), undefined, 'a folder whose name only starts the same is not inside');
  });

  it('lives in the per-user state folder of each platform, or where JOB_QUEUE_REGISTRY_DIR says', () => {
    assert.equal(registryDir({ HOME: '/home/u' }, 'linux'), '/home/u/.local/state/job-queue');
    assert.equal(registryDir({ HOME: '/home/u', XDG_STATE_HOME: '/s' }, 'linux'), '/s/job-queue');
    assert.equal(registryDir({ HOME: '/Users/u' }, 'darwin'), '/Users/u/Library/Application Support/job-queue');
    assert.equal(registryDir({ HOME: '/home/u', JOB_QUEUE_REGISTRY_DIR: '/r' }, 'linux'), '/r');
  });
});
