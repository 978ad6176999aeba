// Dependencies between Slurm jobs become Slurm's own (--dependency=afterok|afterany): the dependent
// is submitted while its dependency runs and Slurm holds it; if the dependency fails, our engine
// cancels the dependent there and records it failed with the reason. Real cluster, ordinary user.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { JobSpecInput } from '../../src/core/model';
import { openService, tempDir, waitForStatus } from '../unit/helpers';
import { submissionsByTag, testRunner, waitForDetails } from './slurmKit';

const onSlurm = (command: string): JobSpecInput => ({ command, runOn: { kind: 'slurm' } });

/** What Slurm itself says of a job: its dependency and reason (`scontrol show job`). */
function slurmView(slurmId: string): string {
  return execFileSync('scontrol', ['show', 'job', slurmId], { encoding: 'utf8' });
}

function slurmIdOf(summary: string): string {
  const id = /^Slurm (\d+)/.exec(summary)?.[1];
  assert.ok(id, `a Slurm id in “${summary}”`);
  return id;
}

describe('Slurm backend: dependencies are Slurm dependencies', function () {
  it('after success: the dependent is submitted at once with afterok, PENDING (Dependency) until its dependency completes, then runs', async () => {
    const service = await openService({ storageDir: tempDir('jq-slurm-'), backends: [testRunner()], maxParallelJobs: 1 });
    const first = service.enqueue(onSlurm('sleep 4; echo first done'));
    const then = service.enqueue(onSlurm('echo then'), { after: { ids: [first.id] } });
    service.setAutoRun(true);
    const firstId = slurmIdOf(await waitForDetails(service, first.id, /^Slurm \d+ · RUNNING/));
    // Submitted while the first one runs: Slurm holds it, not our queue.
    const waiting = await waitForDetails(service, then.id, /^Slurm \d+ · PENDING \(Dependency\)/);
    assert.match(slurmView(slurmIdOf(waiting)), new RegExp(`Dependency=afterok:${firstId}`));
    const done = await waitForStatus(service, then.id, 'completed', 60_000);
    assert.equal(done.exitCode, 0);
    const firstDone = service.getHistory().find((j) => j.id === first.id)!;
    assert.ok(done.finishedAt! >= firstDone.finishedAt!, 'it ended after its dependency');
  });

  it('after success, the dependency fails: the dependent is cancelled in Slurm and fails with the reason, never runs', async () => {
    const service = await openService({ storageDir: tempDir('jq-slurm-'), backends: [testRunner()], maxParallelJobs: 1 });
    const first = service.enqueue(onSlurm('sleep 3; exit 5'));
    const then = service.enqueue(onSlurm('echo must never run'), { after: { ids: [first.id] } });
    service.setAutoRun(true);
    await waitForDetails(service, then.id, /PENDING \(Dependency\)/);
    const tag = service.getJob(then.id)!.run!.tag as string;
    const failed = await waitForStatus(service, then.id, 'failed', 60_000);
    assert.equal(failed.error, `needs Job #${first.id}, which failed`);
    assert.equal(service.getHistory().find((j) => j.id === first.id)?.exitCode, 5);
    const states = submissionsByTag().get(tag) ?? [];
    assert.equal(states.length, 1, 'submitted once');
    assert.match(states[0]!, /CANCELLED/, 'cancelled in Slurm, not left pending forever');
  });

  it('after any end: afterany, and the dependent runs after a failed dependency', async () => {
    const service = await openService({ storageDir: tempDir('jq-slurm-'), backends: [testRunner()], maxParallelJobs: 1 });
    const first = service.enqueue(onSlurm('sleep 3; exit 2'));
    const then = service.enqueue(onSlurm('echo cleanup'), { after: { ids: [first.id], condition: 'any' } });
    service.setAutoRun(true);
    const firstId = slurmIdOf(await waitForDetails(service, first.id, /^Slurm \d+ · RUNNING/));
    const waiting = await waitForDetails(service, then.id, /PENDING \(Dependency\)/);
    assert.match(slurmView(slurmIdOf(waiting)), new RegExp(`Dependency=afterany:${firstId}`));
    assert.equal((await waitForStatus(service, then.id, 'completed', 60_000)).exitCode, 0);
  });
});
