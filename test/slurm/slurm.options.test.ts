// sbatch's options on the real cluster: the table the queue reads options with is derived again
// from THIS sbatch (it cannot drift), and options typed the way users type them reach Slurm.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSbatchFlags } from '../../src/core/runner/slurm/sbatchFlags';
import { SBATCH_LONG_OPTIONS, SBATCH_SHORT_OPTIONS, SBATCH_VERSION } from '../../src/core/spec/sbatchOptionTable';
import { openService, tempDir, waitForStatus } from '../unit/helpers';
import { testRunner } from './slurmKit';

describe('Slurm: sbatch options as sbatch reads them, on a real cluster', function () {
  it('the option table is what the installed sbatch\'s own parser knows (re-derived, compared whole)', () => {
    const script = path.resolve(__dirname, '../../../scripts/slurm/sbatch-options.mjs');
    const derived = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 }));
    assert.equal(derived.version, SBATCH_VERSION, 'another sbatch: run node scripts/slurm/sbatch-options.mjs --write');
    assert.deepEqual(derived.long, SBATCH_LONG_OPTIONS);
    assert.deepEqual(derived.short, SBATCH_SHORT_OPTIONS);
  });

  it('options typed with separate values, short letters and prefixes reach Slurm; an abbreviated reserved one is refused before anything is submitted', async () => {
    assert.equal(parseSbatchFlags('--job-nam=mine').ok, false);
    assert.equal(parseSbatchFlags('--out=/tmp/elsewhere.log').ok, false);
    const typed = parseSbatchFlags('-N 1 --ntasks-per-n 1 -t 7 --requeue');
    assert.ok(typed.ok, typed.ok ? '' : typed.message);
    const runner = testRunner();
    const service = await openService({ storageDir: tempDir('jq-slurm-opts-'), backends: [runner] });
    const job = service.enqueue({ command: 'scontrol show job "$SLURM_JOB_ID"', runOn: { kind: 'slurm', options: typed.options } });
    service.sendJob(job.id);
    const done = await waitForStatus(service, job.id, 'completed', 60_000);
    const shown = fs.readFileSync(done.logPath!, 'utf8');
    assert.match(shown, /NumNodes=1 /);
    assert.match(shown, /TimeLimit=00:07:00/);
    assert.match(shown, /Requeue=1/);
    assert.match(shown, /JobName=jq-/, 'the job still carries the queue\'s name');
    // This cluster has no slurmdbd: the finished run says accounting is not available, and nothing else breaks.
    assert.equal(done.usage?.kind, 'unavailable');
    assert.match(done.usage?.kind === 'unavailable' ? done.usage.why : '', /accounting/i);
  });

  it('a batch script\'s #SBATCH lines reach Slurm, and an option given in the queue overrides them', async () => {
    const dir = tempDir('jq-slurm-script-');
    fs.writeFileSync(path.join(dir, 'job.sh'), '#!/bin/sh\n#SBATCH --time=3\n#SBATCH -J from-the-script --requeue\nscontrol show job "$SLURM_JOB_ID"\n', { mode: 0o755 });
    const service = await openService({ storageDir: tempDir('jq-slurm-script-q-'), backends: [testRunner()], maxParallelJobs: 2 });
    const plain = service.enqueue({ command: './job.sh', cwd: dir, runOn: { kind: 'slurm' } });
    const overridden = service.enqueue({ command: 'sh job.sh', cwd: dir, runOn: { kind: 'slurm', options: { time: '4' } } });
    service.sendJob(plain.id);
    service.sendJob(overridden.id);
    const [a, b] = await Promise.all([waitForStatus(service, plain.id, 'completed', 60_000), waitForStatus(service, overridden.id, 'completed', 60_000)]);
    const shownA = fs.readFileSync(a.logPath!, 'utf8');
    assert.match(shownA, /TimeLimit=00:03:00/, 'the script\'s --time');
    assert.match(shownA, /Requeue=1/, 'the script\'s --requeue');
    assert.match(shownA, /JobName=jq-/, 'the queue\'s own name, not the script\'s');
    assert.match(fs.readFileSync(b.logPath!, 'utf8'), /TimeLimit=00:04:00/, 'the queue\'s --time wins');
  });
});
