// Every command leaves an exit status in the journal, with no host watching: the wrapper runs the
// command as a child and outlives whatever the command does to itself or to its process group.
// Each run here is started, then detached (the host is gone), and found again by a NEW runner.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { LocalProcessRunner } from '../../src/core/runner/localRunner';
import { findOnPath } from '../../src/core/runner/shellCheck';
import { fileLines, isLive, startRun, until, type StartedRun, codeOf, signalOf } from './fixtures/runnerTestKit';

/** Waits (polling, no host) for the run's exit line, then asks a new runner what became of it. */
async function outcomeWithNoHost(run: StartedRun) {
  run.execution.detach();
  const exitLine = new RegExp(`^${run.handle.exitKey.replace('.', '\\.')} \\d+$`);
  await until(() => fileLines(run.handle.exitJournal).some((l) => exitLine.test(l)), `an exit line for ${run.handle.exitKey} in the journal`, 5000);
  return new LocalProcessRunner().reattach(run.handle);
}

describe('runner: an exit status for any command, recorded with no host', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('records a plain exit 0 after a started line', async () => {
    const run = startRun('exit 0');
    const result = await outcomeWithNoHost(run);
    assert.equal(result.kind, 'finished');
    assert.equal(result.kind === 'finished' && codeOf(result.exit), 0);
    assert.equal(result.kind === 'finished' && signalOf(result.exit), undefined);
    assert.deepEqual(fileLines(run.handle.exitJournal), ['7.1 started', '7.1 0'], 'started is written before the command runs, the exit after');
  });

  it('records the code of a command that replaces itself with exec', async () => {
    const result = await outcomeWithNoHost(startRun('exec sh -c "exit 7"'));
    assert.deepEqual(result.kind === 'finished' && codeOf(result.exit), 7);
  });

  it('records the code of a command that sets its own EXIT trap, and the trap still runs', async () => {
    const run = startRun('trap "echo bye" EXIT; exit 3');
    const result = await outcomeWithNoHost(run);
    assert.equal(result.kind === 'finished' && codeOf(result.exit), 3);
    assert.equal(fs.readFileSync(run.logPath, 'utf8'), 'bye\n');
  });

  it('records 143 (SIGTERM) for a command that kills its own shell with kill $$', async () => {
    const result = await outcomeWithNoHost(startRun('kill $$'));
    assert.equal(result.kind, 'finished');
    assert.equal(result.kind === 'finished' && codeOf(result.exit), 143);
    assert.equal(result.kind === 'finished' && signalOf(result.exit), 'SIGTERM');
  });

  it('survives a command that signals its whole process group, and records the command dying of it', async () => {
    const run = startRun('kill -TERM 0; sleep 5');
    const result = await outcomeWithNoHost(run);
    assert.equal(result.kind === 'finished' && codeOf(result.exit), 143);
    assert.equal(result.kind === 'finished' && signalOf(result.exit), 'SIGTERM');
    const interrupted = await outcomeWithNoHost(startRun('kill -INT 0; sleep 5'));
    assert.equal(interrupted.kind === 'finished' && codeOf(interrupted.exit), 130);
    assert.equal(interrupted.kind === 'finished' && signalOf(interrupted.exit), 'SIGINT');
  });

  it('records the status under a non-default shell (bash), group signal included', async function () {
    const bash = findOnPath('bash', process.env.PATH);
    if (!bash) this.skip();
    const run = startRun('echo "bash=$BASH_VERSION"; [[ -n $BASH_VERSION ]] && kill -INT 0; exit 9', { shell: bash });
    const result = await outcomeWithNoHost(run);
    assert.match(fs.readFileSync(run.logPath, 'utf8'), /^bash=\d/, 'the command ran under bash');
    assert.equal(result.kind === 'finished' && codeOf(result.exit), 130);
  });

  it('gives the command default signal handling: what the wrapper catches is not ignored in the command', async function () {
    if (process.platform !== 'linux') this.skip();
    // SigIgn is the mask of ignored signals; HUP (1), INT (2), QUIT (3) and TERM (15) must not be in it.
    const run = startRun('grep SigIgn /proc/$$/status');
    await outcomeWithNoHost(run);
    const mask = BigInt(`0x${fs.readFileSync(run.logPath, 'utf8').split(/\s+/)[1]}`);
    for (const n of [1, 2, 3, 15]) assert.equal((mask >> BigInt(n - 1)) & 1n, 0n, `signal ${n} is ignored in the command`);
  });

  it('still ends the job on cancel (SIGTERM to the group) and records 143, wrapper gone', async () => {
    const run = startRun('echo ready; sleep 300');
    await until(() => fileLines(run.logPath).includes('ready'), 'the command started');
    await run.execution.terminate(2000);
    const exit = await run.execution.exited;
    assert.equal(codeOf(exit), 143);
    assert.equal(signalOf(exit), 'SIGTERM');
    assert.deepEqual(fileLines(run.handle.exitJournal), ['7.1 started', '7.1 143']);
    assert.equal(isLive(run.handle.pid), false);
    assert.equal(fs.readFileSync(run.logPath, 'utf8'), 'ready\n', 'the log holds the command\'s output only (no "Terminated" from the wrapper)');
  });

  it('records 127 and says why in the log when the shell cannot be run', async () => {
    const run = startRun('true', { shell: '/no/such/shell' });
    const result = await outcomeWithNoHost(run);
    assert.equal(result.kind === 'finished' && codeOf(result.exit), 127);
    assert.match(fs.readFileSync(run.logPath, 'utf8'), /\/no\/such\/shell.*not found/);
  });
});
