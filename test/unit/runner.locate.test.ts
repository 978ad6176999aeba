// locate(): a run whose start its host did not see confirmed is resolved by LOOKING for it (its
// exit in the journal, its live wrapper, its started line), never by running it again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalProcessRunner } from '../../src/core/runner/localRunner';
import { fileLines, isLive, liveGroupMembers, runnerTempDir, startRun, until, codeOf } from './fixtures/runnerTestKit';

describe('runner: locate a run whose start was not confirmed', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('finds a running job by what it was started with, and the execution it returns can cancel it', async () => {
    const run = startRun('echo ready; sleep 300', { jobId: '12', attempt: 2 });
    await until(() => fileLines(run.logPath).includes('ready'), 'the job runs');
    run.execution.detach(); // the host died before recording the handle: it is forgotten

    const found = new LocalProcessRunner().locate({ jobId: '12', attempt: 2, logPath: run.logPath });
    assert.equal(found.kind, 'running');
    if (found.kind !== 'running') return;
    // The handle it rebuilt is the real one: same wrapper pid and start token.
    assert.deepEqual(found.execution.handle, run.handle);
    await found.execution.terminate(2000);
    const exit = await found.execution.exited;
    assert.equal(codeOf(exit), 143);
    assert.equal(isLive(run.handle.pid), false);
    assert.deepEqual(liveGroupMembers(run.handle.pid), []);
  });

  it('does not take the wrapper of another run (other attempt, other journal) for this one', async () => {
    const run = startRun('sleep 300', { jobId: '12', attempt: 1 });
    run.execution.detach();
    await until(() => fileLines(run.handle.exitJournal).includes('12.1 started'), 'the job runs');
    const runner = new LocalProcessRunner();
    assert.deepEqual(runner.locate({ jobId: '12', attempt: 2, logPath: run.logPath }), { kind: 'neverStarted' });
    const elsewhere = path.join(runnerTempDir(), '12.1.log');
    assert.deepEqual(runner.locate({ jobId: '12', attempt: 1, logPath: elsewhere }), { kind: 'neverStarted' });
  });

  it('reports a job that ended meanwhile as finished, with its exit code', async () => {
    const run = startRun('exit 5', { jobId: '3', attempt: 1 });
    run.execution.detach();
    await until(() => fileLines(run.handle.exitJournal).includes('3.1 5'), 'the job ended');
    const found = new LocalProcessRunner().locate({ jobId: '3', attempt: 1, logPath: run.logPath });
    assert.equal(found.kind, 'finished');
    assert.equal(found.kind === 'finished' && codeOf(found.exit), 5);
  });

  it('says neverStarted when there is no process and no trace of the run', () => {
    const dir = runnerTempDir();
    const logPath = path.join(dir, '4.1.log');
    const runner = new LocalProcessRunner();
    assert.deepEqual(runner.locate({ jobId: '4', attempt: 1, logPath }), { kind: 'neverStarted' }, 'no journal at all');
    // Other runs' lines, and a key that only starts like ours, are not traces of this run.
    fs.writeFileSync(path.join(dir, 'exit-codes'), '4.10 started\n4.10 0\n14.1 started\n');
    assert.deepEqual(runner.locate({ jobId: '4', attempt: 1, logPath }), { kind: 'neverStarted' });
  });

  it('says unknown when the run was started but its process is gone without an exit status', async () => {
    const dir = runnerTempDir();
    fs.writeFileSync(path.join(dir, 'exit-codes'), '9.1 started\n');
    const result = new LocalProcessRunner().locate({ jobId: '9', attempt: 1, logPath: path.join(dir, '9.1.log') });
    assert.deepEqual(result, { kind: 'unknown', reason: 'its start was not confirmed and its process is gone without an exit status' });

    // The same with a real run whose whole group was SIGKILLed (nothing can record its end).
    const run = startRun('sleep 300', { jobId: '10', attempt: 1 });
    run.execution.detach();
    await until(() => fileLines(run.handle.exitJournal).includes('10.1 started'), 'the job runs');
    process.kill(-run.handle.pid, 'SIGKILL');
    await until(() => !isLive(run.handle.pid), 'the wrapper is gone');
    const gone = new LocalProcessRunner().locate({ jobId: '10', attempt: 1, logPath: run.logPath });
    assert.equal(gone.kind, 'unknown');
  });
});
