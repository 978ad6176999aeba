// `jobq wait` says why a queued job waits (when it starts waiting and whenever the reason changes)
// and `jobq add` says when auto-run is off — from the queue's files, with the engine's own rules.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Job } from '../../src/core';
import { queuedReason } from '../../src/cli/queuedReason';
import type { QueueView } from '../../src/cli/queueFolder';
import { CLI_BUNDLE, jobq } from './cliHelpers';
import { eventually, openService, waitForStatus } from './helpers';

const job = (id: string, extra: Partial<Job> = {}): Job => ({ id, spec: { command: `run ${id}` }, status: 'queued', attempt: 0, createdAt: 0, ...extra });
const view = (queued: Job[], extra: Partial<QueueView> = {}): QueueView => ({ queued, running: [], finished: [], autoRun: false, paused: false, lanes: {}, ...extra });

describe('jobq: why a queued job waits', () => {
  it('the sentence for each wait, from the files', () => {
    const owner = true;
    assert.equal(queuedReason(view([job('1')]), '1', owner), 'auto-run is off: it starts when you send it (Send Job in VS Code)');
    assert.equal(queuedReason(view([job('1')], { autoRun: true }), '1', owner), 'its turn: it starts as soon as a slot frees');
    assert.equal(queuedReason(view([job('1', { pending: true })]), '1', owner), 'it is next: it starts as soon as a slot frees');
    assert.equal(queuedReason(view([job('1', { hold: { by: 'user' } })]), '1', owner), 'held');
    assert.equal(queuedReason(view([job('1', { hold: { by: 'approval', source: 'terminal' } })]), '1', owner), 'held for approval (added by the terminal)');
    assert.equal(queuedReason(view([job('2'), job('1', { after: { ids: ['2'], condition: 'success' } })]), '1', owner), 'waits for Job #2');
    assert.equal(queuedReason(view([job('1')], { paused: true }), '1', owner), 'the queue is paused');
    assert.equal(queuedReason(view([job('1', { lane: 'gpu' })], { lanes: { gpu: { paused: true } } }), '1', owner), 'its lane “gpu” is paused');
    assert.match(queuedReason(view([job('1', { notBefore: Date.now() + 3_600_000 })]), '1', owner) ?? '', /^not before /);
    assert.equal(queuedReason(view([job('1')]), '1', false), 'no VS Code window runs this queue now; it is kept until one opens this folder');
    assert.equal(queuedReason(view([], { running: [job('1', { status: 'running' })] }), '1', owner), undefined, 'not queued: nothing to say');
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
