// The shell check: a missing or unusable jobQueue.shell is reported in a sentence, before any job runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalProcessRunner } from '../../src/core/runner/localRunner';
import { findOnPath, shellProblem } from '../../src/core/runner/shellCheck';
import { runnerTempDir as tempDir } from './fixtures/runnerTestKit';
import { openService, waitForStatus } from './helpers';

describe('runner: shell check', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('accepts an absolute shell that exists and a bare name found on PATH', () => {
    assert.equal(shellProblem('/bin/sh'), undefined);
    assert.equal(shellProblem('sh', '/nowhere:/bin'), undefined);
    assert.equal(shellProblem(''), undefined, 'empty means the default shell');
  });

  it('says plainly when a bare name is not on PATH, naming the setting', () => {
    assert.equal(shellProblem('zsh-not-installed'), 'Could not start: the shell “zsh-not-installed” was not found on PATH (setting jobQueue.shell)');
    // The PATH given is the one searched: sh exists, but not in these folders.
    assert.match(shellProblem('sh', `${tempDir()}:/definitely/not/here`) ?? '', /“sh” was not found on PATH/);
    assert.match(shellProblem('sh', '') ?? '', /not found on PATH/);
  });

  it('finds a bare name only as an executable file, in PATH order', () => {
    const first = tempDir();
    const second = tempDir();
    fs.writeFileSync(path.join(first, 'myshell'), 'not executable');
    fs.mkdirSync(path.join(second, 'adir'));
    fs.writeFileSync(path.join(second, 'myshell'), '#!/bin/sh\n', { mode: 0o755 });
    const envPath = `${first}:${second}`;
    assert.equal(findOnPath('myshell', envPath), path.join(second, 'myshell'), 'the non-executable one is skipped');
    assert.equal(shellProblem('myshell', envPath), undefined);
    assert.match(shellProblem('adir', envPath) ?? '', /not found on PATH/, 'a folder is not a shell');
  });

  it('says plainly when an absolute shell is missing or not executable', () => {
    assert.equal(shellProblem('/no/such/shell'), 'Could not start: the shell does not exist: /no/such/shell (setting jobQueue.shell)');
    const dir = tempDir();
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, 'echo hi\n', { mode: 0o644 });
    assert.equal(shellProblem(plain), `Could not start: the shell is not an executable file: ${plain} (setting jobQueue.shell)`);
    assert.match(shellProblem(dir) ?? '', /not an executable file/, 'a folder is not a shell');
  });

  it('with no shell chosen, the local backend checks the one that will run: $SHELL', function () {
    if (process.platform === 'win32') this.skip();
    const saved = process.env.SHELL;
    try {
      process.env.SHELL = '/no/such/login-shell';
      assert.equal(new LocalProcessRunner().checkCanStart({ command: 'true' }, ''), 'Could not start: the shell does not exist: /no/such/login-shell (setting jobQueue.shell)');
      process.env.SHELL = '/bin/sh';
      assert.equal(new LocalProcessRunner().checkCanStart({ command: 'true' }, ''), undefined);
    } finally {
      if (saved === undefined) delete process.env.SHELL;
      else process.env.SHELL = saved;
    }
  });

  it('a job with its own shell (from its task) runs in it, over jobQueue.shell; a missing one fails the job naming the task', async () => {
    const dir = tempDir();
    const own = path.join(dir, 'own-shell');
    fs.writeFileSync(own, '#!/bin/sh\necho "in my own shell"\nexec /bin/sh "$@"\n', { mode: 0o755 });
    const service = await openService({ shell: '/bin/sh' });
    const job = service.enqueue({ command: 'echo ran', shell: own });
    service.sendJob(job.id);
    const done = await waitForStatus(service, job.id, 'completed');
    assert.equal(fs.readFileSync(done.logPath!, 'utf8'), 'in my own shell\nran\n');

    const missing = service.enqueue({ command: 'echo ran', shell: '/no/such/task-shell' });
    service.sendJob(missing.id);
    const failed = await waitForStatus(service, missing.id, 'failed');
    assert.equal(failed.error, 'Could not start: the shell does not exist: /no/such/task-shell (the job’s own shell, from its task)');
  });
});
