// Jobs get the environment an integrated terminal would get: the host's, minus what VS Code sets
// for its own processes, plus the job's own variables.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { HOST_ONLY_VARIABLES, KEPT_VSCODE_VARIABLES, jobEnvironment } from '../../src/core/runner/jobEnvironment';
import { startRun } from './fixtures/runnerTestKit';

describe('runner: job environment', function () {
  it('a job does not see the host-only variables, and does see PATH and its own variables', async function () {
    if (process.platform === 'win32') this.skip();
    // The test host plays the extension host: these are in its own environment.
    const added = { ELECTRON_RUN_AS_NODE: '1', VSCODE_IPC_HOOK: '/tmp/x.sock', VSCODE_PID: '42', JQ_USER_VAR: 'kept' };
    Object.assign(process.env, added);
    let run;
    try {
      run = startRun('env', { env: { JQ_SPEC_VAR: 'from-spec' } });
    } finally {
      for (const name of Object.keys(added)) delete process.env[name];
    }
    await run.execution.exited;
    const names = new Map(fs.readFileSync(run.logPath, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    for (const name of ['ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK', 'VSCODE_PID']) assert.equal(names.has(name), false, `${name} reached the job`);
    assert.equal(names.get('PATH'), process.env.PATH);
    assert.equal(names.get('JQ_USER_VAR'), 'kept');
    assert.equal(names.get('JQ_SPEC_VAR'), 'from-spec');
  });

  it('removes what the integrated terminal removes, keeps its exceptions and everything else', () => {
    const env = jobEnvironment({
      PATH: '/usr/bin', HOME: '/home/u', NODE_OPTIONS: '--max-old-space-size=100', APPLICATIONINSIGHTS_X: 'a',
      ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ATTACH_CONSOLE: '1', VSCODE_IPC_HOOK: 'h', VSCODE_HANDLES_UNCAUGHT_ERRORS: 'true',
      VSCODE_NLS_CONFIG: '{}', VSCODE_CRASH_REPORTER_PROCESS_TYPE: 'x', VSCODE_ESM_ENTRYPOINT: 'e', VSCODE_L10N_BUNDLE_LOCATION: 'l',
      SNAP: '/snap/code/1', SNAP_NAME: 'code', GDK_PIXBUF_MODULE_FILE: 'm', SNAPSHOT_DIR: 'kept: not SNAP_*',
      VSCODE_IPC_HOOK_CLI: 'cli', VSCODE_SHELL_LOGIN: '1', VSCODE: 'kept: nothing after the underscore',
    });
    assert.deepEqual(Object.keys(env).sort(), [
      'APPLICATIONINSIGHTS_X', 'HOME', 'NODE_OPTIONS', 'PATH', 'SNAPSHOT_DIR', 'VSCODE', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_SHELL_LOGIN',
    ]);
    assert.deepEqual([...HOST_ONLY_VARIABLES], ['ELECTRON_*', 'VSCODE_*', 'SNAP', 'SNAP_*', 'GDK_PIXBUF_*']);
    assert.ok(KEPT_VSCODE_VARIABLES.includes('VSCODE_IPC_HOOK_CLI'));
  });

  it('applies the job\'s own variables on top, even a name the host would not pass on', () => {
    const env = jobEnvironment({ PATH: '/usr/bin', FOO: 'host', VSCODE_PID: '1' }, { FOO: 'job', VSCODE_PID: 'mine' });
    assert.deepEqual(env, { PATH: '/usr/bin', FOO: 'job', VSCODE_PID: 'mine' });
  });
});
