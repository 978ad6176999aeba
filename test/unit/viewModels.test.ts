// The vscode-free pieces of the UI layer: menu capability tokens, the card's view-model and its
// throttle, and the card protocol's validation.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import { WebviewMessageSchema, HostMessageSchema } from '../../src/shared/runningJobProtocol';
import { formatClock, formatEta, runElapsedMs } from '../../src/shared/format';
import { jobContextValue } from '../../src/vscode/tree/capabilities';
import { Throttle, buildCardState } from '../../src/vscode/runningJobCard/cardState';
import { openService, waitForEvent } from './helpers';

const job = (status: Job['status'], extra: Partial<Job> = {}): Job => ({ id: '7', spec: { command: 'make' }, status, attempt: 1, createdAt: 0, ...extra });

describe('contextValue capability tokens', () => {
  it('offers exactly the actions each status allows', () => {
    assert.equal(jobContextValue(job('queued'), { canPauseJobs: true }), 'job queued cancellable movable removable');
    assert.equal(jobContextValue(job('running', { logPath: '/x.log' }), { canPauseJobs: true }), 'job running cancellable pausable requeueable haslog active');
    assert.equal(jobContextValue(job('paused', { logPath: '/x.log' }), { canPauseJobs: true }), 'job paused cancellable resumable requeueable haslog active');
    assert.equal(jobContextValue(job('failed', { logPath: '/x.log' }), { canPauseJobs: true }), 'job failed retryable haslog finished');
    assert.equal(jobContextValue(job('cancelled'), { canPauseJobs: true }), 'job cancelled retryable finished');
  });
  it('hides pause and resume where the platform cannot pause', () => {
    assert.doesNotMatch(jobContextValue(job('running'), { canPauseJobs: false }), /pausable|resumable/);
  });
});

describe('running-job card protocol', () => {
  it('accepts the webview commands it defines', () => {
    for (const message of [{ type: 'ready' }, { type: 'sendNextJob' }, { type: 'cancelJob', jobId: '3' }, { type: 'cancelAndRequeue', jobId: '3' }, { type: 'pauseJob', jobId: '3' }, { type: 'resumeJob', jobId: '3' }, { type: 'showLog', jobId: '3' }]) {
      assert.ok(WebviewMessageSchema.safeParse(message).success, JSON.stringify(message));
    }
  });
  it('rejects anything else', () => {
    for (const message of [null, 'ready', {}, { type: 'exec', command: 'rm -rf /' }, { type: 'cancelJob' }, { type: 'cancelJob', jobId: 3 }, { type: 'cancelJob', jobId: '' }, { type: 'ready', extra: 1 }]) {
      assert.equal(WebviewMessageSchema.safeParse(message).success, false, JSON.stringify(message));
    }
    assert.equal(HostMessageSchema.safeParse({ type: 'didUpdateProgress', jobId: '1', percent: 140, now: 0 }).success, false);
  });
});

describe('card view-model', () => {
  it('lists running jobs in start order with their progress and tail, and the queue', async () => {
    const service = await openService({ maxParallelJobs: 2 });
    const a = service.enqueue({ command: 'echo "::progress 30"; sleep 30', label: 'first' });
    const b = service.enqueue({ command: 'sleep 30' });
    service.enqueue({ command: 'echo waiting' });
    service.setAutoRun(true);
    await waitForEvent(service, (e) => e.type === 'progress' && e.jobId === a.id && e.progress.percent === 30);
    const state = buildCardState(service, 1000);
    assert.deepEqual(state.jobs.map((j) => [j.ordinal, j.id, j.label, j.status]), [[1, a.id, 'first', 'running'], [2, b.id, undefined, 'running']]);
    assert.equal(state.jobs[0]!.percent, 30);
    assert.deepEqual(state.jobs[0]!.tail, ['::progress 30']);
    assert.equal(state.queuedCount, 1);
    assert.equal(state.canPause, process.platform !== 'win32');
  });
});

describe('Throttle', () => {
  it('coalesces a flood into one flush per interval with the latest value per key', () => {
    const scheduled: Array<() => void> = [];
    const flushed: Array<Map<string, number>> = [];
    const throttle = new Throttle<string, number>(250, (items) => flushed.push(items), { set: (fn) => scheduled.push(fn), clear: () => undefined });
    for (let i = 0; i < 10_000; i++) throttle.push(i % 2 ? 'output:1' : 'progress:1', i);
    assert.equal(scheduled.length, 1, 'one timer for the whole burst');
    scheduled[0]!();
    assert.equal(flushed.length, 1);
    assert.deepEqual([...flushed[0]!], [['progress:1', 9998], ['output:1', 9999]]);
  });
});

describe('time formatting', () => {
  it('formats clocks, ETAs and elapsed time without paused time', () => {
    assert.equal(formatClock(3_723_000), '01:02:03');
    assert.equal(formatEta(undefined), 'ETA —');
    assert.equal(formatEta(61_000), 'ETA ~00:01:01');
    assert.equal(runElapsedMs({ startedAt: 0, pausedMs: 2000 }, 10_000), 8000);
    assert.equal(runElapsedMs({ startedAt: 0, pausedMs: 0, pausedAt: 4000 }, 10_000), 4000);
  });
});

describe('package.json menus', () => {
  it('match only capability tokens that the tree actually emits, on commands that exist', async () => {
    const manifest = (await import('../../package.json')).default as unknown as {
      contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    const emitted = new Set(jobContextValue(job('running', { logPath: '/x' }), { canPauseJobs: true }).split(' ')
      .concat(jobContextValue(job('paused'), { canPauseJobs: true }).split(' '))
      .concat(jobContextValue(job('queued'), { canPauseJobs: true }).split(' '))
      .concat(jobContextValue(job('failed', { logPath: '/x' }), { canPauseJobs: true }).split(' ')));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) {
        assert.ok(commands.has(item.command), `${menu}: ${item.command} is a contributed command`);
        for (const [, token] of (item.when ?? '').matchAll(/viewItem =~ \/\\b(\w+)\\b\//g)) {
          assert.ok(emitted.has(token!), `${menu}: ${item.command} matches token "${token}" that no job carries`);
        }
      }
    }
  });
});
