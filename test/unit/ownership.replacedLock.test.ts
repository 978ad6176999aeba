// An owner never trusts that it took the lock once. When owner.lock is replaced under a live owner —
// here by a copy of a dead host's lock, as a sync tool or a backup restore would leave it — a follower
// takes that stale lock over; the old owner must see that its lock no longer names it, stop starting
// jobs at once and step down (or take the folder again itself, if it gets there first): never two
// owners, and no job runs twice. Before the re-check, the old owner went on as owner next to the new
// one and both started the next job.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobService, JobServiceEvent } from '../../src/core';
import { readOwner } from '../../src/core/ownership/ownerLock';
import { eventually, openService, tempDir } from './helpers';

function finishedRecords(storageDir: string): string[] {
  return fs.readFileSync(path.join(storageDir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; job?: { id: string } })
    .filter((e) => e.type === 'finished').map((e) => e.job!.id);
}

describe('ownership: a lock replaced under a live owner', function () {
  this.timeout(60_000);
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('the owner steps down (saying so), exactly one owner remains, and every job runs once', async () => {
    const storageDir = tempDir();
    const work = tempDir();
    const gate = path.join(work, 'gate');
    const ran = path.join(work, 'ran');
    const a = await openService({ storageDir, ownerLabel: 'window A' });
    const labels = ['j1', 'j2', 'j3', 'j4'];
    const jobs = labels.map((label) => a.enqueue({ command: `echo ${label} >> ${ran}; while [ ! -f ${gate} ]; do sleep 0.02; done`, label }));
    a.setAutoRun(true);
    const b = await openService({ storageDir, ownerLabel: 'window B' });
    assert.equal(b.role.kind, 'follower');
    await eventually(() => fs.existsSync(ran), 'the first job started');

    const warnings: string[] = [];
    a.onDidChange((e: JobServiceEvent) => {
      if (e.type === 'storeWarning') warnings.push(e.message);
    });
    // What a sync tool or a backup restore does: a whole other lock file renamed into place.
    const replacement = path.join(storageDir, 'owner.lock.restored');
    fs.writeFileSync(replacement, JSON.stringify({ v: 1, pid: 2 ** 22 - 3, startToken: '1', instance: 'from-a-backup', label: 'old window', since: 1 }));
    fs.renameSync(replacement, path.join(storageDir, 'owner.lock'));

    const services: JobService[] = [a, b];
    const settled = (): boolean => {
      const owners = services.filter((s) => s.role.kind === 'owner');
      const holder = readOwner(storageDir);
      return owners.length === 1 && typeof holder === 'object' && holder.instance !== 'from-a-backup';
    };
    await eventually(() => settled() && warnings.some((m) => /lock file \(owner\.lock\) was replaced/.test(m)), 'one owner again, and A said it stepped down', 15_000);

    fs.writeFileSync(gate, '');
    const owner = services.find((s) => s.role.kind === 'owner')!;
    await eventually(() => jobs.every((j) => owner.getJob(j.id)?.status === 'completed'), 'every job completed', 30_000);
    await owner.flush();
    assert.equal(services.filter((s) => s.role.kind === 'owner').length, 1, 'still exactly one owner');
    assert.deepEqual(fs.readFileSync(ran, 'utf8').split('\n').filter(Boolean).sort(), labels, 'each job ran once');
    assert.deepEqual(finishedRecords(storageDir).sort(), jobs.map((j) => j.id).sort(), 'each job ended once');
  });
});
