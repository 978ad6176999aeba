// A job array on the real cluster: one queue job, at most %N tasks at once, the worst task's
// status, and cancel cancelling every task.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { openService, tempDir, waitForStatus } from '../unit/helpers';
import { sleep, testRunner, waitForDetails } from './slurmKit';

/** The states of the tasks of ours squeue lists under this tag. */
function taskStates(tag: string): string[] {
  const out = execFileSync('squeue', ['-h', '-t', 'all', '-u', os.userInfo().username, '-n', tag, '-o', '%i|%T'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((line) => line.split('|')[1]!);
}

describe('Slurm: job arrays on a real cluster', function () {
  it('--array=0-5%2: never more than 2 tasks running, every task runs once, the worst task\'s exit status', async () => {
    const service = await openService({ storageDir: tempDir('jq-slurm-array-'), backends: [testRunner()] });
    const job = service.enqueue({ command: 'echo "task $SLURM_ARRAY_TASK_ID"; sleep 1; [ "$SLURM_ARRAY_TASK_ID" = 4 ] && exit 3; exit 0', runOn: { kind: 'slurm', options: { extraArgs: ['--array=0-5%2'] } } });
    service.sendJob(job.id);
    // One row for the array: squeue's task rows (each its own JobID) merged, its tasks counted.
    await waitForDetails(service, job.id, /^Slurm \d+ · RUNNING on \S+ · 6 tasks: \d+ done, (\d+ failed, )?[12] running/);
    const tag = service.getJob(job.id)!.run!.tag as string;
    let most = 0;
    const done = waitForStatus(service, job.id, 'failed', 90_000);
    let finished = false;
    void done.then(() => (finished = true), () => (finished = true));
    while (!finished) {
      most = Math.max(most, taskStates(tag).filter((s) => s === 'RUNNING').length);
      await sleep(200);
    }
    const end = await done;
    assert.equal(end.exitCode, 3, 'the worst task\'s status');
    assert.ok(most >= 1 && most <= 2, `at most 2 tasks ran at once (saw ${most})`);
    const log = fs.readFileSync(end.logPath!, 'utf8');
    for (const task of [0, 1, 2, 3, 4, 5]) assert.equal(log.split('\n').filter((l) => l === `task ${task}`).length, 1, `task ${task} ran once:\n${log}`);
  });

  it('cancel cancels every task of the array', async () => {
    const service = await openService({ storageDir: tempDir('jq-slurm-array-cancel-'), backends: [testRunner()] });
    const job = service.enqueue({ command: 'sleep 120', runOn: { kind: 'slurm', options: { extraArgs: ['--array=0-5%2'] } } });
    service.sendJob(job.id);
    await waitForDetails(service, job.id, /RUNNING/);
    const tag = service.getJob(job.id)!.run!.tag as string;
    const ended = await service.cancelJob(job.id);
    assert.equal(ended.status, 'cancelled');
    const left = taskStates(tag).filter((s) => s === 'RUNNING' || s === 'PENDING');
    assert.deepEqual(left, [], 'no task left pending or running');
  });
});
