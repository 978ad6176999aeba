// The sentences the user reads about what opening the queue found, and the Jobs view's message line.
import * as assert from 'node:assert/strict';
import type { Job, OwnerInfo } from '../../src/core';
import { endedWhileClosedSummary, interruptedSummary, jobsViewMessage, pausedMessage, refusedRequestsSummary } from '../../src/vscode/openReportText';

const job = (id: string, status: Job['status'], extra: Partial<Job> = {}): Job => ({ id, spec: { command: `run ${id}` }, status, attempt: 1, createdAt: 0, startedAt: 0, finishedAt: 1, ...extra });
const owner: OwnerInfo = { v: 1, pid: 4242, startToken: 't', instance: 'i', label: 'VS Code window', since: Date.UTC(2026, 0, 1, 12, 0, 0) };

describe('open report: runs that ended while VS Code was closed', () => {
  it('several runs are ONE summary, counted by outcome, with the ids of the ones that did not complete', () => {
    const summary = endedWhileClosedSummary([job('2', 'completed'), job('3', 'completed', { exitCode: 0 }), job('4', 'failed', { exitCode: 1 })]);
    assert.deepEqual(summary, { message: '3 jobs finished while VS Code was closed: 2 completed, 1 failed (#4).', notCompleted: 1 });
  });
  it('one run is named, with how it ended', () => {
    assert.equal(endedWhileClosedSummary([job('4', 'failed', { exitCode: 3, spec: { command: 'make\n  -j8', label: undefined } })])!.message, 'Job #4 “make -j8” finished while VS Code was closed: failed (exit 3).');
    assert.equal(endedWhileClosedSummary([job('5', 'completed')])!.notCompleted, 0);
  });
  it('lists at most five ids', () => {
    const failed = Array.from({ length: 7 }, (_, i) => job(String(i + 1), 'failed'));
    assert.equal(endedWhileClosedSummary(failed)!.message, '7 jobs finished while VS Code was closed: 7 failed (#1, #2, #3, #4, #5, …).');
  });
  it('nothing to say about nothing', () => {
    assert.equal(endedWhileClosedSummary([]), undefined);
  });
});

describe('open report: jobs saved while closed that could not be queued', () => {
  const refused = (n: number) => ({ requestId: `r${n}`, from: 'the terminal', title: `make  part${n}`, reason: `Job #${n} waits for Job #1, which failed.` });
  it('one is named with who sent it and why', () => {
    assert.equal(refusedRequestsSummary([refused(2)]), 'A job saved while VS Code was closed was not queued — “make part2” (from the terminal): Job #2 waits for Job #1, which failed.');
  });
  it('several are one sentence, at most five listed', () => {
    const text = refusedRequestsSummary([1, 2, 3, 4, 5, 6].map(refused))!;
    assert.match(text, /^6 jobs saved while VS Code was closed were not queued — “make part1” \(from the terminal\): Job #1 waits for Job #1, which failed; .*part5.*; …\.$/);
    assert.doesNotMatch(text, /part6/);
  });
  it('nothing to say about nothing', () => {
    assert.equal(refusedRequestsSummary([]), undefined);
  });
});

describe('open report: interrupted runs', () => {
  it('says which, that they are back in the queue, and that the queue was paused', () => {
    const text = interruptedSummary([job('4', 'interrupted')], { requeued: () => true, pausedBecause: 'Job #4 was interrupted.' });
    assert.equal(text, 'Job #4 “run 4” was interrupted while VS Code was closed: its end cannot be known. It is back at the top of the queue. The queue was paused so nothing re-runs behind your back: resume it when you are ready.');
  });
  it('kept in the history, queue not paused', () => {
    const text = interruptedSummary([job('4', 'interrupted'), job('6', 'interrupted')], { requeued: () => false });
    assert.equal(text, '2 jobs were interrupted while VS Code was closed (#4, #6): their end cannot be known. They stay in the history; Retry runs them again.');
  });
});

describe('Jobs view message: the words', () => {
  it('is empty for the owner of an unpaused queue', () => {
    assert.equal(jobsViewMessage({ role: { kind: 'owner' } }), undefined);
  });
  it('says another window runs the queue, naming it', () => {
    const text = jobsViewMessage({ role: { kind: 'follower', owner } })!;
    assert.match(text, /^This queue is run by another VS Code window \(VS Code window \(pid 4242, since .+\)\)\. Jobs added here are passed to it/);
  });
  it('says why the queue is paused and how to resume, whatever the engine\'s wording', () => {
    assert.equal(pausedMessage('job #4 was interrupted'), 'The queue is paused: job #4 was interrupted. Resume Queue (in the view\'s title bar) starts jobs again.');
    assert.equal(pausedMessage('Paused after an interrupted run. Resume the queue to run it again.'), 'Paused after an interrupted run. Resume the queue to run it again.');
    assert.match(jobsViewMessage({ role: { kind: 'follower', owner }, pausedBecause: 'x' })!, /another VS Code window.*The queue is paused: x\./);
  });
});
