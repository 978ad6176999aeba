// The vscode-free pieces of the UI layer: menu capability tokens, the card's view-model and its
// throttle, and the card protocol's validation.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import { WebviewMessageSchema, HostMessageSchema } from '../../src/shared/runningJobProtocol';
import { formatClock, formatEta, runElapsedMs } from '../../src/shared/format';
import { jobContextValue } from '../../src/vscode/tree/capabilities';
import { laneContextValue } from '../../src/vscode/tree/queueRows';
import { Throttle, buildCardState } from '../../src/vscode/runningJobCard/cardState';
import { openService, waitForEvent } from './helpers';

const job = (status: Job['status'], extra: Partial<Job> = {}): Job => ({ id: '7', spec: { command: 'make' }, status, attempt: 1, createdAt: 0, ...extra });

describe('contextValue capability tokens', () => {
  it('offers exactly the actions each status allows', () => {
    assert.equal(jobContextValue(job('queued'), { canPauseJobs: true }), 'job queued cancellable movable removable holdable schedulable sendable timeable');
    assert.equal(jobContextValue(job('queued', { hold: { by: 'approval', source: 'api' } }), { canPauseJobs: true }), 'job queued cancellable movable removable releasable schedulable sendable timeable');
    assert.equal(jobContextValue(job('queued', { pending: true }), { canPauseJobs: true }), 'job queued cancellable movable removable holdable schedulable timeable');
    assert.equal(jobContextValue(job('running', { logPath: '/x.log' }), { canPauseJobs: true }), 'job running cancellable pausable requeueable haslog active');
    assert.equal(jobContextValue(job('paused', { logPath: '/x.log' }), { canPauseJobs: true }), 'job paused cancellable resumable requeueable haslog active');
    assert.equal(jobContextValue(job('failed', { logPath: '/x.log' }), { canPauseJobs: true }), 'job failed retryable haslog finished');
    assert.equal(jobContextValue(job('cancelled'), { canPauseJobs: true }), 'job cancelled retryable finished');
    const onSlurm = { spec: { command: 'train', runOn: { kind: 'slurm' as const } }, logPath: '/x.log' };
    assert.equal(jobContextValue(job('running', onSlurm), { canPauseJobs: true }), 'job running cancellable pausable requeueable haslog active onslurm', 'Show in Slurm only on a running Slurm job');
    assert.equal(jobContextValue(job('failed', onSlurm), { canPauseJobs: true }), 'job failed retryable haslog finished');
  });
  it('a queued job with a start time ahead can have it cleared', () => {
    assert.equal(jobContextValue(job('queued', { notBefore: Date.now() + 60_000 }), { canPauseJobs: true }), 'job queued cancellable movable removable holdable schedulable sendable timeable timed');
  });
  it('hides pause and resume where the platform cannot pause', () => {
    assert.doesNotMatch(jobContextValue(job('running'), { canPauseJobs: false }), /pausable|resumable/);
  });
});

