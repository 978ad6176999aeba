// The scheduling rules alone (engine/scheduling.ts): pure functions, no processes, no files.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import {
  dependencyProblem, describeWait, failedDependents, pickRound, whyWaits, type LaneUse, type SchedulingView,
} from '../../src/core/engine/scheduling';
import { formatSbatchFlags, parseSbatchFlags } from '../../src/core/runner/slurm/sbatchFlags';

const NOW = 1_000_000;

function job(id: string, fields: Partial<Job> = {}): Job {
  return { id, spec: { command: `job ${id}` }, status: 'queued', attempt: 0, createdAt: 0, ...fields };
}

function view(jobs: Job[], lanes: Record<string, Partial<LaneUse>> = {}, paused = false, cluster = { slots: 2, running: 0 }): SchedulingView {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const all: Record<string, Partial<LaneUse>> = { default: {}, ...lanes };
  return {
    now: NOW,
    paused,
    lanes: new Map(Object.entries(all).map(([name, l]) => [name, { slots: 1, paused: false, running: 0, ...l }])),
    cluster,
    lookup: (id) => byId.get(id),
  };
}

const onSlurm = { spec: { command: 'train', runOn: { kind: 'slurm' as const } } };

describe('Scheduling rules (pure)', () => {
  it('says why a queued job waits, the first reason that holds', () => {
    const done = job('1', { status: 'completed' });
    const failed = job('2', { status: 'failed' });
    const running = job('3', { status: 'running' });
    const jobs = [done, failed, running];
    const v = view(jobs, { gpu: { slots: 1, running: 1 }, cpu: { paused: true } });
    assert.deepEqual(whyWaits(job('9', { after: { ids: ['2'], condition: 'success' }, hold: { by: 'user' } }), v).kind, 'dependencyFailed');
    assert.deepEqual(whyWaits(job('9', { hold: { by: 'user' }, after: { ids: ['3'], condition: 'any' } }), v), { kind: 'held', hold: { by: 'user' } });
    assert.deepEqual(whyWaits(job('9', { after: { ids: ['1', '3'], condition: 'success' } }), v), { kind: 'waiting', on: ['3'] });
    assert.deepEqual(whyWaits(job('9', { after: { ids: ['2'], condition: 'any' }, notBefore: NOW + 5 }), v), { kind: 'notBefore', at: NOW + 5 });
    assert.deepEqual(whyWaits(job('9', { lane: 'gpu' }), v), { kind: 'laneFull', lane: 'gpu', slots: 1 });
    assert.deepEqual(whyWaits(job('9', { lane: 'cpu' }), v), { kind: 'lanePaused', lane: 'cpu' });
    assert.deepEqual(whyWaits(job('9', { lane: 'tpu' }), v), { kind: 'noLane', lane: 'tpu' });
    assert.deepEqual(whyWaits(job('9'), view(jobs, {}, true)), { kind: 'queuePaused' });
    assert.deepEqual(whyWaits(job('9', { after: { ids: ['1', 'forgotten'], condition: 'success' } }), v), { kind: 'ready' });
    assert.equal(describeWait({ kind: 'waiting', on: ['3', '4'] }), 'waits for Job #3, Job #4');
    assert.equal(describeWait({ kind: 'held', hold: { by: 'approval', source: 'acme.agent' } }), 'held for approval (added by acme.agent)');
    assert.equal(describeWait({ kind: 'held', hold: { by: 'approval', source: 'terminal' } }), 'held for approval (added by the terminal)');
  });

  it('a round skips what cannot start, takes pending jobs first, and fills each lane\'s free slots only', () => {
    const queued = [
      job('1', { hold: { by: 'user' } }),
      job('2', { after: { ids: ['x'], condition: 'success' } }),
      job('3', { notBefore: NOW + 100 }),
      job('4', { lane: 'gpu' }),
      job('5', { lane: 'gpu' }),
      job('6'),
      job('7', { pending: true }),
      job('8', { notBefore: NOW + 50, hold: { by: 'user' } }),
    ];
    const v = view([...queued, job('x', { status: 'running' })], { gpu: { slots: 1 } });
    assert.deepEqual(pickRound(queued, v, true).take.map((j) => j.id), ['7', '4']);
    assert.deepEqual(pickRound(queued, v, false).take.map((j) => j.id), ['7'], 'without auto-run, only what Send Job asked for');
    assert.equal(pickRound(queued, v, true).nextDue, NOW + 100, 'a held job\'s start time schedules nothing');
    assert.deepEqual(pickRound(queued, view(queued, {}, true), true).take, [], 'the queue paused');
  });

  it('Slurm jobs take the cluster\'s slots, not their lane\'s, and still stop for a paused lane', () => {
    const queued = [
      job('1'),
      job('2', onSlurm),
      job('3', onSlurm),
      job('4', onSlurm),
      job('5', { ...onSlurm, lane: 'cpu' }),
      job('6'),
    ];
    // One local slot, two cluster slots (one busy): the local lane and the cluster fill apart.
    const v = view(queued, { cpu: { paused: true } }, false, { slots: 2, running: 1 });
    assert.deepEqual(pickRound(queued, v, true).take.map((j) => j.id), ['1', '2']);
    assert.deepEqual(whyWaits(job('9', onSlurm), view(queued, {}, false, { slots: 2, running: 2 })), { kind: 'clusterFull', slots: 2 });
    assert.deepEqual(whyWaits(job('9', onSlurm), view(queued, { default: { running: 1 } })), { kind: 'ready' }, 'a full local lane does not hold a Slurm job');
    assert.deepEqual(whyWaits(job('9', { ...onSlurm, lane: 'cpu' }), v), { kind: 'lanePaused', lane: 'cpu' });
    const wide = view(queued, {}, false, { slots: 10, running: 0 });
    assert.deepEqual(pickRound(queued, wide, true).take.map((j) => j.id), ['1', '2', '3', '4'], 'job 5 waits: its lane is not configured');
  });

  it('after-success dependents of a failed job fail down the chain; after-any ones do not', () => {
    const queued = [
      job('2', { after: { ids: ['1'], condition: 'success' } }),
      job('4', { after: { ids: ['3'], condition: 'success' } }),
      job('3', { after: { ids: ['2'], condition: 'success' } }),
      job('5', { after: { ids: ['2'], condition: 'any' } }),
    ];
    const byId = new Map([...queued, job('1', { status: 'interrupted' })].map((j) => [j.id, j]));
    const failed = failedDependents(queued, (id) => byId.get(id), NOW);
    assert.deepEqual(failed.map((j) => [j.id, j.status, j.error, j.finishedAt]), [
      ['2', 'failed', 'needs Job #1, which was interrupted', NOW],
      ['3', 'failed', 'needs Job #2, which failed', NOW],
      ['4', 'failed', 'needs Job #3, which failed', NOW],
    ]);
  });

  it('refuses unknown ids, itself, a failed after-success dependency and cycles, in plain words', () => {
    const jobs = [job('1', { after: { ids: ['2'], condition: 'any' } }), job('2', { after: { ids: ['3'], condition: 'success' } }), job('3'), job('4', { status: 'failed' })];
    const lookup = view(jobs).lookup;
    assert.equal(dependencyProblem(undefined, { ids: ['9'], condition: 'any' }, lookup), 'There is no Job #9 to wait for.');
    assert.equal(dependencyProblem('3', { ids: ['3'], condition: 'any' }, lookup), 'Job #3 cannot wait for itself.');
    assert.match(dependencyProblem(undefined, { ids: ['4'], condition: 'success' }, lookup) ?? '', /^Job #4 failed: a job that waits for its success would never run/);
    assert.equal(dependencyProblem(undefined, { ids: ['4'], condition: 'any' }, lookup), undefined);
    assert.equal(dependencyProblem('3', { ids: ['1'], condition: 'success' }, lookup), 'Job #3 cannot wait for Job #1: that would make a cycle (#3 → #1 → #2 → #3).');
    assert.equal(dependencyProblem('1', { ids: ['3'], condition: 'success' }, lookup), undefined);
  });
});

describe('sbatch options typed by a person', () => {
  it('reads long and short forms into validated options, and writes them back the same', () => {
    const read = parseSbatchFlags('-p gpu --time=1:00:00 -c 4 --mem 8G --gres=gpu:1 -A physics --constraint=avx2');
    assert.deepEqual(read, { ok: true, options: { partition: 'gpu', time: '1:00:00', cpusPerTask: 4, mem: '8G', gres: 'gpu:1', account: 'physics', extraArgs: ['--constraint=avx2'] } });
    assert.equal(formatSbatchFlags(read.ok ? read.options : undefined), '--partition=gpu --time=1:00:00 --cpus-per-task=4 --mem=8G --gres=gpu:1 --account=physics --constraint=avx2');
    assert.deepEqual(parseSbatchFlags('   '), { ok: true, options: {} });
  });

  it('refuses what it cannot read, saying why', () => {
    assert.deepEqual(parseSbatchFlags('gpu'), { ok: false, message: '“gpu” is not an sbatch option: it would be read by sbatch as the batch script. Write options like --partition=gpu or -p gpu.' });
    assert.deepEqual(parseSbatchFlags('--partition'), { ok: false, message: '--partition needs a value (--partition=…).' });
    assert.equal(parseSbatchFlags('--time=soon').ok, false);
    assert.equal(parseSbatchFlags('-c 0').ok, false);
    assert.equal(parseSbatchFlags('-Z y').ok, false, 'an unknown short option is not passed on');
    const own = parseSbatchFlags('--job-name=mine');
    assert.equal(own.ok, false, 'an option the queue sets itself (squeue finds the job by its name) is refused');
    assert.match(own.ok ? '' : own.message, /The queue sets this sbatch option itself: --job-name/);
  });
});
