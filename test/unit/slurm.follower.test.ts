// A follower window shows the owner's Slurm jobs with their live details (state, reason, node): the
// owner publishes them beside the queue's files when they change; the follower has no run to ask.
import * as assert from 'node:assert/strict';
import { SlurmRunner } from '../../src/core/runner/slurm/slurmRunner';
import { FakeSlurm } from './fixtures/fakeSlurm';
import { eventually, openService, tempDir } from './helpers';

describe('Slurm: live details in a follower window', () => {
  it('the follower shows PENDING (reason), then RUNNING on its node, and nothing once the job ended', async () => {
    const slurm = new FakeSlurm();
    const storageDir = tempDir('jq-slurm-follow-');
    const runner = () => new SlurmRunner({ commands: slurm, activePollMs: 20, burstPollMs: 20, maxPollMs: 500, user: 'alice' });
    const owner = await openService({ storageDir, ownerLabel: 'window A', backends: [runner()] });
    const job = owner.enqueue({ command: 'sleep 100', runOn: { kind: 'slurm' } });
    const follower = await openService({ storageDir, ownerLabel: 'window B', backends: [runner()] });
    assert.equal(follower.role.kind, 'follower');
    owner.sendJob(job.id);
    const shown = () => follower.getRunDetails(job.id)?.summary ?? '';
    await eventually(() => /^Slurm 4711 · PENDING \(Priority\)$/.test(shown()), `pending with its reason in the follower: ${shown()}`);
    slurm.jobs.get('4711')!.state = 'RUNNING';
    slurm.jobs.get('4711')!.reason = 'None';
    await eventually(() => shown() === 'Slurm 4711 · RUNNING on node1', `running on its node in the follower: ${shown()}`);
    assert.equal(follower.getRunDetails(job.id)?.fields.find((f) => f.label === 'Node')?.value, 'node1');
    await owner.cancelJob(job.id);
    await eventually(() => follower.getRunDetails(job.id) === undefined, 'withdrawn once it ended');
  });
});
