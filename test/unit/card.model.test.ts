// The running-job card's model (webview-ui/cardModel.ts), without a DOM: output lines keep their
// numbers as the tail slides (so their DOM nodes and any selection survive), requests are busy until
// answered, refusals show next to their job and expire, and the card's words name things one way.
import * as assert from 'node:assert/strict';
import type { CardJob, CardLine, CardState, HostMessage } from '../../src/shared/runningJobProtocol';
import { CardModel, NOTICE_MS, PAGE, advanceOutput as advanceLines, jobIdentity, queueSummary, resultWords, runKey, slotsHeading, type OutputWindow } from '../../webview-ui/cardModel';

/** Plain lines (one run each) as the host sends them. */
const lines = (...texts: string[]): CardLine[] => texts.map((text) => [{ text }]);
const texts = (window: OutputWindow) => ({ first: window.first, lines: window.lines.map((l) => l.map((r) => r.text).join('')) });
const advanceOutput = (previous: OutputWindow<string> | undefined, tail: string[]) => advanceLines(previous, tail, (s) => s);

const job = (id: string, extra: Partial<CardJob> = {}): CardJob => ({ id, attempt: 1, command: 'make', status: 'running', startedAt: 0, pausedMs: 0, output: [], ...extra });
const state = (jobs: CardJob[], extra: Partial<CardState> = {}): HostMessage => ({
  type: 'didChangeState',
  state: { jobs, slots: 1, queuedCount: 0, queuePaused: false, autoRun: false, canPause: true, now: 1000, ...extra },
});

describe('card output: each line keeps its number while the tail slides', () => {
  it('numbers the first tail from 0', () => {
    assert.deepEqual(advanceOutput(undefined, ['a', 'b']), { first: 0, lines: ['a', 'b'] });
  });
  it('keeps the numbers of lines still shown when lines are appended and the oldest drop off', () => {
    const one = advanceOutput(undefined, ['step 1', 'step 2', 'step 3']);
    assert.deepEqual(advanceOutput(one, ['step 1', 'step 2', 'step 3', 'step 4']), { first: 0, lines: ['step 1', 'step 2', 'step 3', 'step 4'] });
    const slid = advanceOutput(one, ['step 3', 'step 4', 'step 5']);
    assert.equal(slid.first, 2, '"step 3" was line 2 and still is');
  });
  it('a last line printed in pieces keeps its number as it grows', () => {
    const one = advanceOutput(undefined, ['a', 'downloading 10%']);
    assert.deepEqual(advanceOutput(one, ['a', 'downloading 10% 20%', 'b']), { first: 0, lines: ['a', 'downloading 10% 20%', 'b'] });
  });
  it('with no overlap (more printed than the tail holds) every line is new', () => {
    const one = advanceOutput({ first: 5, lines: ['x', 'y'] }, ['p', 'q', 'r']);
    assert.deepEqual(one, { first: 7, lines: ['p', 'q', 'r'] });
  });
  it('identical tails change nothing; repeated lines prefer the smallest slide', () => {
    const one = advanceOutput(undefined, ['.', '.', '.']);
    assert.equal(advanceOutput(one, ['.', '.', '.']).first, 0);
    assert.equal(advanceOutput(one, ['.', '.', '.', '.']).first, 0);
  });
  it('an empty tail after output numbers nothing shown', () => {
    assert.deepEqual(advanceOutput({ first: 3, lines: ['a'] }, []), { first: 4, lines: [] });
  });
});

