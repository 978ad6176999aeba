// What a finished Slurm run used, from sacct (recorded output in sacct's -P format, as Slurm 22.05
// prints it with slurmdbd; the test cluster has no slurmdbd): asked once per run, batched across
// runs that end together, CPU efficiency as seff computes it; without accounting, said so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { finished } from '../../src/core/lifecycle';
import { parseSacct, sacctBytes, sacctSeconds } from '../../src/core/runner/slurm/slurmAccounting';
import { SlurmRunner } from '../../src/core/runner/slurm/slurmRunner';
import { cpuEfficiency, describeUsage } from '../../src/core/spec/runUsage';
import { FakeSlurm } from './fixtures/fakeSlurm';
import { eventually, tempDir } from './helpers';

/** `sacct -n -P --format JobID,State,ElapsedRaw,TotalCPU,AllocCPUS,MaxRSS -j 4711,4712`. */
const RECORDED = [
  '4711|COMPLETED|65|02:00.500|4|',
  '4711.batch|COMPLETED|65|02:00.500|4|1262312K',
  '4711.extern|COMPLETED|65|00:00:00|4|924K',
  '4712|FAILED|3600|06:00:00|16|',
  '4712.batch|FAILED|3600|06:00:00|16|3.50G',
  '4713|RUNNING|10|00:00:00|1|',
  '',
].join('\n');

describe('Slurm: accounting (sacct) for finished runs', () => {
  it('sacct\'s figures read: elapsed, CPU time, CPUs, the largest MaxRSS of its steps; efficiency as seff computes it', () => {
    assert.equal(sacctSeconds('02:00.500'), 120.5);
    assert.equal(sacctSeconds('1-01:02:03'), 90_123);
    assert.equal(sacctBytes('1262312K'), 1262312 * 1024);
    assert.equal(sacctBytes('3.50G'), 3.5 * 1024 ** 3);
    const usage = parseSacct(RECORDED, ['4711', '4712']);
    const first = usage.get('4711')!;
    assert.deepEqual(first, { kind: 'measured', elapsedS: 65, cpuS: 120.5, cpus: 4, maxRssBytes: 1262312 * 1024, state: 'COMPLETED' });
    assert.equal(Math.round(cpuEfficiency(first as Extract<typeof first, { kind: 'measured' }>)! * 100), 46);
    assert.equal(describeUsage(first), '00:01:05 elapsed · MaxRSS 1.2 GiB · CPU 00:02:01 on 4 CPUs (46% efficiency) · COMPLETED');
    assert.match(describeUsage(usage.get('4712')!), /^01:00:00 elapsed · MaxRSS 3\.5 GiB · CPU 06:00:00 on 16 CPUs \(38% efficiency\) · FAILED$/);
    assert.equal(usage.has('4713'), false, 'only the jobs asked for');
  });

  it('runs that end together share ONE sacct; the figures reach the finished record', async () => {
    const slurm = new FakeSlurm();
    slurm.sacct = RECORDED;
    const runner = new SlurmRunner({ commands: slurm, activePollMs: 20, burstPollMs: 20, user: 'alice' });
    const dir = tempDir('jq-slurm-acct-');
    const runs = [1, 2].map((n) => {
      const logPath = path.join(dir, `${n}.log`);
      const run = runner.start({ jobId: String(n), attempt: 0, spec: { command: 'true', runOn: { kind: 'slurm' } }, logPath, shell: '/bin/sh' });
      run.release();
      return { run, logPath };
    });
    await eventually(() => slurm.jobs.size === 2, 'submitted');
    for (const { logPath } of runs) fs.writeFileSync(`${logPath}.exit`, '0 1700000000000\n');
    for (const job of slurm.jobs.values()) job.state = 'COMPLETED';
    const [a, b] = await Promise.all(runs.map(({ run }) => run.exited));
    assert.equal(slurm.count('sacct'), 1, 'one sacct for both ends');
    assert.deepEqual(slurm.calls.find((c) => c.program === 'sacct')!.args, ['-n', '-P', '--format', 'JobID,State,ElapsedRaw,TotalCPU,AllocCPUS,MaxRSS', '-j', '4711,4712']);
    assert.equal(a!.usage?.kind === 'measured' && a!.usage.cpus, 4);
    assert.equal(b!.usage?.kind === 'measured' && b!.usage.state, 'FAILED');
    const record = finished({ id: '1', spec: { command: 'true' }, status: 'running', attempt: 1, createdAt: 1, startedAt: 1 }, a!, undefined);
    assert.deepEqual(record.usage, a!.usage, 'kept with the run in the history');
  });
});
