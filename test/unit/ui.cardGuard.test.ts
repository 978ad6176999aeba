// The running-job card's host acts only on runs the card last rendered, in a state that allows the
// action; the raw value a webview sent is only ever logged, escaped and bounded.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import type { CardState } from '../../src/shared/runningJobProtocol';
import { decideCardMessage, describeUntrusted, shownRuns } from '../../src/vscode/runningJobCard/cardGuard';

const job = (id: string, status: Job['status'], attempt = 1): Job => ({ id, spec: { command: 'make' }, status, attempt, createdAt: 0 });
const shown = new Map([['3', 1]]);

describe('card guard: which webview messages the host acts on', () => {
  it('accepts every action on a run the card shows, in a state that allows it', () => {
    assert.deepEqual(decideCardMessage({ type: 'cancelJob', jobId: '3' }, shown, job('3', 'running')), { accept: true });
    assert.deepEqual(decideCardMessage({ type: 'cancelAndRequeue', jobId: '3' }, shown, job('3', 'paused')), { accept: true });
    assert.deepEqual(decideCardMessage({ type: 'pauseJob', jobId: '3' }, shown, job('3', 'running')), { accept: true });
    assert.deepEqual(decideCardMessage({ type: 'resumeJob', jobId: '3' }, shown, job('3', 'paused')), { accept: true });
    assert.deepEqual(decideCardMessage({ type: 'showLog', jobId: '3' }, shown, job('3', 'completed')), { accept: true }, 'the log of a run it showed, even after it ended');
  });

  it('drops a job the card does not show, even one the action would apply to (a queued job)', () => {
    const decision = decideCardMessage({ type: 'cancelJob', jobId: '4' }, shown, job('4', 'queued'));
    assert.equal(decision.accept, false);
    assert.equal(decideCardMessage({ type: 'showLog', jobId: '4' }, shown, job('4', 'failed')).accept, false);
  });

  it('drops a shown job that went back to the queue, ended, or is on another run now', () => {
    assert.equal(decideCardMessage({ type: 'cancelJob', jobId: '3' }, shown, job('3', 'queued')).accept, false, 'returned to the queue (same id, same attempt)');
    assert.equal(decideCardMessage({ type: 'cancelJob', jobId: '3' }, shown, job('3', 'cancelled')).accept, false);
    assert.equal(decideCardMessage({ type: 'cancelJob', jobId: '3' }, shown, job('3', 'running', 2)).accept, false, 'a later run of the same job');
    assert.equal(decideCardMessage({ type: 'cancelJob', jobId: '3' }, shown, undefined).accept, false, 'gone');
  });

  it('drops an action the state no longer allows', () => {
    assert.equal(decideCardMessage({ type: 'pauseJob', jobId: '3' }, shown, job('3', 'paused')).accept, false);
    assert.equal(decideCardMessage({ type: 'resumeJob', jobId: '3' }, shown, job('3', 'running')).accept, false);
  });

  it('its reasons never contain the id the webview sent', () => {
    const forged = '<b>9\u202e</b>';
    const decision = decideCardMessage({ type: 'cancelJob', jobId: forged }, shown, undefined);
    assert.ok(!decision.accept && !decision.reason.includes(forged));
  });

  it('Retry is accepted for the kept result (an ended run it shows) and for nothing still running', () => {
    assert.deepEqual(decideCardMessage({ type: 'retryJob', jobId: '3', attempt: 1 }, shown, job('3', 'failed')), { accept: true });
    assert.equal(decideCardMessage({ type: 'retryJob', jobId: '3', attempt: 1 }, shown, job('3', 'running')).accept, false);
    assert.equal(decideCardMessage({ type: 'retryJob', jobId: '4', attempt: 1 }, shown, job('4', 'failed')).accept, false, 'a run the card does not show');
    assert.equal(decideCardMessage({ type: 'cancelJob', jobId: '3', attempt: 1 }, shown, job('3', 'failed')).accept, false, 'the result cannot be cancelled');
  });

  it('remembers the runs a rendered state shows, with their attempt — the kept result too', () => {
    const withResult = { jobs: [], result: { id: '9', attempt: 4 } } as unknown as CardState;
    assert.deepEqual([...shownRuns(withResult, (id) => (id === '9' ? job('9', 'failed', 4) : undefined))], [['9', 4]]);
    const state = { jobs: [{ id: '3' }, { id: '5' }, { id: 'gone' }] } as unknown as CardState;
    const jobs = new Map([['3', job('3', 'running', 1)], ['5', job('5', 'paused', 2)]]);
    assert.deepEqual([...shownRuns(state, (id) => jobs.get(id))], [['3', 1], ['5', 2]]);
  });
});

describe('describeUntrusted: a raw webview value made safe for one log line', () => {
  it('quotes, escapes control, bidi and non-ASCII characters, and bounds the length', () => {
    assert.equal(describeUntrusted('7'), '"7"');
    assert.equal(describeUntrusted('a\nb'), '"a\\nb"');
    assert.equal(describeUntrusted('x\u202ey'), '"x\\u202ey"');
    assert.equal(describeUntrusted({ type: 'cancelJob', jobId: 42 }), '{"type":"cancelJob","jobId":42}');
    const long = describeUntrusted('z'.repeat(500), 80);
    assert.ok(long.startsWith(`"${'z'.repeat(79)}…`), long);
    assert.match(long, /\(502 chars\)$/);
    assert.equal(describeUntrusted(undefined), 'undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(describeUntrusted(cyclic), '[object Object]');
  });
});