describe('card model', () => {
  it('follows state, progress and output; the output window of a run survives a full state', () => {
    const model = new CardModel();
    model.apply(state([job('7', { output: lines('step 1', 'step 2') })]), 1000);
    model.apply({ type: 'didUpdateOutput', jobId: '7', output: lines('step 2', 'step 3') }, 1100);
    assert.deepEqual(texts(model.outputOf(model.state!.jobs[0]!)), { first: 1, lines: ['step 2', 'step 3'] });
    model.apply(state([job('7', { output: lines('step 3', 'step 4') })]), 1200);
    assert.deepEqual(texts(model.outputOf(model.state!.jobs[0]!)), { first: 2, lines: ['step 3', 'step 4'] });
    model.apply({ type: 'didUpdateProgress', jobId: '7', percent: 40, etaMs: 6000, etaSource: 'rate', now: 1300 }, 1300);
    assert.equal(model.state!.jobs[0]!.percent, 40);
    // The last state said host time 1000 at local time 1200: the host's clock is 200 ms behind.
    assert.equal(model.eta(model.state!.jobs[0]!, 2300), 5200, 'the ETA counts down locally, in host time');
  });

  it('a new run of the same job starts its output afresh', () => {
    const model = new CardModel();
    model.apply(state([job('7', { output: lines('old') })]), 0);
    model.apply(state([job('7', { attempt: 2, output: lines('new') })]), 0);
    assert.deepEqual(texts(model.outputOf(model.state!.jobs[0]!)), { first: 0, lines: ['new'] });
  });

  it('corrects for the host clock and stops the clock while paused', () => {
    const model = new CardModel();
    // The host's clock is 10 s ahead of this one.
    model.apply(state([job('7', { startedAt: 5000 })], { now: 20_000 }), 10_000);
    assert.equal(model.elapsed(model.state!.jobs[0]!, 11_000), 16_000);
    model.apply(state([job('7', { startedAt: 5000, status: 'paused', pausedAt: 8000, pausedMs: 1000 })], { now: 20_000 }), 10_000);
    assert.equal(model.elapsed(model.state!.jobs[0]!, 99_000), 2000);
  });

  it('a request is busy until its answer; ok clears a refusal shown for that run', () => {
    const model = new CardModel();
    model.apply(state([job('7')]), 0);
    const key = runKey(model.state!.jobs[0]!);
    model.request('r1', key, 'pauseJob');
    assert.equal(model.isBusy(key, 'pauseJob'), true);
    assert.equal(model.isBusy(key, 'cancelJob'), false, 'only the pressed button is busy');
    model.apply({ type: 'didAct', requestId: 'r1', ok: false, message: 'This job is already paused.' }, 100);
    assert.equal(model.isBusy(key, 'pauseJob'), false);
    assert.equal(model.notice(key, 200), 'This job is already paused.');
    model.request('r2', key, 'resumeJob');
    model.apply({ type: 'didAct', requestId: 'r2', ok: true }, 300);
    assert.equal(model.notice(key, 400), undefined, 'the next successful action clears it');
  });

  it('a refusal expires after a few seconds', () => {
    const model = new CardModel();
    model.apply(state([job('7')]), 0);
    model.request('r1', '7:1', 'cancelJob');
    model.apply({ type: 'didAct', requestId: 'r1', ok: false, message: 'No.' }, 1000);
    assert.equal(model.notice('7:1', 1000 + NOTICE_MS - 1), 'No.');
    assert.equal(model.notice('7:1', 1000 + NOTICE_MS), undefined);
  });

  it('answers to unknown requests are ignored', () => {
    const model = new CardModel();
    model.apply(state([job('7')]), 0);
    model.apply({ type: 'didAct', requestId: 'never sent', ok: false, message: 'No.' }, 0);
    assert.equal(model.notice('7:1', 0), undefined);
    assert.equal(model.notice(PAGE, 0), undefined);
  });

  it('a refusal about a run that left the card moves to the page, naming the job', () => {
    const model = new CardModel();
    model.apply(state([job('7'), job('8')]), 0);
    model.request('r1', '7:1', 'cancelJob');
    model.apply({ type: 'didAct', requestId: 'r1', ok: false, message: 'It failed.' }, 0);
    model.apply(state([job('8')]), 10);
    assert.equal(model.notice('7:1', 20), undefined);
    assert.equal(model.notice(PAGE, 20), 'Job #7: It failed.');
    // An answer that arrives after its run left the card goes to the page at once.
    model.request('r2', '8:1', 'cancelJob');
    model.apply(state([]), 30);
    model.apply({ type: 'didAct', requestId: 'r2', ok: false, message: 'Too late.' }, 40);
    assert.equal(model.notice(PAGE, 50), 'Job #8: Too late.');
  });

  it('the empty state\'s Send Job is a request on the page', () => {
    const model = new CardModel();
    model.apply(state([], { queuedCount: 1 }), 0);
    model.request('r1', PAGE, 'sendNextJob');
    assert.equal(model.isBusy(PAGE, 'sendNextJob'), true);
    model.apply({ type: 'didAct', requestId: 'r1', ok: false, message: 'The queue is paused.' }, 0);
    assert.equal(model.notice(PAGE, 1), 'The queue is paused.');
  });
});

describe('card words: one name for each thing', () => {
  it('names a job by its id and label, never by its order among running jobs', () => {
    assert.deepEqual(jobIdentity({ id: '7', label: 'build', command: 'make' }), { id: 'Job #7', title: 'build' });
    assert.deepEqual(jobIdentity({ id: '7', command: 'make' }), { id: 'Job #7', title: 'make' });
  });
  it('counts running jobs against the slots', () => {
    assert.equal(slotsHeading(1, 1), 'Running (1 of 1 slot)');
    assert.equal(slotsHeading(2, 3), 'Running (2 of 3 slots)');
  });
  it('says how many jobs are queued, never where', () => {
    assert.equal(queueSummary({ queuedCount: 0, queuePaused: false, autoRun: false }), 'Queue is empty');
    assert.equal(queueSummary({ queuedCount: 1, queuePaused: true, autoRun: false }), '1 job queued · Queue paused');
    assert.equal(queueSummary({ queuedCount: 2, queuePaused: false, autoRun: true }), '2 jobs queued · auto-run on');
  });
});

describe('card model: the kept result', () => {
  const result = { id: '5', attempt: 2, command: 'make', status: 'failed' as const, exitCode: 2, durationMs: 65_000, finishedAt: 9, output: lines('a', 'b') };
  it('says how the run ended', () => {
    assert.deepEqual(resultWords(result), { status: 'Failed', detail: 'exit code 2 · ran 00:01:05' });
    assert.deepEqual(resultWords({ ...result, status: 'cancelled', exitCode: undefined, signal: 'SIGTERM' }), { status: 'Cancelled', detail: 'ended by SIGTERM · ran 00:01:05' });
  });
  it('keeps the result output and its refusals on the card, as for a running job', () => {
    const model = new CardModel();
    model.apply(state([], { result }), 0);
    assert.deepEqual(texts(model.outputOf(model.state!.result!)), { first: 0, lines: ['a', 'b'] });
    model.request('r1', runKey(result), 'retryJob');
    model.apply({ type: 'didAct', requestId: 'r1', ok: false, message: 'This workspace is not trusted.' }, 0);
    assert.equal(model.notice(runKey(result), 1), 'This workspace is not trusted.');
    model.apply(state([]), 0);
    assert.equal(model.notice(PAGE, 1), 'Job #5: This workspace is not trusted.', 'dismissed: the refusal moves to the page');
  });
});
