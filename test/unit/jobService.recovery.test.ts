// Crash safety: a job outlives its host and is adopted again; a job that ended meanwhile gets its
// real status; an unknowable one becomes interrupted; damaged files are survived with a copy.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Job } from '../../src/core';
import { openService, pidAlive, tempDir, waitForFileLine, waitForStatus } from './helpers';

/** Runs a separate host process that starts `command`, and SIGKILLs it once the job runs. */
async function startJobInDoomedHost(storageDir: string, command: string): Promise<Job> {
  const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'crashHost.js'), storageDir, command], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: host.stdout! }).once('line', resolve);
    host.once('exit', (code) => reject(new Error(`host exited early (${code})`)));
  });
  const sent = JSON.parse(line) as { outcome: string; job: Job };
  assert.equal(sent.outcome, 'started');
  const exited = new Promise((resolve) => host.once('exit', resolve));
  host.kill('SIGKILL');
  await exited;
  return sent.job;
}

describe('JobService: recovery', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('a job survives its host being SIGKILLed; the next host adopts it and records its true end', async () => {
    const storageDir = tempDir();
    const gate = path.join(tempDir(), 'gate');
    const job = await startJobInDoomedHost(storageDir, `echo started; while [ ! -f ${gate} ]; do sleep 0.05; done; echo "::progress 50"; sleep 0.1; exit 4`);
    assert.ok(pidAlive(Number(job.run!.pid)), 'the job outlived its host');

    const service = await openService({ storageDir });
    const adopted = service.getSnapshot().running;
    assert.deepEqual(adopted.map((j) => j.id), [job.id]);
    assert.equal(service.isQueuePaused(), false);
    await waitForFileLine(job.logPath!, /^started$/);
    fs.writeFileSync(gate, '');
    const finished = await waitForStatus(service, job.id, 'failed');
    assert.equal(finished.exitCode, 4);
    assert.equal(finished.attempt, 1);
    assert.equal(service.getHistory()[0]!.id, job.id);
  });

  it('an adopted job can be cancelled, and its whole group ends', async () => {
    const storageDir = tempDir();
    const job = await startJobInDoomedHost(storageDir, 'sleep 300');
    const service = await openService({ storageDir });
    const cancelled = await service.cancelJob(job.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(pidAlive(Number(job.run!.pid)), false);
  });

  it('a job that finished while no host was there gets its real final status', async () => {
    const storageDir = tempDir();
    const gate = path.join(tempDir(), 'gate');
    // It ends only once its host is dead: its end is in the runner's journal, not in the history.
    const job = await startJobInDoomedHost(storageDir, `while [ ! -f ${gate} ]; do sleep 0.02; done; exit 0`);
    fs.writeFileSync(gate, '');
    await waitForFileLine(String(job.run!.exitJournal), new RegExp(`^${job.run!.exitKey} 0$`));
    const service = await openService({ storageDir });
    assert.equal(service.getSnapshot().running.length, 0);
    const [run] = service.getHistory();
    assert.equal(run!.id, job.id);
    assert.equal(run!.status, 'completed');
    assert.equal(run!.exitCode, 0);
  });

  it('a job whose fate cannot be known is interrupted, back at the top of the queue, queue paused', async () => {
    const storageDir = tempDir();
    const job = await startJobInDoomedHost(storageDir, 'sleep 300');
    process.kill(-Number(job.run!.pid), 'SIGKILL'); // the whole group dies: no exit record is written
    await waitGone(Number(job.run!.pid));
    const service = await openService({ storageDir });
    const [run] = service.getHistory();
    assert.equal(run!.status, 'interrupted');
    assert.match(run!.error ?? '', /Interrupted/);
    assert.equal(service.getSnapshot().queued[0]!.id, job.id);
    assert.equal(service.isQueuePaused(), true, 'nothing re-runs behind the user\'s back');
    assert.equal(service.getSnapshot().running.length, 0);
    assert.equal(service.sendNextJob().outcome, 'refused');
  });

  it('with interruptedPolicy keepInHistory an interrupted job stays in the history only', async () => {
    const storageDir = tempDir();
    const job = await startJobInDoomedHost(storageDir, 'sleep 300');
    process.kill(-Number(job.run!.pid), 'SIGKILL');
    await waitGone(Number(job.run!.pid));
    const service = await openService({ storageDir, interruptedPolicy: 'keepInHistory' });
    assert.equal(service.getSnapshot().queued.length, 0);
    assert.equal(service.isQueuePaused(), false);
    assert.equal(service.getHistory()[0]!.status, 'interrupted');
  });

  it('does not signal a reused pid: identity is checked, not just the number', async () => {
    const storageDir = tempDir();
    const service = await openService({ storageDir });
    const job = service.enqueue({ command: 'sleep 300' });
    service.sendNextJob();
    const running = service.getJob(job.id)!;
    await service.dispose();
    // Forge the snapshot: same pid, different start time (as if the pid now belonged to someone else).
    const file = path.join(storageDir, 'queue.json');
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
    snapshot.running[0].run.startToken = '1';
    snapshot.seq = 1e9;
    fs.writeFileSync(file, JSON.stringify(snapshot));
    const reopened = await openService({ storageDir, interruptedPolicy: 'keepInHistory' });
    assert.equal(reopened.getSnapshot().running.length, 0, 'not adopted');
    assert.ok(pidAlive(Number(running.run!.pid)), 'and not killed');
    process.kill(-Number(running.run!.pid), 'SIGKILL');
  });

  it('survives a damaged queue file: keeps a copy, warns, restores every valid job', async () => {
    const { storageDir, a, b } = await storageWithTwoQueuedJobs();
    const file = path.join(storageDir, 'queue.json');
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
    snapshot.queued[0].status = 'bogus';
    fs.writeFileSync(file, JSON.stringify(snapshot));

    const warnings: string[] = [];
    const second = await openServiceCollecting(storageDir, warnings);
    assert.deepEqual(second.getSnapshot().queued.map((j) => j.id), [a.id, b.id]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /damaged/);
    const copies = fs.readdirSync(storageDir).filter((f) => f.startsWith('queue.json.corrupt-'));
    assert.equal(copies.length, 1);
  });

  it('survives garbage in the queue file and a torn history line', async () => {
    const { storageDir, a, b } = await storageWithTwoQueuedJobs();
    fs.writeFileSync(path.join(storageDir, 'queue.json'), '{"version":1, "queued": [');
    fs.appendFileSync(path.join(storageDir, 'history.jsonl'), '{"v":1,"seq":99,"type":"enq');
    const warnings: string[] = [];
    const second = await openServiceCollecting(storageDir, warnings);
    assert.deepEqual(second.getSnapshot().queued.map((j) => j.id), [a.id, b.id], 'rebuilt from the history log');
    assert.equal(warnings.length, 2);
    assert.ok(fs.readdirSync(storageDir).some((f) => f.startsWith('history.jsonl.corrupt-')));
  });
});

