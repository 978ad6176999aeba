// The card's host answers a refused request with a plain message for the card: never the id the
// webview sent, and the run the user saw (its attempt) must be the run the card shows.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import { decideCardMessage, guardInput } from '../../src/vscode/runningJobCard/cardGuard';

const job = (id: string, status: Job['status'], attempt = 1): Job => ({ id, spec: { command: 'make' }, status, attempt, createdAt: 0 });
const shown = new Map([['3', 2]]);

describe('card guard: requests and their answers', () => {
  it('reads a webview request as the action on the run it names', () => {
    assert.deepEqual(guardInput({ type: 'action', requestId: 'r', action: 'pauseJob', jobId: '3', attempt: 2 }), { type: 'pauseJob', jobId: '3', attempt: 2 });
  });

  it('accepts the run the card shows', () => {
    assert.deepEqual(decideCardMessage({ type: 'pauseJob', jobId: '3', attempt: 2 }, shown, job('3', 'running', 2)), { accept: true });
  });

  it('refuses a request for an earlier run than the card shows, and says so plainly', () => {
    const decision = decideCardMessage({ type: 'cancelJob', jobId: '3', attempt: 1 }, shown, job('3', 'running', 2));
    assert.equal(decision.accept, false);
    assert.ok(!decision.accept && decision.message.length > 0);
  });

  it('every refusal has a message for the card, without the id the webview sent', () => {
    const forged = '<b>9\u202e</b>';
    const cases: Array<[Parameters<typeof decideCardMessage>[0], Job | undefined]> = [
      [{ type: 'cancelJob', jobId: forged, attempt: 1 }, undefined],
      [{ type: 'cancelJob', jobId: '3', attempt: 2 }, undefined],
      [{ type: 'cancelJob', jobId: '3', attempt: 2 }, job('3', 'running', 3)],
      [{ type: 'cancelJob', jobId: '3', attempt: 2 }, job('3', 'queued', 2)],
      [{ type: 'pauseJob', jobId: '3', attempt: 2 }, job('3', 'paused', 2)],
      [{ type: 'resumeJob', jobId: '3', attempt: 2 }, job('3', 'running', 2)],
    ];
    for (const [message, current] of cases) {
      const decision = decideCardMessage(message, shown, current);
      assert.equal(decision.accept, false, JSON.stringify(message));
      if (decision.accept) continue;
      assert.ok(decision.message.length > 0 && decision.reason.length > 0);
      assert.ok(!decision.message.includes(forged) && !decision.reason.includes(forged));
      assert.doesNotMatch(decision.message, /#/, 'the card shows it next to the job: no id needed');
    }
  });

  it('says "already" when the job is where the button would put it, and that it ended when it did', () => {
    const paused = decideCardMessage({ type: 'pauseJob', jobId: '3', attempt: 2 }, shown, job('3', 'paused', 2));
    assert.ok(!paused.accept && paused.message === 'This job is already paused.');
    const cancelled = decideCardMessage({ type: 'cancelJob', jobId: '3', attempt: 2 }, shown, job('3', 'cancelled', 2));
    assert.ok(!cancelled.accept && cancelled.message === 'This job has ended: it is cancelled.');
  });
});
