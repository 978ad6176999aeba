// The card keeps the last result (src/vscode/runningJobCard/cardResult.ts, cardState.ts): when the
// last running job ends, that run stays on the card until another job starts or it is dismissed.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import { LastResult } from '../../src/vscode/runningJobCard/cardResult';
import { buildCardState } from '../../src/vscode/runningJobCard/cardState';
import { openService, waitForStatus } from './helpers';

const job = (id: string, status: Job['status'], extra: Partial<Job> = {}): Job => ({ id, spec: { command: 'make' }, status, attempt: 1, createdAt: 0, ...extra });

describe('card: the last result', () => {
  it('keeps the run that ended last once nothing runs, until something runs again or it is dismissed', () => {
    const result = new LastResult();
    const jobs = new Map<string, Job>();
    const find = (id: string) => jobs.get(id);
    result.observe([job('1', 'running'), job('2', 'running')], find);
    jobs.set('1', job('1', 'completed', { finishedAt: 10 }));
    result.observe([job('2', 'running')], find);
    assert.equal(result.current, undefined, 'a job still runs');
    jobs.set('2', job('2', 'failed', { finishedAt: 20, exitCode: 2 }));
    result.observe([], find);
    assert.deepEqual(result.current, { id: '2', attempt: 1 });
    result.observe([], find);
    assert.deepEqual(result.current, { id: '2', attempt: 1 }, 'other changes (the queue) keep it');
    result.observe([job('3', 'running')], find);
    assert.equal(result.current, undefined, 'another job started');
    jobs.set('3', job('3', 'cancelled', { finishedAt: 30 }));
    result.observe([], find);
    assert.deepEqual(result.current, { id: '3', attempt: 1 });
    result.dismiss();
    assert.equal(result.current, undefined);
  });

  it('of jobs that end together, keeps the last to end; a run returned to the queue is no result', () => {
    const result = new LastResult();
    const jobs = new Map<string, Job>([['1', job('1', 'completed', { finishedAt: 50 })], ['2', job('2', 'failed', { finishedAt: 40 })]]);
    result.observe([job('1', 'running'), job('2', 'running')], (id) => jobs.get(id));
    result.observe([], (id) => jobs.get(id));
    assert.deepEqual(result.current, { id: '1', attempt: 1 });
    const requeued = new LastResult();
    requeued.observe([job('4', 'running')], () => undefined);
    requeued.observe([], () => job('4', 'queued'));
    assert.equal(requeued.current, undefined);
  });

  it('the state carries the kept run: status, exit code, duration and its last lines, read from its log', async () => {
    const service = await openService();
    const queued = service.enqueue({ command: 'printf "one\\n\\033[31mtwo\\033[0m\\n"; exit 3', label: 'fails' });
    service.setAutoRun(true);
    const ended = await waitForStatus(service, queued.id, 'failed');
    const state = await buildCardState(service, 1000, async (_run, tail) => tail.map((text) => [{ text }]), { id: ended.id, attempt: ended.attempt });
    assert.equal(state.jobs.length, 0);
    assert.deepEqual({ ...state.result, durationMs: undefined, finishedAt: undefined }, {
      id: queued.id, attempt: 1, label: 'fails', command: queued.spec.command, status: 'failed', exitCode: 3,
      durationMs: undefined, finishedAt: undefined, output: [[{ text: 'one' }], [{ text: '\x1b[31mtwo\x1b[0m' }]],
    });
    assert.ok(state.result!.durationMs >= 0 && state.result!.finishedAt === ended.finishedAt);
    const other = await buildCardState(service, 1000, async () => [], { id: queued.id, attempt: 2 });
    assert.equal(other.result, undefined, 'not a run the job had');
  });
});
