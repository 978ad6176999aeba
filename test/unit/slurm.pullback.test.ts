// The engine's automatic pull-back of a Slurm job started ahead of its dependency: its cause (the
// dependency back in the queue) is on the disk before the pull-back acts, so a host that dies in
// between leaves a run that the next host resolves the same way — by looking, not as a failure.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SlurmRunner } from '../../src/core/runner/slurm/slurmRunner';
import { FakeSlurm } from './fixtures/fakeSlurm';
import { eventually, openService, tempDir, waitForStatus } from './helpers';

describe('Slurm: the pull-back of an early-started dependent, across a host that died', () => {
  it('its dependency returned to the queue, the dependent stopped before its end was recorded: reopened, it is returned too (not failed)', async () => {
    const slurm = new FakeSlurm();
    const storageDir = tempDir('jq-slurm-pullback-');
    const runner = () => new SlurmRunner({ commands: slurm, activePollMs: 20, burstPollMs: 20, maxPollMs: 500, user: 'alice' });
    const first = await openService({ storageDir, backends: [runner()] });
    const a = first.enqueue({ command: 'sleep 100', runOn: { kind: 'slurm' } });
    const b = first.enqueue({ command: 'echo after', runOn: { kind: 'slurm' } }, { after: { ids: [a.id], condition: 'any' } });
    first.setAutoRun(true);
    await eventually(() => slurm.count('sbatch') === 2 && first.getJob(b.id)?.status === 'running', 'both submitted, the dependent with --dependency');
    const aLog = first.getJob(a.id)!.logPath!;
    const bLog = first.getJob(b.id)!.logPath!;
    first.setAutoRun(false);
    void first.cancelAndRequeue(a.id);
    await eventually(() => slurm.count('scancel') >= 2, 'both cancelled in Slurm, the dependent first');
    fs.writeFileSync(`${aLog}.exit`, '143 1700000000000\n'); // A's wrapper recorded its end at once…
    await waitForStatus(first, a.id, 'queued', 10_000);
    assert.equal(first.getJob(b.id)?.status, 'running', '…B\'s end is not recorded yet');
    await first.dispose(); // the host goes away now
    fs.writeFileSync(`${bLog}.exit`, '143 1700000000001\n'); // B's wrapper recorded the TERM it got
    const second = await openService({ storageDir, backends: [runner()] });
    assert.deepEqual(second.getSnapshot().queued.map((j) => j.id), [a.id, b.id], 'both back in the queue, in order');
    const bRun = second.getHistory().find((j) => j.id === b.id);
    assert.equal(bRun?.status, 'cancelled', 'its run was ended by the pull-back, not a failure of its own');
    assert.equal(slurm.count('sbatch'), 2, 'nothing submitted again behind the user\'s back');
  });
});
