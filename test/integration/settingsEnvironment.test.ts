// Jobs added in VS Code get jobQueue.envFile and jobQueue.env (env over the file, the job's own over
// both), merged into the job's record at enqueue, and the process sees them; a file that cannot be
// read refuses the add, saying why, and queues nothing. jobQueue.unbufferedOutput off: no PYTHONUNBUFFERED.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job } from '../../src/core';
import { activateExtension, emptyQueue, finishedAs, run } from './helpers';

let api: JobQueueApi;
let folder: string;
let envFile: string;

const config = () => vscode.workspace.getConfiguration('jobQueue');
const set = (key: string, value: unknown) => config().update(key, value, vscode.ConfigurationTarget.Workspace);

describe('jobQueue.env and jobQueue.envFile for jobs added in VS Code', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
    await emptyQueue(api);
    folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    envFile = path.join(folder, 'jq-settings-test.env');
    fs.writeFileSync(envFile, 'FROM_FILE=file\nBOTH=file\n');
  });

  after(async () => {
    await set('env', undefined);
    await set('envFile', undefined);
    await set('unbufferedOutput', undefined);
    fs.rmSync(envFile, { force: true });
    await emptyQueue(api);
  });

  it('are merged into the job\'s record and reach its process', async () => {
    await set('env', { BOTH: 'settings', WHERE: '${workspaceFolder}' });
    await set('envFile', '${workspaceFolder}/jq-settings-test.env');
    await set('unbufferedOutput', false);
    const job = await run<Job | undefined>('_addJobAsUser', { command: 'echo "$FROM_FILE $BOTH $WHERE $OWN [$PYTHONUNBUFFERED]"', cwd: folder, env: { OWN: 'job' } });
    assert.ok(job, 'queued');
    assert.deepEqual(job.spec.env, { kind: 'overlay', vars: { FROM_FILE: 'file', BOTH: 'settings', WHERE: folder, OWN: 'job' } });
    const done = finishedAs(api, job.id, 'completed');
    await run('sendJob', job.id);
    const { entry } = await done;
    const windowValue = process.env.PYTHONUNBUFFERED ?? '';
    assert.equal(fs.readFileSync(entry.logPath!, 'utf8'), `file settings ${folder} job [${windowValue}]\n`);
  });

  it('a missing env file refuses the add with a message naming the setting', async () => {
    await set('envFile', 'no-such.env');
    const before = api.getSnapshot().queued.length;
    const job = await run<Job | undefined>('addJob', { command: 'true', cwd: folder });
    assert.equal(job, undefined);
    const refusal = (await run<string[]>('_recentRefusals')).at(-1);
    assert.match(refusal ?? '', new RegExp(`jobQueue.envFile: there is no file ${path.join(folder, 'no-such.env').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(api.getSnapshot().queued.length, before, 'nothing queued');
  });
});