describe('running-job card protocol', () => {
  it('accepts the webview messages it defines: ready, and requests that carry an id', () => {
    const messages = [
      { type: 'ready' },
      { type: 'sendNextJob', requestId: 'a-1' },
      ...['pauseJob', 'resumeJob', 'cancelJob', 'cancelAndRequeue', 'showLog'].map((action) => ({ type: 'action', requestId: 'a-2', action, jobId: '3', attempt: 1 })),
    ];
    for (const message of messages) assert.ok(WebviewMessageSchema.safeParse(message).success, JSON.stringify(message));
  });
  it('rejects anything else', () => {
    const action = { type: 'action', requestId: 'a-1', action: 'cancelJob', jobId: '3', attempt: 1 };
    for (const message of [
      null, 'ready', {}, { type: 'exec', command: 'rm -rf /' }, { type: 'ready', extra: 1 },
      // The old fire-and-forget commands are gone: every click is a request.
      { type: 'cancelJob', jobId: '3' }, { type: 'sendNextJob' },
      { ...action, action: 'exec' }, { ...action, jobId: 3 }, { ...action, jobId: '' }, { ...action, jobId: 'x'.repeat(65) },
      { ...action, requestId: '' }, { ...action, requestId: 'r'.repeat(65) }, { ...action, attempt: -1 }, { ...action, attempt: 1.5 },
      { type: 'action', requestId: 'a-1', action: 'cancelJob', jobId: '3' }, { ...action, extra: true },
    ]) {
      assert.equal(WebviewMessageSchema.safeParse(message).success, false, JSON.stringify(message));
    }
  });
  it('answers are didAct: ok, or not ok with a message', () => {
    assert.ok(HostMessageSchema.safeParse({ type: 'didAct', requestId: 'a-1', ok: true }).success);
    assert.ok(HostMessageSchema.safeParse({ type: 'didAct', requestId: 'a-1', ok: false, message: 'It is paused.' }).success);
    assert.equal(HostMessageSchema.safeParse({ type: 'didAct', requestId: 'a-1', ok: false }).success, false, 'a refusal says why');
    assert.equal(HostMessageSchema.safeParse({ type: 'didAct', requestId: 'a-1', ok: false, message: '' }).success, false);
    assert.equal(HostMessageSchema.safeParse({ type: 'didAct', ok: true }).success, false);
    assert.equal(HostMessageSchema.safeParse({ type: 'didUpdateProgress', jobId: '1', percent: 140, now: 0 }).success, false);
  });
  it('a state names each run (id and attempt) and the slots', () => {
    const job = { id: '7', attempt: 2, command: 'make', status: 'running', startedAt: 0, pausedMs: 0, output: [] };
    const state = { jobs: [job], slots: 3, queuedCount: 0, queuePaused: false, autoRun: false, canPause: true, now: 0 };
    assert.ok(HostMessageSchema.safeParse({ type: 'didChangeState', state }).success);
    assert.equal(HostMessageSchema.safeParse({ type: 'didChangeState', state: { ...state, slots: 0 } }).success, false);
    assert.equal(HostMessageSchema.safeParse({ type: 'didChangeState', state: { ...state, jobs: [{ ...job, attempt: undefined }] } }).success, false);
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
    const state = await buildCardState(service, 1000, async (_run, tail) => tail.map((text) => [{ text }]));
    assert.deepEqual(state.jobs.map((j) => [j.id, j.attempt, j.label, j.status]), [[a.id, 1, 'first', 'running'], [b.id, 1, undefined, 'running']]);
    assert.equal(state.slots, 2);
    assert.equal(state.jobs[0]!.percent, 30);
    assert.deepEqual(state.jobs[0]!.output, [[{ text: '::progress 30' }]]);
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
  it('sends the first change after a quiet interval at once, then at most one flush per interval', () => {
    let now = 10_000;
    const delays: number[] = [];
    const scheduled: Array<() => void> = [];
    const flushed: number[] = [];
    const throttle = new Throttle<string, number>(250, (items) => flushed.push(items.get('k')!), {
      set: (fn, ms) => (delays.push(ms), scheduled.push(fn)),
      clear: () => undefined,
      now: () => now,
    });
    throttle.push('k', 1);
    assert.deepEqual(delays, [0], 'quiet before: out on the next turn');
    scheduled.shift()!();
    now += 100;
    throttle.push('k', 2);
    assert.equal(delays.at(-1), 150, 'the rest of the interval since the last flush');
    now += 150;
    scheduled.shift()!();
    now += 260;
    throttle.push('k', 3);
    assert.equal(delays.at(-1), 0, 'a steady stream is not slowed to one flush per two intervals');
    scheduled.shift()!();
    assert.deepEqual(flushed, [1, 2, 3]);
  });
  it('flushNow delivers what waits at once, and nothing when nothing waits', () => {
    const cleared: unknown[] = [];
    const flushed: Array<Map<string, number>> = [];
    const throttle = new Throttle<string, number>(250, (items) => flushed.push(items), { set: () => 'timer', clear: (h) => cleared.push(h) });
    throttle.flushNow();
    assert.equal(flushed.length, 0);
    throttle.push('state', 1);
    throttle.flushNow();
    assert.deepEqual(flushed.map((m) => [...m]), [[['state', 1]]]);
    assert.deepEqual(cleared, ['timer'], 'the pending timer is cancelled');
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
      .concat(jobContextValue(job('queued', { hold: { by: 'user' } }), { canPauseJobs: true }).split(' '))
      .concat(jobContextValue(job('failed', { logPath: '/x' }), { canPauseJobs: true }).split(' '))
      .concat(jobContextValue(job('queued', { notBefore: Date.now() + 60_000 }), { canPauseJobs: true }).split(' '))
      .concat(jobContextValue(job('running', { spec: { command: 'train', runOn: { kind: 'slurm' } } }), { canPauseJobs: true }).split(' '))
      // A lane's group in the Queue (more than one lane): running and paused.
      .concat(laneContextValue({ kind: 'lane', lane: 'gpu', view: { name: 'gpu', slots: 1, running: 0, paused: false }, queued: 0 }).split(' '))
      .concat(laneContextValue({ kind: 'lane', lane: 'gpu', view: { name: 'gpu', slots: 1, running: 0, paused: true }, queued: 0 }).split(' ')));
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
