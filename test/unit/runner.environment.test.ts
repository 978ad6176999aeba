// The environment a job's process gets: exactly the one recorded from a terminal (`captured`), or
// the window's (the host's minus what VS Code sets for its own processes) with the job's overlay on
// top. Real processes print what they got.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobSpecSchema, type JobEnvironment } from '../../src/core/model';
import { HOST_ONLY_VARIABLES, KEPT_VSCODE_VARIABLES, jobEnvironment } from '../../src/core/runner/jobEnvironment';
import { LocalProcessRunner } from '../../src/core/runner/localRunner';
import { startRun } from './fixtures/runnerTestKit';

/** Runs `env` (through the real runner) and returns what the job saw, by name. */
async function seenBy(env: JobEnvironment | undefined, hostExtras: Record<string, string> = {}): Promise<Map<string, string>> {
  Object.assign(process.env, hostExtras);
  let run;
  try {
    run = startRun('env', env ? { env } : {});
  } finally {
    for (const name of Object.keys(hostExtras)) delete process.env[name];
  }
  await run.execution.exited;
  return new Map(fs.readFileSync(run.logPath, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('runner: job environment', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('an overlay job does not see the host-only variables, and does see PATH and its own variables', async () => {
    // The test host plays the extension host: these are in its own environment.
    const seen = await seenBy({ kind: 'overlay', vars: { JQ_SPEC_VAR: 'from-spec' } }, { ELECTRON_RUN_AS_NODE: '1', VSCODE_IPC_HOOK: '/tmp/x.sock', VSCODE_PID: '42', JQ_USER_VAR: 'kept' });
    for (const name of ['ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK', 'VSCODE_PID']) assert.equal(seen.has(name), false, `${name} reached the job`);
    assert.equal(seen.get('PATH'), process.env.PATH);
    assert.equal(seen.get('JQ_USER_VAR'), 'kept');
    assert.equal(seen.get('JQ_SPEC_VAR'), 'from-spec');
  });

  it('a captured job runs with exactly the recorded variables: nothing of the host\'s is mixed in', async () => {
    const vars = { PATH: '/usr/bin:/bin', MY_VAR: 'from-terminal', VIRTUAL_ENV: '/home/u/venv', EMPTY: '', SPACED: ' a  b\tc\nd ', UNICODE_VALUE: 'ünïcødé ✓' };
    const seen = await seenBy({ kind: 'captured', vars }, { JQ_HOST_ONLY: 'host' });
    assert.equal(seen.has('JQ_HOST_ONLY'), false, 'the host\'s variable reached a captured job');
    assert.equal(seen.has('HOME'), false, 'HOME was not recorded, so the job has none');
    assert.equal(seen.get('MY_VAR'), 'from-terminal');
    assert.equal(seen.get('VIRTUAL_ENV'), '/home/u/venv');
    assert.equal(seen.get('EMPTY'), '');
    assert.equal(seen.get('UNICODE_VALUE'), 'ünïcødé ✓');
    assert.equal(seen.get('PATH'), '/usr/bin:/bin');
  });

  it('a job\'s shell resolves commands on the captured PATH (a venv\'s python3 first)', async () => {
    const venv = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-venv-'));
    fs.mkdirSync(`${venv}/bin`);
    fs.writeFileSync(`${venv}/bin/python3`, '#!/bin/sh\necho "venv python $MY_VAR"\n', { mode: 0o755 });
    try {
      const run = startRun('python3', { env: { kind: 'captured', vars: { PATH: `${venv}/bin:${process.env.PATH}`, MY_VAR: 'x' } } });
      await run.execution.exited;
      assert.equal(fs.readFileSync(run.logPath, 'utf8'), 'venv python x\n');
    } finally {
      fs.rmSync(venv, { recursive: true, force: true });
    }
  });

  it('the shell is looked for on the PATH the job will get: the captured one, else the window\'s', () => {
    const runner = new LocalProcessRunner();
    assert.match(runner.checkCanStart({ command: 'true', env: { kind: 'captured', vars: { PATH: '/nonexistent' } } }, 'sh') ?? '', /the shell “sh” was not found on PATH/);
    assert.equal(runner.checkCanStart({ command: 'true', env: { kind: 'captured', vars: { PATH: process.env.PATH! } } }, 'sh'), undefined);
    assert.equal(runner.checkCanStart({ command: 'true', env: { kind: 'overlay', vars: { OTHER: 'x' } } }, 'sh'), undefined, 'an overlay keeps the window\'s PATH');
    assert.match(runner.checkCanStart({ command: 'true', env: { kind: 'overlay', vars: { PATH: '/nonexistent' } } }, 'sh') ?? '', /not found on PATH/);
  });

  it('removes what the integrated terminal removes, keeps its exceptions and everything else', () => {
    const env = jobEnvironment({
      PATH: '/usr/bin', HOME: '/home/u', NODE_OPTIONS: '--max-old-space-size=100', APPLICATIONINSIGHTS_X: 'a',
      ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ATTACH_CONSOLE: '1', VSCODE_IPC_HOOK: 'h', VSCODE_HANDLES_UNCAUGHT_ERRORS: 'true',
      VSCODE_NLS_CONFIG: '{}', VSCODE_CRASH_REPORTER_PROCESS_TYPE: 'x', VSCODE_ESM_ENTRYPOINT: 'e', VSCODE_L10N_BUNDLE_LOCATION: 'l',
      SNAP: '/snap/code/1', SNAP_NAME: 'code', GDK_PIXBUF_MODULE_FILE: 'm', SNAPSHOT_DIR: 'kept: not SNAP_*',
      VSCODE_IPC_HOOK_CLI: 'cli', VSCODE_SHELL_LOGIN: '1', VSCODE: 'kept: nothing after the underscore',
    }, undefined);
    assert.deepEqual(Object.keys(env).sort(), [
      'APPLICATIONINSIGHTS_X', 'HOME', 'NODE_OPTIONS', 'PATH', 'SNAPSHOT_DIR', 'VSCODE', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_SHELL_LOGIN',
    ]);
    assert.deepEqual([...HOST_ONLY_VARIABLES], ['ELECTRON_*', 'VSCODE_*', 'SNAP', 'SNAP_*', 'GDK_PIXBUF_*']);
    assert.ok(KEPT_VSCODE_VARIABLES.includes('VSCODE_IPC_HOOK_CLI'));
  });

  it('applies an overlay on top, even a name the host would not pass on; a captured one replaces the host\'s', () => {
    const host = { PATH: '/usr/bin', FOO: 'host', VSCODE_PID: '1' };
    assert.deepEqual(jobEnvironment(host, { kind: 'overlay', vars: { FOO: 'job', VSCODE_PID: 'mine' } }), { PATH: '/usr/bin', FOO: 'job', VSCODE_PID: 'mine' });
    assert.deepEqual(jobEnvironment(host, { kind: 'captured', vars: { FOO: 'job' } }), { FOO: 'job' });
  });

  it('a spec written before the union (a plain object of variables) reads as an overlay', () => {
    const old = JobSpecSchema.parse({ command: 'make', env: { A: '1', kind: 'overlay' } });
    assert.deepEqual(old.env, { kind: 'overlay', vars: { A: '1', kind: 'overlay' } });
    const now = JobSpecSchema.parse({ command: 'make', env: { kind: 'captured', vars: { A: '1' } } });
    assert.deepEqual(now.env, { kind: 'captured', vars: { A: '1' } });
    assert.deepEqual(JobSpecSchema.parse(now), now, 'a parsed spec parses to itself (snapshots are re-read)');
  });
});
