// `jobq` from a plain shell (no JOB_QUEUE_DIR: not a VS Code terminal), the real bundled process:
// it finds the workspace's queue through the per-user registry — given --folder, or from the
// workspace or any folder inside it — and its jobs land held for approval with the shell's
// environment, exactly like jobq in an integrated terminal. A folder no window registered: exit 2
// with what to do, and nothing written.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerWorkspace } from '../../src/core/registry/workspaceRegistry';
import type { JobService } from '../../src/core';
import { CLI_BUNDLE, inboxFiles, outcomeOf, queuedId, type CliRun } from './cliHelpers';
import { openService, tempDir } from './helpers';

/** A plain shell's environment: this process's without JOB_QUEUE_DIR, with the test's registry. */
function plainShell(registry: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, JOB_QUEUE_REGISTRY_DIR: registry, FROM_MY_SHELL: 'yes' };
  delete env.JOB_QUEUE_DIR;
  return env;
}

function jobqFromShell(registry: string, args: string[], cwd: string): Promise<CliRun> {
  return outcomeOf(spawn(process.execPath, [CLI_BUNDLE, ...args], { cwd, env: plainShell(registry), stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('jobq from any shell of the user (the workspace registry)', function () {
  this.timeout(30_000);
  let registry: string;
  let workspace: string;
  let service: JobService;

  beforeEach(async () => {
    assert.ok(fs.existsSync(CLI_BUNDLE), `${CLI_BUNDLE} is built (node esbuild.js)`);
    registry = path.join(tempDir(), 'job-queue');
    workspace = tempDir('jq-workspace-');
    service = await openService({ externalJobs: 'holdForApproval' });
    // What the extension does when a window opens the workspace (terminalCommand.ts).
    await registerWorkspace([workspace], service.storageDir, registry);
  });

  it('--folder W add, from a folder outside it: queued in W\'s queue, held for approval, with the shell\'s environment', async () => {
    const elsewhere = tempDir('jq-elsewhere-');
    const run = await jobqFromShell(registry, ['--folder', workspace, 'add', '--', 'echo', 'hi'], elsewhere);
    assert.equal(run.code, 0, JSON.stringify(run));
    assert.match(run.stdout, /held for your approval in VS Code/);
    const job = service.getJob(queuedId(run))!;
    assert.equal(job.spec.command, 'echo hi');
    assert.equal(job.hold?.by, 'approval', 'jobq can never approve, from wherever it is run');
    assert.equal(job.spec.cwd, elsewhere, 'the job runs where jobq was run');
    assert.equal(job.spec.env?.kind, 'captured');
    assert.equal(job.spec.env?.vars.FROM_MY_SHELL, 'yes');
    assert.equal(job.spec.env?.vars.JOB_QUEUE_REGISTRY_DIR, undefined, 'the registry\'s location is ours, not the job\'s');
    // --folder after the verb works too.
    const status = await jobqFromShell(registry, ['status', '--folder', workspace], elsewhere);
    assert.equal(status.code, 0, JSON.stringify(status));
    assert.match(status.stdout, /echo hi/);
  });

  it('from a subfolder of W, without --folder: W\'s queue', async () => {
    const sub = path.join(workspace, 'src', 'deep');
    fs.mkdirSync(sub, { recursive: true });
    const run = await jobqFromShell(registry, ['add', '--', 'make', 'test'], sub);
    assert.equal(run.code, 0, JSON.stringify(run));
    const job = service.getJob(queuedId(run))!;
    assert.equal(job.hold?.by, 'approval');
    assert.equal(job.spec.cwd, sub);
    // A --folder after `--` belongs to the job's command, not to jobq.
    const own = await jobqFromShell(registry, ['add', '--', 'tool', '--folder', '/x'], sub);
    assert.equal(service.getJob(queuedId(own))!.spec.command, 'tool --folder /x');
    const twice = await jobqFromShell(registry, ['--folder', workspace, 'status', '--folder=/x'], sub);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /--folder is given twice/);
  });

  it('a folder no window registered, with or without --folder: exit 2 saying what to do, nothing written', async () => {
    const unknown = tempDir('jq-unknown-');
    const given = await jobqFromShell(registry, ['--folder', unknown, 'add', '--', 'true'], workspace);
    assert.equal(given.code, 2, JSON.stringify(given));
    assert.match(given.stderr, /is not in a workspace folder VS Code has opened with Job Queue: open the folder in VS Code .* once/);
    const here = await jobqFromShell(registry, ['add', '--', 'true'], unknown);
    assert.equal(here.code, 2, JSON.stringify(here));
    assert.match(here.stderr, /No Job Queue workspace contains .*JOB_QUEUE_DIR is not set.*pass --folder DIR/);
    const missing = await jobqFromShell(registry, ['status', '--folder', path.join(unknown, 'nope')], workspace);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--folder: there is no folder/);
    assert.deepEqual(inboxFiles(service.storageDir), []);
    assert.equal(service.getSnapshot().queued.length, 0);
  });

  it('a workspace whose queue folder is gone is not found', async () => {
    const gone = tempDir('jq-gone-');
    const goneQueue = tempDir();
    await registerWorkspace([gone], goneQueue, registry);
    fs.rmSync(goneQueue, { recursive: true });
    const run = await jobqFromShell(registry, ['status'], gone);
    assert.equal(run.code, 2, JSON.stringify(run));
    assert.match(run.stderr, /No Job Queue workspace contains/);
  });
});
