// The Jobs view's message line follows the engine: who runs the queue (follower ⇄ owner, reloads)
// and why it is paused, until it is resumed. A stand-in engine drives it: the role and the ownership
// events are the engine's interface, whatever implements them.
import * as assert from 'node:assert/strict';
import type { JobService, JobServiceEvent, JobServiceListener, OwnerInfo, QueueRole } from '../../src/core';
import { JobsViewMessage } from '../../src/vscode/jobsViewMessage';

const owner: OwnerInfo = { v: 1, pid: 4242, startToken: 't', instance: 'i', label: 'VS Code window', since: 0 };

function fakeService(role: QueueRole, paused: boolean) {
  const listeners = new Set<JobServiceListener>();
  const state = { role, paused };
  const service = {
    get role() {
      return state.role;
    },
    isQueuePaused: () => state.paused,
    onDidChange(listener: JobServiceListener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  } as unknown as JobService;
  const emit = (e: JobServiceEvent) => listeners.forEach((l) => l(e));
  return { service, state, emit, listeners };
}

describe('Jobs view message', () => {
  it('a follower says who runs the queue; taking over clears it', () => {
    const { service, state, emit } = fakeService({ kind: 'follower', owner }, false);
    const view: { message?: string } = {};
    const line = new JobsViewMessage(service, view, undefined);
    assert.match(line.message ?? '', /^This queue is run by another VS Code window \(VS Code window \(pid 4242/);
    state.role = { kind: 'owner' };
    emit({ type: 'roleChanged', role: state.role });
    assert.equal(line.message, undefined);
    assert.equal(view.message, '');
  });

  it('says why opening paused the queue until the queue is resumed', () => {
    const { service, state, emit } = fakeService({ kind: 'owner' }, true);
    const view: { message?: string } = {};
    const line = new JobsViewMessage(service, view, 'Job #4 was interrupted when VS Code stopped, so the queue was paused. Check it, then resume the queue.');
    assert.equal(line.message, 'Job #4 was interrupted when VS Code stopped, so the queue was paused. Check it, then resume the queue.');
    emit({ type: 'flagsChanged', autoRun: false, paused: true });
    assert.ok(line.message, 'still paused for that reason');
    state.paused = false;
    emit({ type: 'flagsChanged', autoRun: false, paused: false });
    assert.equal(line.message, undefined);
    state.paused = true;
    emit({ type: 'flagsChanged', autoRun: false, paused: true });
    assert.equal(line.message, undefined, 'paused again by the user: no stale reason');
  });

  it('ignores a reason when the queue is no longer paused, and re-reads the role on reload', () => {
    const { service, state, emit, listeners } = fakeService({ kind: 'owner' }, false);
    const view: { message?: string } = {};
    const line = new JobsViewMessage(service, view, 'interrupted');
    assert.equal(line.message, undefined);
    state.role = { kind: 'follower', owner };
    emit({ type: 'reloaded' });
    assert.match(line.message ?? '', /another VS Code window/);
    line.dispose();
    assert.equal(listeners.size, 0, 'disposing unsubscribes');
  });
});
