// The Slurm backend's parsing and pure parts, without a cluster.
import * as assert from 'node:assert/strict';
import { slurmMessage } from '../../src/core/runner/slurm/slurmCommands';
import { slurmDetails } from '../../src/core/runner/slurm/slurmDetails';
import { slurmHandleFor } from '../../src/core/runner/slurm/slurmFiles';
import { parseSqueue, parseSubmittedId, squeueArgs } from '../../src/core/runner/slurm/squeue';

describe('Slurm: parsing', () => {
  it('squeue rows: ours only (by the tag prefix), state suffixes dropped, a reason may hold anything', () => {
    const rows = parseSqueue([
      '4711|4711|N/A|jq-1.0-abcdef12|RUNNING|0|node1|1:02|UNLIMITED|None',
      '4712|4712|N/A|somebody-elses|PENDING|0||0:00|1:00:00|Priority',
      '4713|4713|N/A|jq-2.0-abcdef12|PENDING|2||0:00|10:00|Resources|with a bar',
      '4714|4714|N/A|jq-3.0-abcdef12|COMPLETING+|0|node1|0:09|UNLIMITED|None',
      '',
    ].join('\n'), 'jq-');
    assert.deepEqual([...rows.keys()], ['jq-1.0-abcdef12', 'jq-2.0-abcdef12', 'jq-3.0-abcdef12']);
    assert.equal(rows.get('jq-2.0-abcdef12')!.reason, 'Resources|with a bar');
    assert.equal(rows.get('jq-2.0-abcdef12')!.restarts, 2);
    assert.equal(rows.get('jq-3.0-abcdef12')!.state, 'COMPLETING');
  });

  it('a tag listed twice (a resubmission): the newest Slurm job wins', () => {
    const rows = parseSqueue('12|12|N/A|jq-1.0-x|COMPLETED|0|n|0:01|1:00|None\n9|9|N/A|jq-1.0-x|CANCELLED|0|n|0:01|1:00|None\n', 'jq-');
    assert.equal(rows.get('jq-1.0-x')!.id, '12');
  });

  it('sbatch --parsable prints `id` or `id;cluster`; its errors lose their prefixes', () => {
    assert.equal(parseSubmittedId('4711\n'), '4711');
    assert.equal(parseSubmittedId('4711;cluster\n'), '4711');
    assert.equal(parseSubmittedId('Submitted batch job 4711'), undefined);
    assert.equal(slurmMessage({ ok: false, stdout: '', stderr: 'sbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified\n' }), 'Batch job submission failed: Invalid partition name specified');
    assert.equal(slurmMessage({ ok: false, stdout: '', stderr: '', failure: 'timeout' }), 'the Slurm controller did not answer in time');
  });

  it('one squeue for all of the user\'s jobs in every state, never --json', () => {
    const args = squeueArgs('alice');
    assert.deepEqual(args.slice(0, 5), ['-h', '-t', 'all', '-u', 'alice']);
    assert.ok(!args.includes('--json') && !args.includes('-j'));
  });

  it('a run\'s tag and files derive from its job, attempt and log path (locate finds them again)', () => {
    const a = slurmHandleFor('12', 1, '/q/logs/12.2.log');
    assert.match(a.tag, /^jq-12\.1-[0-9a-f]{8}$/);
    assert.equal(a.exitFile, '/q/logs/12.2.log.exit');
    assert.equal(a.marker, '/q/logs/12.2.log.submitted');
    assert.deepEqual(slurmHandleFor('12', 1, '/q/logs/12.2.log'), a);
    assert.notEqual(slurmHandleFor('12', 1, '/other/logs/12.2.log').tag, a.tag);
  });

  it('details: pending with its reason, running on its node, requeues, unreachable', () => {
    const row = { id: '4711', name: 'jq-1', state: 'PENDING', restarts: 0, nodes: '', elapsed: '0:00', timeLimit: '1:00:00', reason: 'Priority' };
    const base = { slurmId: '4711', submitting: false, unreachableSince: undefined, unreachableWhy: undefined, pauseMethod: undefined, heldByUs: false };
    assert.equal(slurmDetails({ ...base, row }).summary, 'Slurm 4711 · PENDING (Priority)');
    const running = slurmDetails({ ...base, row: { ...row, state: 'RUNNING', nodes: 'node1', reason: 'None', restarts: 1 } });
    assert.equal(running.summary, 'Slurm 4711 · RUNNING on node1 · requeued 1×');
    assert.deepEqual(running.fields.map((f) => f.label), ['Slurm job', 'State', 'Node', 'Elapsed', 'Time limit', 'Restarts']);
    assert.match(slurmDetails({ ...base, row, unreachableSince: Date.now() }).summary, /^Slurm 4711 · Slurm unreachable since /);
  });
});
