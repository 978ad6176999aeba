// `jobq wait` says why a queued job waits (when it starts waiting and whenever the reason changes)
// and `jobq add` says when auto-run is off — from the queue's files, with the engine's own rules.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Job, QueueSnapshot } from '../../src/core';
import { queuedReason } from '../../src/cli/queuedReason';
import { emptySnapshot } from '../../src/core/store/queueStore';
import { CLI_BUNDLE, jobq } from './cliHelpers';
import { eventually, openService, waitForStatus } from './helpers';

const job = (id: string, extra: Partial<Job> = {}): Job => ({ id, spec: { command: `run ${id}` }, status: 'queued', attempt: 0, createdAt: 0, ...extra });
const snapshot = (queued: Job[], extra: Partial<QueueSnapshot> = {}): QueueSnapshot => ({ ...emptySnapshot(), queued, ...extra });
/** The sentence for the first queued job of the snapshot. */
const reason = (queued: Job[], extra: Partial<QueueSnapshot> = {}, ownerRuns = true): string => queuedReason(snapshot(queued, extra), queued.at(-1)!, ownerRuns ? { kind: 'running' } : { kind: 'none' });

describe('jobq: why a queued job waits', () => {
  it('the sentence for each wait, from the snapshot (the job itself as the log has it)', () => {
    assert.equal(reason([job('1')]), 'auto-run is off: it starts when you send it (Send Job in VS Code)');
    assert.equal(reason([job('1')], { autoRun: true }), 'its turn: it starts as soon as a slot frees');
    assert.equal(reason([job('1', { pending: true })]), 'it is next: it starts as soon as a slot frees');
    assert.equal(reason([job('1', { hold: { by: 'user' } })]), 'held');
    assert.equal(reason([job('1', { hold: { by: 'approval', source: 'terminal' } })]), 'held for approval (added by the terminal)');
    assert.equal(reason([job('2'), job('1', { after: { ids: ['2'], condition: 'success' } })]), 'waits for Job #2');
    assert.equal(reason([job('1', { after: { ids: ['2'], condition: 'success' } })]), 'auto-run is off: it starts when you send it (Send Job in VS Code)', 'a dependency no longer queued or running has finished');
    assert.equal(reason([job('1')], { paused: true }), 'the queue is paused');
    assert.equal(reason([job('1', { lane: 'gpu' })], { lanes: { gpu: { paused: true } } }), 'its lane “gpu” is paused');
    assert.match(reason([job('1', { notBefore: Date.now() + 3_600_000 })]), /^not before /);
    assert.equal(reason([job('1')], {}, false), 'no VS Code window runs this queue now; it is kept until one opens this folder');
  });

  it('jobq add says that auto-run is off, and not when it is on', async () => {
    const service = await openService({ externalJobs: 'run' });
    const off = await jobq(service.storageDir, ['add', '--', 'true']);
    assert.equal(off.code, 0, JSON.stringify(off));
    assert.equal(off.stderr, 'jobq: auto-run is off in VS Code: the job waits for Send Job (or turn auto-run on).\n');
    const held = await jobq(service.storageDir, ['add', '--hold', '--', 'true']);
    assert.match(held.stderr, /waits for Send Job once released/);
    service.setAutoRun(true);
    const on = await jobq(service.storageDir, ['add', '--', 'true']);
    assert.equal(on.stderr, '');
  });

  it('jobq wait says why the job waits when it starts waiting and each time the reason changes, once each', async function () {
    this.timeout(30_000);
    const service = await openService({ externalJobs: 'run' });
    const queued = service.enqueue({ command: 'exit 0' }, { hold: true });
    const child = spawn(process.execPath, [CLI_BUNDLE, 'wait', queued.id], { env: { ...process.env, JOB_QUEUE_DIR: service.storageDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const ended = new Promise<number | null>((resolve) => child.once('close', resolve));
    const said = (text: string) => eventually(() => stderr.includes(text), `jobq wait to say “${text}” (said: ${stderr})`);
    await said(`jobq: Job #${queued.id} waits: held.`);
    service.release(queued.id);
    await said(`jobq: Job #${queued.id} waits: auto-run is off: it starts when you send it (Send Job in VS Code).`);
    service.setQueuePaused(true);
    await said(`jobq: Job #${queued.id} waits: the queue is paused.`);
    service.setQueuePaused(false);
    service.setAutoRun(true);
    await waitForStatus(service, queued.id, 'completed');
    assert.equal(await ended, 0);
    const lines = stderr.trim().split('\n');
    const [held, autoRunOff, paused] = [`jobq: Job #${queued.id} waits: held.`, `jobq: Job #${queued.id} waits: auto-run is off: it starts when you send it (Send Job in VS Code).`, `jobq: Job #${queued.id} waits: the queue is paused.`];
    assert.deepEqual(lines.slice(0, 3), [held, autoRunOff, paused], 'each reason when it began, in order');
    // After the pause is lifted the job may be seen waiting for Send Job a moment, then running (or have ended between two looks).
    for (const line of lines.slice(3)) assert.ok([autoRunOff, `jobq: Job #${queued.id} waits: its turn: it starts as soon as a slot frees.`, `jobq: Job #${queued.id} is running.`].includes(line), line);
    assert.ok(lines.every((line, i) => i === 0 || line !== lines[i - 1]), `said only when it changed: ${stderr}`);
  });
});
