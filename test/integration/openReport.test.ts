// What opening the queue finds reaches the user. Each test prepares a storage folder the way a real
// life would leave it (a damaged queue.json; a window whose extension host was killed mid-job), then
// reopens the extension's queue on it through `jobQueue._reopen` — the same open-and-attach path
// activation runs (QueueSession.open) — and reads the notifications the extension showed.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { JobQueueApi } from '../../src/api';
import type { Job, OpenReport } from '../../src/core';
import { writeRequest } from '../../src/core/ownership/inbox';
import { activateExtension, eventually, lastNoticeSeq, noticeBarrier, noticesAfter, run, type Notice } from './helpers';

interface Reopened { storageDir: string; role: string; openReport: OpenReport }

const made: string[] = [];
let api: JobQueueApi;

function storageFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-open-report-'));
  made.push(dir);
  return dir;
}

/** A separate host process starts `commands`, then is SIGKILLed, like a crashing extension host. */
async function runInDoomedHost(storageDir: string, commands: string[]): Promise<Job[]> {
  const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'doomedHost.js'), storageDir, ...commands], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  host.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: host.stdout! }).once('line', resolve);
    host.once('exit', (code) => reject(new Error(`the host exited early (${code}): ${stderr}`)));
  });
  const exited = new Promise((resolve) => host.once('exit', resolve));
  host.kill('SIGKILL');
  await exited;
  return JSON.parse(line) as Job[];
}

