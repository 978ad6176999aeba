// An open either completes or lets go. Here the history log turns read-only (a read-only bind mount
// of that one file: EROFS) after a job started, so the next host can take the lock and load the
// queue but cannot record that it adopted the running job. Before, the open threw after the lock was
// taken and the owner's timer never started: the folder stayed held by a window that ran nothing, the
// other windows followed it forever and `jobq add` said no window was there. Now the window holding
// the lock says what failed (open report + event), refuses actions with that reason, tells the other
// windows and `jobq` through owner.health, and tries again until it succeeds. Needs root (mount).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobServiceEvent } from '../../src/core';
import { readOwner } from '../../src/core/ownership/ownerLock';
import { eventually, openService, tempDir, waitForEvent, waitForFileLine, waitForStatus } from './helpers';
import { jobq } from './cliHelpers';

function mountReadOnly(file: string): boolean {
  try {
    execFileSync('mount', ['--bind', file, file], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'remount,ro,bind', file, file], { stdio: 'pipe' });
    return true;
  } catch (error) {
    console.log(`      skipped: cannot bind-mount a file read-only (${(error as Error).message.split('\n')[0]}); this test needs root`);
    try {
      execFileSync('umount', [file], { stdio: 'pipe' });
    } catch {
      // nothing was mounted
    }
    return false;
  }
}

describe('ownership: an open that fails after taking the lock', function () {
  this.timeout(60_000);
  let mounted = '';

  afterEach(() => {
    if (mounted) execFileSync('umount', [mounted], { stdio: 'pipe' });
    mounted = '';
  });

  it('the window says what failed, refuses actions with it, tells other windows and jobq, and opens once it can', async function () {
    if (process.platform !== 'linux') this.skip();
    const storageDir = tempDir();
    const work = tempDir();
    const gate = path.join(work, 'gate');
    const first = await openService({ storageDir, ownerLabel: 'window A' });
    const job = first.enqueue({ command: `echo go; while [ ! -f ${gate} ]; do sleep 0.02; done; exit 3` });
    first.sendNextJob();
    await waitForFileLine(path.join(storageDir, 'logs', `${job.id}.1.log`), /go/);
    await first.dispose(); // the job runs on; the next owner must record that it adopted it

    const history = path.join(storageDir, 'history.jsonl');
    if (!mountReadOnly(history)) this.skip();
    mounted = history;

    const b = await openService({ storageDir, ownerLabel: 'window B' });
    const failure = b.openReport.warnings.find((w) => /could not open the job queue/.test(w.message));
    assert.ok(failure, `the open report says the open failed: ${JSON.stringify(b.openReport.warnings)}`);
    assert.match(failure.message, /read-only \(EROFS\)/, 'and why, in plain words');
    const holder = readOwner(storageDir);
    assert.equal(typeof holder === 'object' && holder.label, 'window B', 'B holds the lock (and keeps trying)');
    assert.throws(() => b.setQueuePaused(true), (e: Error & { code?: string }) => e.code === 'storageFailed' && /could not open the job queue/.test(e.message));

    // Another window is told that the owner is there but unhealthy — not that nobody runs the queue.
    const c = await openService({ storageDir, ownerLabel: 'window C' });
    assert.equal(c.role.kind, 'follower');
    const told = await waitForEvent(c, (e: JobServiceEvent) => e.type === 'storeWarning' && /window B.*cannot open it/.test(e.message));
    assert.match((told as Extract<JobServiceEvent, { type: 'storeWarning' }>).message, /read-only/);

    // jobq: the request is saved, and it says who holds the queue and why it waits.
    const run = await jobq(storageDir, ['add', '--', 'echo', 'later']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /The VS Code window that runs this queue cannot open it \(.*read-only.*\): the job is saved and will be queued as soon as that window can open the queue/);
    assert.doesNotMatch(run.stdout, /when VS Code opens this folder/);

    // The cause goes away: B's next attempt opens the queue, adopts the job, takes the saved request.
    const adopted = waitForEvent(b, (e: JobServiceEvent) => e.type === 'jobAdopted' && e.job.id === job.id);
    execFileSync('umount', [history], { stdio: 'pipe' });
    mounted = '';
    await adopted;
    assert.deepEqual(b.openReport.adopted.map((j) => j.id), [job.id], 'adopted once, reported once');
    assert.equal(b.openReport.warnings.filter((w) => /could not open the job queue/.test(w.message)).length, 1, 'the same failure is told once, not at every retry');
    assert.equal(fs.existsSync(path.join(storageDir, 'owner.health')), false, 'healthy again');
    await eventually(() => b.getSnapshot().queued.some((j) => j.spec.command === 'echo later'), 'the saved request queued');
    b.setQueuePaused(false);
    fs.writeFileSync(gate, '');
    assert.equal((await waitForStatus(b, job.id, 'failed')).exitCode, 3);
  });
});
