// The soak: a host SIGKILLed 20 times at random moments while jobs flow (2 slots, auto-run), then
// every acknowledged job is accounted for: 0 lost, 0 run twice, 0 wrong exit codes, and never more
// running at once than the slots. Kill moments are random on purpose; the seed is printed.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { eventually, openService, tempDir } from './helpers';

const ROUNDS = 20;

interface Ack {
  id: string;
  token: string;
  code: number;
}

async function oneLife(storageDir: string, ranFile: string, round: number, lifeMs: number, acks: Ack[], notes: string[]): Promise<void> {
  const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'soakHost.js'), storageDir, ranFile, String(round)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let ready!: () => void;
  const opened = new Promise<void>((resolve) => (ready = resolve));
  readline.createInterface({ input: host.stdout! }).on('line', (line) => {
    const [kind, id, token, code] = line.split(' ');
    if (kind === 'ready') ready();
    else if (kind === 'ack') acks.push({ id: id!, token: token!, code: Number(code) });
    else notes.push(line);
  });
  const exited = new Promise((resolve) => host.once('exit', resolve));
  // Counted from the open (a loaded machine may take long to start a host); every third life is
  // killed while it may still be opening.
  if (round % 3 !== 0) await Promise.race([opened, exited]);
  await new Promise((resolve) => setTimeout(resolve, lifeMs));
  host.kill('SIGKILL');
  await exited;
}

describe('JobService: soak — a host killed 20 times while jobs flow', function () {
  this.timeout(180_000);
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('accounts for every acknowledged job: none lost, none run twice, true exit codes, within the slots', async () => {
    const storageDir = tempDir();
    const ranFile = path.join(tempDir(), 'ran');
    const acks: Ack[] = [];
    const notes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) await oneLife(storageDir, ranFile, round, 250 + Math.random() * 700, acks, notes);

    const service = await openService({ storageDir, maxParallelJobs: 2 });
    assert.deepEqual(notes, [], 'no host found the queue paused by an interrupted job');
    assert.equal(service.isQueuePaused(), false);
    service.setAutoRun(true);
    await eventually(() => service.getSnapshot().queued.length === 0 && service.getSnapshot().running.length === 0, 'the queue drained', 120_000);

    const history = service.getHistory();
    const ran = fs.readFileSync(ranFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' '));
    const starts = new Map<string, number>();
    for (const [kind, token] of ran) if (kind === 'start') starts.set(token!, (starts.get(token!) ?? 0) + 1);
    const twice = [...starts].filter(([, n]) => n > 1).map(([t]) => t);
    assert.deepEqual(twice, [], 'no job ran twice');
    const lost: string[] = [];
    const wrong: string[] = [];
    for (const ack of acks) {
      const runs = history.filter((j) => j.id === ack.id);
      if (runs.length !== 1 || starts.get(ack.token) !== 1) lost.push(`${ack.id}(${ack.token}): ${runs.length} runs, started ${starts.get(ack.token) ?? 0}x`);
      else if (runs[0]!.exitCode !== ack.code || runs[0]!.status !== (ack.code === 0 ? 'completed' : 'failed')) wrong.push(`${ack.id}: ${runs[0]!.status} ${runs[0]!.exitCode} ≠ ${ack.code}`);
    }
    assert.deepEqual(lost, [], 'no acknowledged job lost');
    assert.deepEqual(wrong, [], 'every exit code true');
    assert.equal(new Set(acks.map((a) => a.id)).size, acks.length, 'no id given twice');

    // Overlap of the jobs' own start/end clocks never exceeds the slots.
    const points = ran.map(([kind, , ns]) => ({ at: BigInt(ns!), delta: kind === 'start' ? 1 : -1 }))
      .sort((x, y) => (x.at === y.at ? x.delta - y.delta : x.at < y.at ? -1 : 1));
    let now = 0;
    let most = 0;
    for (const p of points) most = Math.max(most, (now += p.delta));
    assert.ok(most <= 2, `at most 2 at once, saw ${most}`);
    assert.ok(acks.length >= ROUNDS, `jobs flowed (${acks.length} acknowledged)`);
  });
});