/** Alive and not a zombie (a job's wrapper is reparented once its host is killed). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

function pidOf(job: Job): number {
  const pid = Number(job.run?.pid);
  assert.ok(Number.isInteger(pid) && pid > 0, `job #${job.id} has a process: ${JSON.stringify(job.run)}`);
  return pid;
}

async function reopen(storageDir?: string): Promise<Reopened> {
  return run<Reopened>('_reopen', storageDir ? { storageDir } : {});
}

async function noticeMatching(afterSeq: number, pattern: RegExp, what: string): Promise<Notice> {
  return eventually(async () => (await noticesAfter(afterSeq)).find((n) => pattern.test(n.message)), `${what}; shown: ${JSON.stringify(await noticesAfter(afterSeq))}`, 5000);
}

describe('What opening the queue found reaches the user', function () {
  this.timeout(60_000);

  before(async function () {
    if (process.platform === 'win32') this.skip();
    api = await activateExtension();
  });

  after(async () => {
    await reopen(); // back to the workspace's own queue for the suites that follow
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a damaged queue.json: a warning with Show Copy, and the copy is kept', async () => {
    const dir = storageFolder();
    fs.writeFileSync(path.join(dir, 'queue.json'), '{"version":1,"queued":[{"id":"1","spec":{"command":"echo hi"'); // torn mid-write
    const seq = await lastNoticeSeq();
    const { openReport } = await reopen(dir);
    assert.equal(openReport.warnings.length >= 1, true, `the engine reports the damaged file: ${JSON.stringify(openReport)}`);
    const warning = await noticeMatching(seq, /damaged|corrupt|could not be read/i, 'a warning about the damaged queue');
    assert.equal(warning.severity, 'warning');
    assert.ok(warning.actions.includes('Show Copy'), `actions: ${warning.actions.join(', ')}`);
    const backup = openReport.warnings.find((w) => w.backupPath)?.backupPath;
    assert.ok(backup && fs.existsSync(backup), `the damaged copy is kept (${backup})`);
  });

  it('runs that ended while VS Code was closed: ONE summary with Show History', async () => {
    const dir = storageFolder();
    const gate = path.join(dir, 'gate');
    const wait = `while [ ! -f '${gate}' ]; do sleep 0.05; done`;
    const jobs = await runInDoomedHost(dir, [`${wait}; exit 0`, `${wait}; exit 3`]);
    assert.equal(jobs.length, 2);
    // The host is gone; now the jobs end, with no window watching: only their exit records remain.
    fs.writeFileSync(gate, '');
    for (const job of jobs) await eventually(() => !alive(pidOf(job)), `job #${job.id} to end`);

    const seq = await lastNoticeSeq();
    const { openReport } = await reopen(dir);
    assert.deepEqual(openReport.endedWhileClosed.map((j) => j.status).sort(), ['completed', 'failed'], `the engine reports both runs: ${JSON.stringify(openReport)}`);
    const failed = jobs[1]!;
    const summary = await noticeMatching(seq, /finished while VS Code was closed/, 'the summary notification');
    assert.equal(summary.message, `2 jobs finished while VS Code was closed: 1 completed, 1 failed (#${failed.id}).`);
    assert.equal(summary.severity, 'error', 'one of them failed');
    assert.deepEqual(summary.actions, ['Show History']);
    assert.equal(api.getHistory().length, 2);
    await noticeBarrier(api);
    const all = await noticesAfter(seq);
    assert.equal(all.filter((n) => /finished|completed in|failed \(/.test(n.message) && !n.message.includes('notice barrier')).length, 1, `told once, together: ${JSON.stringify(all)}`);
  });

  it('an interrupted run: told which, the queue paused with Resume Queue, and a line in the Jobs view until resumed', async () => {
    const dir = storageFolder();
    const [job] = await runInDoomedHost(dir, ['sleep 300']);
    const pid = pidOf(job!);
    process.kill(-pid, 'SIGKILL'); // the whole job dies too: no exit record, its end cannot be known
    await eventually(() => !alive(pid), `job #${job!.id} to be gone`);

    const seq = await lastNoticeSeq();
    const { openReport } = await reopen(dir);
    assert.deepEqual(openReport.interrupted.map((j) => j.id), [job!.id], `the engine reports the interrupted run: ${JSON.stringify(openReport)}`);
    assert.ok(openReport.pausedBecause, 'opening paused the queue (interruptedJobs: requeueAndPause)');
    const notice = await noticeMatching(seq, /interrupted while VS Code was closed/, 'the interrupted notification');
    assert.match(notice.message, new RegExp(`#${job!.id}\\b`));
    assert.match(notice.message, /queue was paused so nothing re-runs behind your back/);
    assert.ok(notice.actions.includes('Resume Queue'), `actions: ${notice.actions.join(', ')}`);
    assert.equal(api.getSnapshot().paused, true);
    assert.match((await run<string | undefined>('_jobsViewMessage')) ?? '', /paused/i, 'the Jobs view says why the queue is paused');

    await run('resumeQueue');
    await eventually(async () => (await run<string | undefined>('_jobsViewMessage')) === undefined, 'the paused line to go once resumed');
    await run('cancelAllQueued', { confirm: false });
  });

  it('a job saved from the terminal while closed that cannot be queued (its dependency failed): one warning with the reason', async () => {
    const dir = storageFolder();
    const gate = path.join(dir, 'gate');
    const [dependency] = await runInDoomedHost(dir, [`while [ ! -f '${gate}' ]; do sleep 0.05; done; exit 3`]);
    // While no window runs the queue: `jobq add --after <it>` saves its request, then the dependency fails.
    writeRequest(dir, { kind: 'add', origin: 'terminal', from: 'the terminal', reply: true, spec: { command: 'echo deploy', label: 'deploy' }, schedule: { after: { ids: [dependency!.id], condition: 'success' } } });
    fs.writeFileSync(gate, '');
    await eventually(() => !alive(pidOf(dependency!)), `job #${dependency!.id} to end`);

    const seq = await lastNoticeSeq();
    const { openReport } = await reopen(dir);
    assert.deepEqual(openReport.refusedRequests.map((r) => r.title), ['deploy'], `the engine reports the refusal: ${JSON.stringify(openReport)}`);
    const notice = await noticeMatching(seq, /saved while VS Code was closed was not queued/, 'the refusal notification');
    assert.equal(notice.severity, 'warning');
    assert.match(notice.message, /“deploy” \(from the terminal\): .*#\d+/);
    assert.deepEqual(notice.actions, ['Show History']);
    assert.equal(api.getSnapshot().queued.some((j) => j.spec.label === 'deploy'), false, 'nothing was queued');
  });
});
