// What a queued job's row says about how it waits: held (for approval: from where), what it waits
// for and the condition, its start time, its lane — and its icon and tooltip lines.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import { queuedDescription, queuedIconId, startTime, waitExplanation, waitParts } from '../../src/vscode/tree/waitText';

const NOW = new Date(2026, 10, 23, 13, 0, 0).getTime();
const queued = (id: string, extra: Partial<Job> = {}): Job => ({ id, spec: { command: `run ${id}` }, status: 'queued', attempt: 0, createdAt: 0, ...extra });

describe('a queued job’s row: how it waits', () => {
  it('a job held by the user says "held"; held for approval says from where', () => {
    assert.equal(queuedDescription(queued('7', { hold: { by: 'user' } }), undefined, NOW), 'held · Job #7');
    assert.equal(queuedDescription(queued('7', { hold: { by: 'approval', source: 'acme.agent' } }), undefined, NOW), 'held for approval — from acme.agent · Job #7');
    assert.deepEqual(waitParts(queued('7', { hold: { by: 'approval', source: 'api' } }), undefined, NOW), ['held for approval — from the API']);
  });

  it('a waiting job names what it waits for and the condition', () => {
    assert.equal(queuedDescription(queued('5', { after: { ids: ['3'], condition: 'success' } }), undefined, NOW), 'waits for Job #3 to complete · Job #5');
    assert.deepEqual(waitParts(queued('5', { after: { ids: ['3', '4'], condition: 'any' } }), undefined, NOW), ['waits for Job #3, Job #4 to end']);
    // The engine's reason names only the jobs it still waits for.
    assert.deepEqual(waitParts(queued('5', { after: { ids: ['3', '4'], condition: 'success' } }), { kind: 'waiting', on: ['4'] }, NOW), ['waits for Job #4 to complete']);
    // Its dependencies satisfied: it says nothing about them.
    assert.deepEqual(waitParts(queued('5', { after: { ids: ['3'], condition: 'success' } }), { kind: 'ready' }, NOW), []);
    assert.deepEqual(waitParts(queued('5', { after: { ids: ['1', '2', '3', '4', '5'], condition: 'any' } }), undefined, NOW), ['waits for Job #1, Job #2, Job #3 and 2 more to end']);
    assert.deepEqual(waitParts(queued('5', { after: { ids: ['3'], condition: 'success' } }), { kind: 'dependencyFailed', on: '3', status: 'failed', message: 'needs Job #3, which failed' }, NOW), ['needs Job #3, which failed']);
  });

  it('a delayed job says when it starts; a start time passed says nothing', () => {
    const at = new Date(2026, 10, 23, 22, 5).getTime();
    assert.equal(queuedDescription(queued('2', { notBefore: at }), undefined, NOW), 'starts at 22:05 · Job #2');
    assert.deepEqual(waitParts(queued('2', { notBefore: new Date(2026, 10, 24, 2, 0).getTime() }), undefined, NOW), ['starts at 2026-11-24 02:00']);
    assert.deepEqual(waitParts(queued('2', { notBefore: NOW - 1000 }), undefined, NOW), []);
    assert.equal(startTime(new Date(2026, 10, 23, 2, 0).getTime(), NOW), '02:00');
  });

  it('a lane other than default is named; default is not', () => {
    assert.equal(queuedDescription(queued('4', { lane: 'gpu' }), undefined, NOW), 'lane gpu · Job #4');
    assert.deepEqual(waitParts(queued('4', { lane: 'default' }), undefined, NOW), []);
    assert.deepEqual(waitParts(queued('4', { lane: 'gpu' }), { kind: 'lanePaused', lane: 'gpu' }, NOW), ['lane gpu', 'its lane is paused']);
    assert.deepEqual(waitParts(queued('4', { lane: 'gpu' }), { kind: 'laneFull', lane: 'gpu', slots: 1 }, NOW), ['lane gpu', 'its lane is full (1 slot busy)']);
    assert.deepEqual(waitExplanation(queued('4', { lane: 'gpu' }), { kind: 'laneFull', lane: 'gpu', slots: 2 }, NOW).at(-1), ['Lane full', 'all 2 slots of lane gpu are busy: it starts when one frees.']);
    assert.deepEqual(waitExplanation(queued('4'), { kind: 'lanePaused', lane: 'default' }, NOW), [['Lane paused', 'nothing new starts in lane default until it is resumed (Resume Lane); the other lanes go on.']]);
    assert.deepEqual(waitParts({ ...queued('4', { lane: 'gpu' }), status: 'running' }, undefined, NOW), ['lane gpu']);
  });

  it('everything together, in order, with next, lineage and the command of a labelled job', () => {
    const job = queued('9', { hold: { by: 'user' }, after: { ids: ['3'], condition: 'any' }, notBefore: new Date(2026, 10, 23, 14, 30).getTime(), lane: 'gpu', retryOf: '6', spec: { command: 'train.py', label: 'train' } });
    assert.equal(queuedDescription(job, undefined, NOW), 'held · waits for Job #3 to end · starts at 14:30 · lane gpu · Job #9 · retry of Job #6 · train.py');
    assert.equal(queuedDescription(queued('1', { pending: true }), undefined, NOW), 'next: waits for a free slot · Job #1');
    assert.equal(queuedDescription(queued('1'), undefined, NOW), 'Job #1');
  });

  it('icons: a shield for approval, a lock for a hold (as on Hold Job), a watch for a waiting job, a calendar for a start time', () => {
    assert.equal(queuedIconId(queued('1', { hold: { by: 'approval', source: 'x' } }), NOW), 'shield');
    assert.equal(queuedIconId(queued('1', { hold: { by: 'user' }, after: { ids: ['2'], condition: 'success' } }), NOW), 'lock');
    assert.equal(queuedIconId(queued('1', { after: { ids: ['2'], condition: 'success' } }), NOW), 'watch');
    assert.equal(queuedIconId(queued('1', { after: { ids: ['2'], condition: 'success' } }), NOW, { kind: 'waiting', on: ['2'] }), 'watch');
    assert.equal(queuedIconId(queued('1', { after: { ids: ['2'], condition: 'success' } }), NOW, { kind: 'ready' }), 'clock', 'its dependencies met');
    assert.equal(queuedIconId(queued('1', { notBefore: NOW + 60_000 }), NOW), 'calendar');
    assert.equal(queuedIconId(queued('1', { pending: true }), NOW), 'debug-step-over');
    assert.equal(queuedIconId(queued('1'), NOW), 'clock');
  });

  it('tooltips explain the wait and what to do about it', () => {
    const approval = waitExplanation(queued('7', { hold: { by: 'approval', source: 'acme.agent' } }), undefined, NOW);
    assert.deepEqual(approval.map(([name]) => name), ['Held for approval']);
    assert.match(approval[0]![1], /added by acme\.agent, not by you\. It runs only once you release it/);
    assert.match(waitExplanation(queued('7', { hold: { by: 'user' } }), undefined, NOW)[0]![1], /Release Job, or Send Job/);
    const after = waitExplanation(queued('5', { after: { ids: ['3', '4'], condition: 'success' } }), { kind: 'waiting', on: ['4'] }, NOW);
    assert.deepEqual(after, [['Runs after', 'Job #3, Job #4 complete — if one fails, is cancelled or interrupted, this job leaves the queue as failed (still waiting for Job #4)']]);
    assert.deepEqual(waitExplanation(queued('5', { lane: 'gpu' }), undefined, NOW), [['Lane', 'gpu (its own slots and pause, jobQueue.lanes)']]);
    assert.deepEqual(waitExplanation({ ...queued('5', { after: { ids: ['3'], condition: 'any' } }), status: 'completed' }, undefined, NOW), [['Ran after', 'Job #3 (after any end)']]);
  });
});
