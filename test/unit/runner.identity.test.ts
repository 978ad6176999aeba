// Every signal, the final SIGKILL included, goes to a process group only while it is provably the
// group of the run we started: a pid alone can be reused by an unrelated process.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { GroupOwnership, MAX_GAP_MS } from '../../src/core/runner/groupOwnership';
import { PosixExecution } from '../../src/core/runner/posixExecution';
import { readProcessInfo } from '../../src/core/runner/processIdentity';
import { cleanupGroup, fileLines, isLive, liveGroupMembers, procState, runnerTempDir, startRun, until, codeOf, reasonOf } from './fixtures/runnerTestKit';

/** An unrelated process leading its own group, as a reused pid would be. */
function unrelatedGroup(): number {
  const sleeper = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  sleeper.unref();
  cleanupGroup(sleeper.pid!);
  return sleeper.pid!;
}

describe('runner: identity checked before every signal', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('never signals a group whose leader pid now belongs to another process, not even the final SIGKILL', async () => {
    const stranger = unrelatedGroup();
    await until(() => procState(stranger) === 'S', 'the unrelated sleep runs');
    // A run found again whose pid has since been reused: same pid, another start token.
    const dir = runnerTempDir();
    const execution = new PosixExecution({
      kind: 'local-posix', pid: stranger, startToken: 'not-its-start-token', exitJournal: path.join(dir, 'exit-codes'), exitKey: '1.1',
    }, undefined);
    execution.pause();
    execution.resume();
    await execution.terminate(300);
    const exit = await execution.exited;
    assert.match(reasonOf(exit), /ended without recording an exit status/);
    assert.equal(procState(stranger), 'S', 'the unrelated process was not stopped, ended or killed');
  });

  it('a run that never got a pid signals nothing (kill(-0) would hit the host\'s own group)', async () => {
    const run = startRun('true', { cwd: '/definitely/not/here' });
    assert.equal(run.handle.pid, 0);
    // Before the spawn error is even reported: the old code sent SIGCONT/SIGTERM to group 0.
    await run.execution.terminate(100);
    assert.match(reasonOf(await run.execution.exited), /Could not start/);
  });

  it('still ends what the wrapper left in its group (it is provably ours), SIGKILL included', async () => {
    const dir = runnerTempDir();
    const pidFile = path.join(dir, 'straggler');
    // The straggler ignores SIGTERM and outlives the wrapper: only the SIGKILL ends it.
    const run = startRun(`sh -c 'trap "" TERM; echo $$ > ${pidFile}; while :; do sleep 0.05; done' & wait`, { dir });
    await until(() => fileLines(pidFile).length === 1, 'the straggler started');
    const straggler = Number(fileLines(pidFile)[0]);
    await run.execution.terminate(500);
    assert.equal(codeOf(await run.execution.exited), 143, 'the wrapper recorded its child dying of SIGTERM');
    assert.equal(isLive(straggler), false, 'the straggler was SIGKILLed');
    assert.deepEqual(liveGroupMembers(run.handle.pid), []);
  });

  it('ownership: holds while the wrapper is ours, then while the group lives and checks stay close', () => {
    const pid = unrelatedGroup();
    const startToken = readProcessInfo(pid)!.startToken;
    let now = 1_000_000;
    let wrapperOurs = true;
    const ownership = new GroupOwnership({ pid, startToken }, () => wrapperOurs, () => now);
    assert.equal(ownership.owns(), true);
    wrapperOurs = false;
    now += MAX_GAP_MS / 2;
    assert.equal(ownership.owns(), true, 'the group lives on, its id cannot have been reused');
    now += MAX_GAP_MS * 2;
    assert.equal(ownership.owns(), false, 'too long unseen: no longer provable');
    wrapperOurs = true;
    assert.equal(ownership.owns(), false, 'once lost, never regained');
  });

  it('ownership: a pid holding another start token, or a group seen empty, is never ours', async () => {
    const pid = unrelatedGroup();
    assert.equal(new GroupOwnership({ pid, startToken: 'other' }, () => false).owns(), false);
    const token = readProcessInfo(pid)!.startToken;
    const ownership = new GroupOwnership({ pid, startToken: token }, () => false);
    assert.equal(ownership.owns(), true);
    process.kill(-pid, 'SIGKILL');
    // The test host is the sleeper's parent and reaps it, so the group empties.
    await until(() => procState(pid) === undefined, 'the group is gone');
    assert.equal(ownership.owns(), false);
  });
});
