// Every window of a workspace shares one queue folder, although VS Code hands a second window's
// extension host a numbered storage folder (`<id>-1`): measured in code-server 4.139 / VS Code 1.139,
// where two tabs on one folder otherwise ran two independent queues.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { sharedWorkspaceStorage } from '../../src/vscode/storageLocation';

const root = path.join(path.sep, 'data', 'User', 'workspaceStorage');
const ext = 'job-queue.job-queue';

describe('storage location: one queue folder per workspace, whatever folder VS Code gives the window', () => {
  it('the first window keeps its folder', () => {
    const dir = path.join(root, '-dbe2efb', ext);
    assert.deepEqual(sharedWorkspaceStorage(dir, () => true), { dir });
  });

  it('a second window (numbered folder) uses the base folder when it exists', () => {
    const given = path.join(root, '-dbe2efb-1', ext);
    const existing = new Set([path.join(root, '-dbe2efb')]);
    assert.deepEqual(sharedWorkspaceStorage(given, (p) => existing.has(p)), { dir: path.join(root, '-dbe2efb', ext), givenDir: given });
  });

  it('a numbered folder with no base stays as it is (an id that merely ends in -N)', () => {
    const given = path.join(root, 'abc-2', ext);
    assert.deepEqual(sharedWorkspaceStorage(given, () => false), { dir: given });
  });

  it('a queue a window kept in its numbered folder is reported, never dropped', () => {
    const given = path.join(root, '5f3a-3', ext);
    const existing = new Set([path.join(root, '5f3a'), path.join(given, 'history.jsonl')]);
    const location = sharedWorkspaceStorage(given, (p) => existing.has(p));
    assert.equal(location.dir, path.join(root, '5f3a', ext));
    assert.equal(location.strayQueue, given);
  });
});
