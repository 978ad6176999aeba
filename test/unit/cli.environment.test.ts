// `jobq add` and the terminal's environment, against a real JobService and real processes: the job
// runs with exactly the terminal's variables (none of the window's, none VS Code injected), or with
// the window's (--no-env); PYTHONUNBUFFERED is added unless set; what cannot be replayed exactly is
// refused with exit 2 and nothing in the inbox; what can (10,000 variables) is replayed exactly.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobService } from '../../src/core';
import { MAX_VARIABLE_BYTES, environmentProblem } from '../../src/core/environmentLimits';
import { CLI_BUNDLE, inboxFiles, jobq, outcomeOf, queuedId, type CliRun } from './cliHelpers';
import { assertRefused, openService, tempDir, waitForStatus } from './helpers';

/** A terminal as VS Code makes it: the user's world, plus what the extension and VS Code put there. */
function terminalEnv(shimBin: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${shimBin}:${process.env.PATH}`,
    HOME: '/home/someone',
    MY_VAR: 'from-terminal',
    VIRTUAL_ENV: '/home/someone/venv',
    JOB_QUEUE_BIN: shimBin,
    VSCODE_IPC_HOOK_CLI: '/tmp/vscode-ipc-1.sock',
    VSCODE_GIT_IPC_HANDLE: '/tmp/vscode-git-1.sock',
    VSCODE_GIT_ASKPASS_MAIN: '/opt/code/extensions/git/dist/askpass-main.js',
    GIT_ASKPASS: '/opt/code/extensions/git/dist/askpass.sh',
    ELECTRON_RUN_AS_NODE: '1',
    _: `${shimBin}/jobq`,
    ...extra,
  };
}

/** Adds `command` from `env`, lets it run (externalJobs = run) and returns the job and its output. */
async function runFromTerminal(service: JobService, env: Record<string, string | undefined>, args: string[]): Promise<{ id: string; output: string }> {
  const added = await jobq(service.storageDir, ['add', ...args], tempDir('jq-cwd-'), env);
  const id = queuedId(added);
  service.sendJob(id);
  const done = await waitForStatus(service, id, 'completed');
  return { id, output: fs.readFileSync(done.logPath!, 'utf8') };
}

/** `env` output, by name (values without newlines). */
function variables(output: string): Map<string, string> {
  return new Map(output.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function assertRefusedAdd(run: CliRun, dir: string, message: RegExp): void {
  assert.equal(run.code, 2, JSON.stringify(run));
  assert.match(run.stderr, message);
  assert.match(run.stderr, /jobq add --no-env/, 'says how to queue it anyway');
  assert.equal(run.stdout, '');
  assert.deepEqual(inboxFiles(dir).filter((f) => !f.endsWith('.corrupt')), [], 'nothing written to the inbox, not even a temp file');
}

describe('jobq add: the terminal\'s environment travels with the job', function () {
  this.timeout(30_000);
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('records the terminal\'s variables without the window\'s own, and the job runs with exactly them', async () => {
    const service = await openService({ externalJobs: 'run' });
    const shimBin = '/opt/job-queue/bin';
    process.env.JQ_WINDOW_ONLY = 'window';
    let result;
    try {
      result = await runFromTerminal(service, terminalEnv(shimBin), ['--', 'sh', '-c', 'echo "MY_VAR is $MY_VAR"; env']);
    } finally {
      delete process.env.JQ_WINDOW_ONLY;
    }
    const job = service.getJob(result.id)!;
    assert.deepEqual(job.spec.env, {
      kind: 'captured',
      vars: { PATH: process.env.PATH, HOME: '/home/someone', MY_VAR: 'from-terminal', VIRTUAL_ENV: '/home/someone/venv' },
    }, 'the shim\'s PATH entry, JOB_QUEUE_*, VSCODE_*, ELECTRON_*, VS Code\'s git askpass and $_ are not recorded');
    assert.match(result.output, /^MY_VAR is from-terminal\n/);
    const seen = variables(result.output);
    for (const [name, value] of Object.entries(job.spec.env!.vars)) assert.equal(seen.get(name), value, name);
    // The shells themselves add PWD (and may add SHLVL, OLDPWD, _): nothing else reaches the job.
    const extra = [...seen.keys()].filter((name) => !(name in job.spec.env!.vars) && !['PWD', 'SHLVL', 'OLDPWD', '_'].includes(name));
    assert.deepEqual(extra, [], 'the window\'s environment is not mixed in');
  });

  it('--no-env: the job runs with the window\'s environment, not the terminal\'s', async () => {
    const service = await openService({ externalJobs: 'run' });
    process.env.JQ_WINDOW_ONLY = 'window';
    let result;
    try {
      result = await runFromTerminal(service, terminalEnv('/opt/job-queue/bin'), ['--no-env', '--', 'sh', '-c', 'echo "[$MY_VAR][$JQ_WINDOW_ONLY]"']);
    } finally {
      delete process.env.JQ_WINDOW_ONLY;
    }
    assert.equal(service.getJob(result.id)!.spec.env, undefined);
    assert.equal(result.output, '[][window]\n');
    assert.match((await jobq(service.storageDir, ['add', '--no-env=yes', '--', 'true'])).stderr, /--no-env takes no value/);
  });

  it('unbufferedOutput: PYTHONUNBUFFERED=1 for every new job, unless its environment sets it', async () => {
    const service = await openService({ externalJobs: 'run', unbufferedOutput: true });
    const env = terminalEnv('/opt/job-queue/bin');
    const result = await runFromTerminal(service, env, ['--', 'sh', '-c', 'echo "[$PYTHONUNBUFFERED]"']);
    assert.equal(result.output, '[1]\n');
    const own = await runFromTerminal(service, { ...env, PYTHONUNBUFFERED: '' }, ['--', 'sh', '-c', 'echo "[$PYTHONUNBUFFERED]"']);
    assert.equal(own.output, '[]\n', 'the terminal\'s own value (even empty) wins');
    const windowValue = process.env.PYTHONUNBUFFERED;
    try {
      // A job added in the window: the window's own value wins too.
      process.env.PYTHONUNBUFFERED = 'x';
      assert.equal(service.enqueue({ command: 'true' }).spec.env, undefined);
      delete process.env.PYTHONUNBUFFERED;
      assert.deepEqual(service.enqueue({ command: 'true' }).spec.env, { kind: 'overlay', vars: { PYTHONUNBUFFERED: '1' } });
      assert.deepEqual(service.enqueue({ command: 'true', env: { kind: 'overlay', vars: { PYTHONUNBUFFERED: '0' } } }).spec.env, { kind: 'overlay', vars: { PYTHONUNBUFFERED: '0' } });
      service.configure({ unbufferedOutput: false });
      assert.equal(service.enqueue({ command: 'true' }).spec.env, undefined);
    } finally {
      if (windowValue === undefined) delete process.env.PYTHONUNBUFFERED;
      else process.env.PYTHONUNBUFFERED = windowValue;
    }
  });

  it('10,000 variables are stored and replayed exactly', async () => {
    const service = await openService({ externalJobs: 'run' });
    const many: Record<string, string> = { PATH: process.env.PATH! };
    for (let i = 0; i < 10_000; i++) many[`JQ_V${String(i).padStart(5, '0')}`] = `value ${i} ünï ✓ $HOME 'q' "d"`;
    const result = await runFromTerminal(service, many, ['--', 'env']);
    const seen = variables(result.output);
    for (const [name, value] of Object.entries(many)) assert.equal(seen.get(name), value, name);
    // Read back from the disk (the next owner's view) the same.
    const dir = service.storageDir;
    await service.dispose();
    const again = await openService({ storageDir: dir });
    assert.deepEqual(again.getJob(result.id)!.spec.env, { kind: 'captured', vars: many });
  });

  it('refuses what it could not replay exactly — a 1 MB value, a NUL, too much in all — with exit 2 and nothing in the inbox', async () => {
    const service = await openService();
    const dir = service.storageDir;
    const base = { PATH: process.env.PATH! };
    assertRefusedAdd(await jobq(dir, ['add', '--', 'true'], undefined, { ...base, MY_BIG: 'x'.repeat(1024 * 1024) }),
      dir, new RegExp(`MY_BIG is 1,048,583 bytes; one variable can hold at most ${MAX_VARIABLE_BYTES.toLocaleString('en-US')} bytes`));
    assertRefusedAdd(await jobq(dir, ['add', '--', 'true'], undefined, { ...base, WITH_NUL: 'a\0b' }), dir, /the value of WITH_NUL contains a NUL byte/);
    const lots: Record<string, string> = { ...base };
    for (let i = 0; i < 12; i++) lots[`BIG_${i}`] = 'y'.repeat(100_000);
    assertRefusedAdd(await jobq(dir, ['add', '--', 'true'], undefined, lots), dir, /a job's environment can hold at most 1,048,576 bytes/);
    // --no-env records nothing, so the same terminal can still queue it.
    assert.equal((await jobq(dir, ['add', '--no-env', '--', 'true'], undefined, { ...base, MY_BIG: 'x'.repeat(1024 * 1024) })).code, 0);
  });

  it('refuses a variable that is not UTF-8 (the real command in its own process), writing nothing', async () => {
    const service = await openService();
    const dir = service.storageDir;
    // Bytes no JavaScript string can hold: made by the shell, as a terminal would have them.
    const run = await outcomeOf(spawn('/bin/sh', ['-c', `BAD_BYTES="$(printf 'caf\\351')" exec "$0" "$1" add -- true`, process.execPath, CLI_BUNDLE], { env: { ...process.env, JOB_QUEUE_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] }));
    assertRefusedAdd(run, dir, /the variable BAD_BYTES is not UTF-8 text, so it cannot be recorded exactly/);
  });

  it('the engine refuses the same from any sender (the API, a hand-written request)', async () => {
    const service = await openService();
    assertRefused(() => service.enqueue({ command: 'true', env: { kind: 'captured', vars: { A: 'a\0b' } } }), 'invalidSpec', /the value of A contains a NUL byte/);
    assertRefused(() => service.enqueue({ command: 'true', env: { 'A=B': 'x' } }), 'invalidSpec', /contains = or a NUL byte/);
    assertRefused(() => service.enqueue({ command: 'true', env: { kind: 'overlay', vars: { A: '\uD800' } } }), 'invalidSpec', /A is not valid Unicode text/);
    assert.deepEqual(service.getSnapshot().queued, []);
  });

  it('a variable\'s size is counted in UTF-8 bytes, as the system counts it', () => {
    // `A=` is two bytes; é is two, 😀 four: the last that fits, and one more.
    assert.equal(environmentProblem({ A: 'é'.repeat(65_534) }), undefined);
    assert.match(environmentProblem({ A: 'é'.repeat(65_535) }) ?? '', /A is 131,072 bytes/);
    assert.equal(environmentProblem({ A: '😀'.repeat(32_767) }), undefined);
    assert.match(environmentProblem({ A: '😀'.repeat(32_768) }) ?? '', /A is 131,074 bytes/);
  });
});

describe('the queue\'s files are the user\'s alone', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  it('the inbox jobq writes, the queue folder, queue.json, history.jsonl and damaged copies: 0700 / 0600', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'queue');
    // No window runs the queue: the request stays in the inbox, made by jobq alone.
    const run = await jobq(dir, ['add', '--', 'true']);
    assert.equal(run.code, 0, run.stderr);
    const [request] = inboxFiles(dir);
    assert.equal(mode(dir), 0o700, 'the queue folder jobq made');
    assert.equal(mode(path.join(dir, 'inbox')), 0o700);
    assert.equal(mode(path.join(dir, 'inbox', request!)), 0o600);
    const service = await openService({ storageDir: dir });
    assert.equal(service.getSnapshot().queued.length, 1);
    await service.dispose();
    for (const name of ['queue.json', 'history.jsonl']) assert.equal(mode(path.join(dir, name)), 0o600, name);
  });

  it('a queue written by an earlier release (0644 files, a 0755 folder) is narrowed at open; a damaged file\'s copy is 0600', async () => {
    const dir = tempDir();
    const first = await openService({ storageDir: dir });
    first.enqueue({ command: 'true' });
    await first.dispose();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'history.jsonl'), 0o644);
    fs.writeFileSync(path.join(dir, 'queue.json'), '{ damaged', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'queue.json'), 0o644);
    const second = await openService({ storageDir: dir });
    assert.equal(second.getSnapshot().queued.length, 1, 'restored from the history');
    await second.dispose();
    assert.equal(mode(dir), 0o700);
    const names = fs.readdirSync(dir);
    const copy = names.find((n) => n.startsWith('queue.json.corrupt-'));
    assert.ok(copy, names.join(', '));
    for (const name of ['queue.json', 'history.jsonl', copy]) assert.equal(mode(path.join(dir, name)), 0o600, name);
  });
});
