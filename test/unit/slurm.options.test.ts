// sbatch options as sbatch reads them (its own getopt_long table, derived from the installed sbatch):
// the queue's own options refused in ANY spelling sbatch would accept, every other option accepted.
import * as assert from 'node:assert/strict';
import { parseSbatchFlags } from '../../src/core/runner/slurm/sbatchFlags';
import { readSbatchArgs } from '../../src/core/spec/sbatchArgs';
import { SBATCH_LONG_OPTIONS, SBATCH_SHORT_OPTIONS } from '../../src/core/spec/sbatchOptionTable';
import { SlurmJobOptionsSchema } from '../../src/core/spec/slurmJobOptions';

function refusal(text: string): string {
  const read = parseSbatchFlags(text);
  assert.equal(read.ok, false, `${text} should be refused`);
  return read.ok ? '' : read.message;
}

function extras(text: string): string[] | undefined {
  const read = parseSbatchFlags(text);
  assert.ok(read.ok, `${text} should be accepted: ${read.ok ? '' : read.message}`);
  return read.options.extraArgs;
}

describe('sbatch options read as sbatch reads them', () => {
  it('a reserved option given by a unique prefix, a short letter or a bundle is refused, naming it', () => {
    assert.match(refusal('--job-nam=x'), /--job-name \(you wrote --job-nam=x\): the queue finds its job/);
    assert.match(refusal('--out=/tmp/x.log'), /--output \(you wrote --out=\/tmp\/x\.log\)/);
    assert.match(refusal('-J x'), /--job-name \(you wrote -J x\)/);
    assert.match(refusal('-Jx'), /--job-name \(you wrote -Jx\)/);
    assert.match(refusal('-N 2 -vH'), /--hold \(you wrote -H\)/);
    assert.match(refusal('--dep afterok:1 --pars'), /these sbatch options itself: --dependency \(you wrote --dep afterok:1\).*; --parsable \(you wrote --pars\)/);
    assert.match(refusal('--wait'), /--wait: sbatch would not return/);
  });

  it('the options users paste are accepted: separate and attached values, flags, optional values', () => {
    assert.deepEqual(extras('-N 2'), ['--nodes=2']);
    assert.deepEqual(extras('--nodes 2 --ntasks-per-node=4'), ['--nodes=2', '--ntasks-per-node=4']);
    assert.deepEqual(extras('-N2 -n 8 --exclusive --requeue --mail-type END,FAIL -C avx2'), ['--nodes=2', '--ntasks=8', '--exclusive', '--requeue', '--mail-type=END,FAIL', '--constraint=avx2']);
    assert.deepEqual(extras('--exclusive=user --nice=10 --ntasks-per-n 2'), ['--exclusive=user', '--nice=10', '--ntasks-per-node=2']);
    const read = parseSbatchFlags('-p gpu -t 1:00:00 --cpus-per-t 4 --mem 8G -A physics');
    assert.deepEqual(read, { ok: true, options: { partition: 'gpu', time: '1:00:00', cpusPerTask: 4, mem: '8G', account: 'physics' } });
  });

  it('what sbatch would misread is refused with the reason: ambiguity, a value on a flag, a missing value, a word it would take for the script', () => {
    assert.match(refusal('--par=x'), /--par is ambiguous: sbatch would not know whether it means --parsable, --partition/);
    assert.match(refusal('--requeue=yes'), /--requeue takes no value/);
    assert.match(refusal('-N'), /-N needs a value/);
    assert.match(refusal('--nodes'), /--nodes needs a value/);
    // An optional value is only ever attached: sbatch takes the next word for the script.
    assert.match(refusal('--nice 5'), /“5” is not an sbatch option: it would be read by sbatch as the batch script/);
    assert.match(refusal('-Z'), /-Z is not an sbatch option/);
    assert.match(refusal('--frobnicate=1'), /--frobnicate is not an sbatch option/);
    assert.match(refusal('--constraint="a&b"'), /without quotes/);
    assert.match(refusal('-N 2 : -N 1'), /heterogeneous job/);
  });

  it('a saved job or a setting is checked by the same rules (a prefix cannot hide in extraArgs)', () => {
    assert.equal(SlurmJobOptionsSchema.safeParse({ extraArgs: ['--job-nam=x'] }).success, false);
    assert.equal(SlurmJobOptionsSchema.safeParse({ extraArgs: ['-o/tmp/x'] }).success, false);
    assert.equal(SlurmJobOptionsSchema.safeParse({ extraArgs: ['--nodes'] }).success, false, 'sbatch would take the next argv word (the wrapper) as its value');
    assert.equal(SlurmJobOptionsSchema.safeParse({ extraArgs: ['--nodes=2', '-C avx2'] }).success, false, 'one word is one option: "-C avx2" would give -C the value " avx2"');
    assert.equal(SlurmJobOptionsSchema.safeParse({ extraArgs: ['--nodes=2', '-Cavx2', '--exclusive'] }).success, true);
  });

  it('the table reads like sbatch: every short option names a long one it has, prefixes resolve as getopt_long does', () => {
    for (const [letter, short] of Object.entries(SBATCH_SHORT_OPTIONS)) {
      if (short.long) assert.ok(SBATCH_LONG_OPTIONS[short.long], `-${letter} → --${short.long}`);
    }
    const read = readSbatchArgs(['--mem', '4G', '--mem-per-c=2G']);
    assert.deepEqual(read.ok && read.options.map((o) => [o.name, o.value]), [['mem', '4G'], ['mem-per-cpu', '2G']], 'an exact name wins over the longer names it prefixes');
  });
});
