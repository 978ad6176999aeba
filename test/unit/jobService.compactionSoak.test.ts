// The compaction soak: the shortest history (10), 8 and 16 slots, jobs ending every few
// milliseconds, queued jobs cancelled and removed and the history cleared while they flow, and the
// host SIGKILLed at random moments — so kills land during compaction and right after Clear
// History. Compaction may drop only what the durable snapshot no longer needs: afterwards no job
// has run twice and no cancelled or removed job has come back. Seeds are fixed (and printed).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { eventually, openService, tempDir } from './helpers';

const ROUNDS = 12;
const HISTORY_LIMIT = 10;

interface Life {
  acked: Map<string, string>;
  gone: Set<string>;
  /** Cancelled or removed, perhaps: the host may have died before saying it was done. */
  meddled: Set<string>;
}

async function oneLife(storageDir: string, ranFile: string, round: number, slots: number, seed: number, lifeMs: number, life: Life): Promise<void> {
  const host = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'compactionSoakHost.js'), storageDir, ranFile, String(round), String(slots), String(HISTORY_LIMIT), String(seed + round)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let ready!: () => void;
  const opened = new Promise<void>((resolve) => (ready = resolve));
  readline.createInterface({ input: host.stdout! }).on('line', (line) => {
    const [kind, id, token] = line.split(' ');
    if (kind === 'ready') ready();
    else if (kind === 'ack') life.acked.set(token!, id!);
    else if (kind === 'gone') life.gone.add(token!);
    else if (kind === 'meddle') life.meddled.add(token!);
  });
  const exited = new Promise((resolve) => host.once('exit', resolve));
  // The life is counted from the open (a loaded machine may take long to start a host); every
  // other life is also killed while it opens, at a moment up to lifeMs/4 after the spawn.
  if (round % 2 === 0) await Promise.race([opened, exited]);
  await new Promise((resolve) => setTimeout(resolve, round % 2 === 0 ? lifeMs : lifeMs / 4));
  host.kill('SIGKILL');
  await exited;
}

/** Milliseconds for each life, from the seed (a failing seed replays the same kill moments). */
function lifetimes(seed: number): number[] {
  let x = seed;
  return Array.from({ length: ROUNDS }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 150 + (x % 600);
  });
}

describe('JobService: compaction soak — history 10, many slots, cancels, removes and Clear History, host killed', function () {
  this.timeout(240_000);
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  for (const [slots, seed] of [[8, 1701], [16, 2903], [8, 4409]] as const) {
    it(`${slots} slots, seed ${seed}: no job runs twice, no cancelled or removed job comes back`, async () => {
      const storageDir = tempDir();
      const ranFile = path.join(tempDir(), 'ran');
      const life: Life = { acked: new Map(), gone: new Set(), meddled: new Set() };
      const times = lifetimes(seed);
      for (let round = 0; round < ROUNDS; round++) await oneLife(storageDir, ranFile, round, slots, seed, times[round]!, life);

      const service = await openService({ storageDir, maxParallelJobs: slots, historyLimit: HISTORY_LIMIT });
      service.setAutoRun(true);
      await eventually(() => service.getSnapshot().queued.length === 0 && service.getSnapshot().running.length === 0, 'the queue drained', 120_000);
      if (process.env.SOAK_DEBUG) console.log(ranFile);
      await service.dispose();

      const starts = new Map<string, number>();
      for (const line of fs.readFileSync(ranFile, 'utf8').split('\n')) {
        const [kind, token] = line.split(' ');
        if (kind === 'start') starts.set(token!, (starts.get(token!) ?? 0) + 1);
      }
      const twice = [...starts].filter(([, n]) => n > 1).map(([t, n]) => `${t}×${n}`);
      assert.deepEqual(twice, [], `no job ran twice (seed ${seed})`);
      const back = [...life.gone].filter((token) => (starts.get(token) ?? 0) > 0);
      assert.deepEqual(back, [], `no cancelled or removed job ran (seed ${seed})`);
      const lost = [...life.acked.keys()].filter((token) => !life.meddled.has(token) && starts.get(token) !== 1);
      assert.deepEqual(lost, [], `every other acknowledged job ran once (seed ${seed})`);
      assert.ok(life.acked.size > ROUNDS * 3, `jobs flowed (${life.acked.size} acknowledged)`);
      assert.ok(life.gone.size > 0, 'some jobs were cancelled or removed');
    });
  }
});