/** A storage folder left by a host that queued two jobs and closed. */
async function storageWithTwoQueuedJobs() {
  const storageDir = tempDir();
  const first = await openService({ storageDir });
  const a = first.enqueue({ command: 'echo a' });
  const b = first.enqueue({ command: 'echo b' });
  await first.dispose();
  return { storageDir, a, b };
}

async function openServiceCollecting(storageDir: string, warnings: string[]) {
  // Warnings found while opening come before any listener could subscribe: the open report has them.
  const service = await openService({ storageDir });
  warnings.push(...service.openReport.warnings.map((w) => w.message));
  return service;
}

async function waitGone(pid: number): Promise<void> {
  const end = Date.now() + 5000;
  while (pidAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe('JobService: validated history prefix', () => {
  it('skips re-validating an unchanged log, but validates one that changed under it', async () => {
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    const a = first.enqueue({ command: 'echo a' });
    first.enqueue({ command: 'echo b' });
    await first.dispose();
    const snapshot = JSON.parse(fs.readFileSync(path.join(storageDir, 'queue.json'), 'utf8'));
    const historyFile = path.join(storageDir, 'history.jsonl');
    assert.equal(snapshot.historyCheck.bytes, fs.statSync(historyFile).size, 'the snapshot vouches for the whole log');

    // Same length, valid JSON, invalid record: only a hash can tell.
    const text = fs.readFileSync(historyFile, 'utf8');
    fs.writeFileSync(historyFile, text.replace('"status":"queued"', '"status":"queueD"'));
    const warnings: string[] = [];
    const second = await openServiceCollecting(storageDir, warnings);
    assert.equal(warnings.length, 1, 'the changed line is caught');
    assert.match(warnings[0]!, /1 damaged line/);
    assert.ok(!second.getSnapshot().queued.some((j) => (j.status as string) === 'queueD'));
    assert.ok(second.getSnapshot().queued.some((j) => j.id === a.id), 'the queue itself came from the snapshot');
  });
});
