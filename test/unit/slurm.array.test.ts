// Job arrays: one queue job whose run is the array; its tasks' exit files decide its end (the worst
// task's status), squeue's task rows are one row for the run, and cancel cancels the array.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSbatchFlags } from '../../src/core/runner/slurm/sbatchFlags';
import { arrayTaskIds, taskExitFile, worstExit } from '../../src/core/runner/slurm/slurmArray';
import { SlurmRunner } from '../../src/core/runner/slurm/slurmRunner';
import { parseSqueue } from '../../src/core/runner/slurm/squeue';
import { FakeSlurm } from './fixtures/fakeSlurm';
import { eventually, tempDir } from './helpers';

describe('Slurm: job arrays', () => {
  it('--array values as Slurm reads them: indexes, ranges, steps, a %limit; what cannot be read is said', () => {
    assert.deepEqual(arrayTaskIds('0-5%2'), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(arrayTaskIds('1,3,7-9'), [1, 3, 7, 8, 9]);
    assert.deepEqual(arrayTaskIds('0-15:4'), [0, 4, 8, 12]);
    assert.match((arrayTaskIds('0-x') as { problem: string }).problem, /“0-x” is not an index/);
    assert.match((arrayTaskIds('5-1') as { problem: string }).problem, /empty range/);
    assert.deepEqual(parseSbatchFlags('--array=0-99%10').ok && parseSbatchFlags('-a 0-99%10'), { ok: true, options: { extraArgs: ['--array=0-99%10'] } }, 'an array is a job the queue runs now');
  });

  it('squeue\'s task rows (each task its own JobID, tied by ArrayJobID) are one row for the run: running while a task runs, ended when all have', () => {
    const rows = parseSqueue([
      // As squeue -O prints them: each task its own JobID, tied to its array by ArrayJobID / ArrayTaskID.
      '4711|4711|2-5%2|jq-1.0-a|PENDING|0||0:00|1:00|JobArrayTaskLimit',
      '4712|4711|0|jq-1.0-a|RUNNING|0|node1|0:03|1:00|None',
      '4713|4711|1|jq-1.0-a|RUNNING|0|node1|0:03|1:00|None',
      '4714|4714|0|jq-2.0-b|COMPLETED|0|node1|0:01|1:00|None',
      '4715|4714|1|jq-2.0-b|FAILED|0|node1|0:01|1:00|NonZeroExitCode',
    ].join('\n'), 'jq-');
    assert.deepEqual({ ...rows.get('jq-1.0-a')!, elapsed: '' }, { id: '4711', name: 'jq-1.0-a', state: 'RUNNING', restarts: 0, nodes: 'node1', elapsed: '', timeLimit: '1:00', reason: 'None', array: { running: 2 } });
    assert.equal(rows.get('jq-2.0-b')!.state, 'FAILED');
  });

  it('the worst task\'s status: a signal over a failure over success, the highest code among equals, ended when the last ended', () => {
    assert.deepEqual(worstExit([{ kind: 'exited', exitCode: 0, finishedAt: 1 }, { kind: 'exited', exitCode: 3, finishedAt: 2 }, { kind: 'exited', exitCode: 1, finishedAt: 5 }]), { kind: 'exited', exitCode: 3, finishedAt: 5 });
    assert.deepEqual(worstExit([{ kind: 'exited', exitCode: 3, finishedAt: 1 }, { kind: 'signalled', signal: 'SIGTERM', exitCode: 143, finishedAt: 2 }]), { kind: 'signalled', signal: 'SIGTERM', exitCode: 143, finishedAt: 2 });
  });

  it('an array run: the wrapper is told, it ends when every task recorded its end, with the worst status; a later host finds it the same way', async () => {
    const slurm = new FakeSlurm();
    const runner = new SlurmRunner({ commands: slurm, activePollMs: 20, burstPollMs: 20, user: 'alice' });
    const dir = tempDir('jq-slurm-array-');
    const logPath = path.join(dir, '1.1.log');
    const request = { jobId: '1', attempt: 0, spec: { command: 'echo $SLURM_ARRAY_TASK_ID', runOn: { kind: 'slurm' as const, options: { extraArgs: ['--array=0-2%2'] } } }, logPath, shell: '/bin/sh' };
    const run = runner.start(request);
    run.release();
    await eventually(() => slurm.count('sbatch') === 1, 'submitted');
    assert.equal(slurm.calls.find((c) => c.program === 'sbatch')!.args.at(-1), 'array', 'each task writes its own exit file');
    const exitFile = `${logPath}.exit`;
    fs.writeFileSync(taskExitFile(exitFile, 0), '0 1700000000000\n');
    fs.writeFileSync(taskExitFile(exitFile, 2), '4 1700000000002\n');
    await eventually(() => /3 tasks: 1 done, 1 failed/.test(run.details!()!.summary), `tasks counted: ${run.details!()!.summary}`);
    assert.equal(run.details!()!.fields.find((f) => f.label === 'Array')?.value.startsWith('3 tasks: 1 done, 1 failed'), true);
    const later = new SlurmRunner({ commands: slurm, user: 'alice' });
    await later.prepareToReattach();
    const found = later.reattach(run.handle, logPath);
    assert.equal(found.kind, 'running', 'a task has not ended: the array runs on');
    if (found.kind === 'running') found.execution.detach();
    fs.writeFileSync(taskExitFile(exitFile, 1), '0 1700000000001\n');
    assert.deepEqual(await run.exited, { kind: 'exited', exitCode: 4, finishedAt: 1700000000002 });
    assert.deepEqual(later.reattach(run.handle, logPath), { kind: 'finished', exit: { kind: 'exited', exitCode: 4, finishedAt: 1700000000002 } });
  });
});
