// A queued batch script's #SBATCH lines, read as sbatch reads them and passed before the queue's own
// options (which override them, as sbatch's command line overrides a script).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { directiveWords, scriptDirectives, scriptOfCommand } from '../../src/core/runner/slurm/batchScript';
import { SlurmRunner } from '../../src/core/runner/slurm/slurmRunner';
import { FakeSlurm } from './fixtures/fakeSlurm';
import { eventually, tempDir } from './helpers';

const SCRIPT = [
  '#!/bin/bash',
  '',
  '# a comment, then the directives',
  '#SBATCH --time=3 --gres=gpu:1   # two in one line, and a comment',
  '#SBATCH -J "my job"',
  '#SBATCH -N2',
  '  #SBATCH --mem=1G',
  'echo first command',
  '#SBATCH --partition=after-the-first-command',
].join('\n');

describe('Slurm: batch scripts and their #SBATCH lines', () => {
  it('directives are read from the top up to the first command: blank lines and comments skipped, quotes and trailing comments as a shell reads them', () => {
    assert.deepEqual(directiveWords(SCRIPT), ['--time=3', '--gres=gpu:1', '-J', 'my job', '-N2']);
    assert.deepEqual(directiveWords('echo hi\n#SBATCH --time=1\n'), []);
  });

  it('the script a command runs: its first word, or what a shell is given', () => {
    assert.equal(scriptOfCommand('./train.sh 3 --lr=1e-3'), './train.sh');
    assert.equal(scriptOfCommand('bash -x train.sh 3'), 'train.sh');
    assert.equal(scriptOfCommand('/bin/sh "my script.sh"'), 'my script.sh');
    assert.equal(scriptOfCommand('   '), undefined);
    assert.equal(scriptOfCommand('train.sh 3'), undefined, 'a bare word is a program found on PATH, not a file of the folder');
  });

  it('read and checked: the queue\'s own options replace the script\'s, options that change what is submitted refuse it, naming them', async () => {
    const dir = tempDir('jq-slurm-script-');
    fs.writeFileSync(path.join(dir, 'train.sh'), SCRIPT);
    fs.writeFileSync(path.join(dir, 'sweep.sh'), '#!/bin/sh\n#SBATCH --hold\n#SBATCH --dep=afterok:1\necho $SLURM_ARRAY_TASK_ID\n');
    const read = await scriptDirectives('./train.sh 3', dir);
    assert.equal(read.kind, 'read');
    assert.deepEqual(read.kind === 'read' && read.options.map((o) => [o.name, o.value]), [['time', '3'], ['gres', 'gpu:1'], ['nodes', '2']]);
    assert.deepEqual(read.kind === 'read' && read.replaced.map((o) => o.name), ['job-name']);
    const refused = await scriptDirectives('sh sweep.sh', dir);
    assert.equal(refused.kind, 'refused');
    assert.match(refused.kind === 'refused' ? refused.message : '', /^sweep\.sh's #SBATCH lines: The queue sets these sbatch options itself: --hold: .*; --dependency \(you wrote --dep=afterok:1\)/);
    assert.deepEqual(await scriptDirectives('echo hi', dir), { kind: 'none' });
  });

  it('submitted with the script\'s options first and the queue\'s after them; shown in the details; a refused script submits nothing', async () => {
    const dir = tempDir('jq-slurm-script-run-');
    fs.writeFileSync(path.join(dir, 'train.sh'), SCRIPT);
    fs.writeFileSync(path.join(dir, 'sweep.sh'), '#!/bin/sh\n#SBATCH --wait\n');
    const slurm = new FakeSlurm();
    const runner = new SlurmRunner({ commands: slurm, activePollMs: 20, user: 'alice' });
    const spec = (command: string) => ({ command, cwd: dir, runOn: { kind: 'slurm' as const, options: { time: '5' } } });
    const run = runner.start({ jobId: '1', attempt: 0, spec: spec('./train.sh 3'), logPath: path.join(dir, '1.log'), shell: '/bin/sh' });
    run.release();
    await eventually(() => slurm.count('sbatch') === 1, 'submitted');
    const args = slurm.calls.find((c) => c.program === 'sbatch')!.args;
    assert.deepEqual(args.slice(0, 4), ['--time=3', '--gres=gpu:1', '--nodes=2', '--parsable']);
    assert.ok(args.indexOf('--time=5') > args.indexOf('--time=3'), 'the queue\'s --time comes later, so it wins');
    assert.equal(args.filter((a) => a.startsWith('--job-name')).length, 1, 'the script\'s -J is not passed on');
    assert.equal(run.details!()!.fields.find((f) => f.label === '#SBATCH')?.value, '--time=3 --gres=gpu:1 --nodes=2 (from ./train.sh; the queue\'s own --job-name replaces the script\'s)');
    run.detach();
    const refused = runner.start({ jobId: '2', attempt: 0, spec: spec('./sweep.sh'), logPath: path.join(dir, '2.log'), shell: '/bin/sh' });
    refused.release();
    const exit = await refused.exited;
    assert.equal(exit.kind, 'failedToStart');
    assert.match(exit.kind === 'failedToStart' ? exit.reason : '', /^Could not start: \.\/sweep\.sh's #SBATCH lines: .*--wait/);
    assert.equal(slurm.count('sbatch'), 1, 'nothing more submitted');
    assert.ok(!fs.existsSync(path.join(dir, '2.log.submitted')), 'no marker: a later host knows it never began');
  });
});
