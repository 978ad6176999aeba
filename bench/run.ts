// Benchmarks, side by side in one run, reported as ratios (these machines are shared and noisy:
// absolute numbers drift, ratios measured together hold). Writes docs/benchmarks.md.
//   npm run bench              full sizes (about two minutes)
//   npm run bench -- --quick   smaller sizes, for a smoke run
// Section (e), the UI at scale, runs in a real VS Code (code-server) as a separate step,
// scripts/bench-ui.mjs; when the harness is not installed the report says so and the rest stands.
// Section (f), Slurm (bench/slurm.ts), brings a single-node Slurm up and down itself; where it
// cannot (not root and not installed) the report says why.
//   npm run bench -- --slurm   only (f), replacing its section in docs/benchmarks.md
//   npm run bench -- --run-end only (g), a run's end as the queue grows (bench/runEnd.ts), likewise
// Section (h), the running-job card's output rendering (bench/card.ts): bundle sizes and host time.
//   npm run bench -- --card    only (h), replacing its section in docs/benchmarks.md
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openJobService, type Job, type JobService, type JobServiceEvent } from '../src/core';
import { HISTORY_EVENT_VERSION, QUEUE_SNAPSHOT_VERSION, type HistoryEvent, type QueueSnapshot } from '../src/core/model';
import { CARD_HEADING, cardBench, cardReport } from './card';
import { SLURM_HEADING, slurmBench, slurmReport } from './slurm';
import { RUN_END_HEADING, runEndBench, runEndReport } from './runEnd';

const quick = process.argv.includes('--quick');
const N_JOBS = quick ? 100 : 1000;
const BIG_QUEUE = quick ? 1000 : 10_000;
const BIG_HISTORY = quick ? 10_000 : 100_000;
const OUTPUT_BYTES = quick ? 20_000_000 : 200_000_000;
const CHANGES = 1000;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-bench-'));
const dirs = { n: 0 };
function freshDir(): string {
  const dir = path.join(root, String(dirs.n++));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function waitFor(service: JobService, match: (e: JobServiceEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const sub = service.onDidChange((e) => {
      if (match(e)) {
        sub.dispose();
        resolve();
      }
    });
  });
}

// ---- (a) dispatch overhead -------------------------------------------------------------------

async function jobServiceLoop(): Promise<number> {
  const service = await openJobService({ storageDir: freshDir(), shell: '/bin/sh', historyLimit: N_JOBS * 2 });
  const start = process.hrtime.bigint();
  let last: Job | undefined;
  for (let i = 0; i < N_JOBS; i++) last = service.enqueue({ command: 'true' });
  const done = waitFor(service, (e) => e.type === 'historyAdded' && e.entry.id === last!.id);
  service.setAutoRun(true);
  await done;
  await service.flush();
  const elapsed = ms(start);
  await service.dispose();
  return elapsed;
}

/**
 * `syncEach`: before each spawn, append a line to a file and sync it to the disk — the least any
 * queue must do to keep "an acknowledged start survives a power loss" (the cost of durability).
 */
async function bareSpawnLoop(syncEach = false): Promise<number> {
  const journal = syncEach ? fs.openSync(path.join(freshDir(), 'journal'), 'a') : undefined;
  const start = process.hrtime.bigint();
  for (let i = 0; i < N_JOBS; i++) {
    if (journal !== undefined) {
      fs.writeSync(journal, `start ${i}\n`);
      fs.fdatasyncSync(journal);
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', 'true'], { stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', () => resolve());
    });
  }
  const elapsed = ms(start);
  if (journal !== undefined) fs.closeSync(journal);
  return elapsed;
}

/** `storeOutput`: tsp's default keeps each job's output in a file, like JobService's per-run log. */
function taskSpoolerLoop(storeOutput: boolean): number | string {
  const tsp = ['tsp', 'ts'].find((bin) => {
    try {
      return execFileSync(bin, ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).includes('Task Spooler') || true;
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? '').includes('Task Spooler') || String((e as { stderr?: string }).stderr ?? '').includes('Task Spooler');
    }
  });
  if (!tsp) return 'not installed (Debian package task-spooler)';
  const env = { ...process.env, TS_SOCKET: path.join(root, 'tsp.socket'), TMPDIR: freshDir(), TS_MAXFINISHED: String(N_JOBS * 2) };
  const run = (args: string[]) => execFileSync(tsp, args, { env, encoding: 'utf8' }).trim();
  run(['-S', '1']);
  const start = process.hrtime.bigint();
  let last = '';
  for (let i = 0; i < N_JOBS; i++) last = run(storeOutput ? ['true'] : ['-n', 'true']);
  run(['-w', last]);
  const elapsed = ms(start);
  run(['-K']);
  return elapsed;
}

// ---- (b) persistence cost per change, (c) open time ------------------------------------------

function seedStorage(dir: string, queued: number, historyEvents: number): void {
  const now = Date.now();
  const job = (id: number, status: Job['status']): Job => ({
    id: String(id), spec: { command: `make test SHARD=${id}`, cwd: '/tmp', label: `shard ${id}` }, status, attempt: status === 'queued' ? 0 : 1,
    createdAt: now, ...(status === 'queued' ? {} : { startedAt: now, finishedAt: now + 1000, exitCode: 0 }),
  });
  const lines: string[] = [];
  for (let seq = 1; seq <= historyEvents; seq++) {
    const event: HistoryEvent = { v: HISTORY_EVENT_VERSION, seq, at: now, type: 'finished', job: job(1_000_000 + seq, 'completed') };
    lines.push(JSON.stringify(event));
  }
  fs.writeFileSync(path.join(dir, 'history.jsonl'), lines.join('\n') + (lines.length ? '\n' : ''));
  const snapshot: QueueSnapshot = {
    version: QUEUE_SNAPSHOT_VERSION, seq: historyEvents, nextId: 2_000_000, autoRun: false, paused: false,
    queued: Array.from({ length: queued }, (_, i) => job(i + 1, 'queued')), running: [],
  };
  fs.writeFileSync(path.join(dir, 'queue.json'), JSON.stringify(snapshot));
}

interface PersistResult { coldOpenMs: number; openMs: number; moveMs: number; appendMs: number }

async function persistence(queued: number, history: number): Promise<PersistResult> {
  const dir = freshDir();
  seedStorage(dir, queued, history);
  const options = { storageDir: dir, shell: '/bin/sh', historyLimit: history + 10_000 };
  // Cold: files this host never vouched for (every history line is validated).
  const coldStart = process.hrtime.bigint();
  await (await openJobService(options)).dispose();
  const coldOpenMs = ms(coldStart);
  // Warm: the usual reopen, of files JobService wrote itself.
  const start = process.hrtime.bigint();
  const service = await openJobService(options);
  const openMs = ms(start);
  // A queue change persisted: reorder, then wait until it is on disk.
  const ids = service.getSnapshot().queued.map((j) => j.id);
  const moveStart = process.hrtime.bigint();
  for (let i = 0; i < CHANGES; i++) {
    service.moveJob(ids[ids.length - 1 - (i % ids.length)]!, 0);
    await service.flush();
  }
  const moveMs = ms(moveStart) / CHANGES;
  // A history append: cancel a queued job (one log line + snapshot), measured without the snapshot wait.
  const appendStart = process.hrtime.bigint();
  for (let i = 0; i < CHANGES; i++) await service.cancelJob(ids[i % ids.length]!).catch(() => service.enqueue({ command: 'true' }));
  const appendMs = ms(appendStart) / CHANGES;
  await service.dispose();
  return { coldOpenMs, openMs, moveMs, appendMs };
}

// ---- (d) a job printing a flood ----------------------------------------------------------------

async function flood(): Promise<{ seconds: number; catSeconds: number; rssGrowthMb: number; baselineMb: number }> {
  const command = `yes 'a line of job output, 0123456789 abcdefghijklmnopqrstuvwxyz' | head -c ${OUTPUT_BYTES}`;
  const catFile = path.join(freshDir(), 'cat.out');
  const catStart = process.hrtime.bigint();
  execFileSync('/bin/sh', ['-c', `${command} | cat > ${catFile}`]);
  const catSeconds = ms(catStart) / 1000;
  fs.rmSync(catFile);

  const service = await openJobService({ storageDir: freshDir(), shell: '/bin/sh', outputPollMs: 50 });
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let outputEvents = 0;
  service.onDidChange((e) => e.type === 'output' && outputEvents++);
  const job = service.enqueue({ command });
  const done = waitFor(service, (e) => e.type === 'historyAdded' && e.entry.id === job.id);
  const start = process.hrtime.bigint();
  service.sendNextJob();
  await done;
  const seconds = ms(start) / 1000;
  clearInterval(sampler);
  const size = fs.statSync(service.getJob(job.id)!.logPath!).size;
  if (size !== OUTPUT_BYTES) throw new Error(`log has ${size} bytes, expected ${OUTPUT_BYTES}`);
  await service.dispose();
  return { seconds, catSeconds, rssGrowthMb: (peak - baseline) / 2 ** 20, baselineMb: baseline / 2 ** 20 };
}

// ---- (e) the UI at scale, in a real extension host (scripts/bench-ui.mjs) -----------------------

interface UiStretch {
  seconds: number; finished: number; perSecond: number; queuedLeft: number; cpuPercent: number; loadAverage: number; cores: number;
  eventLoopDelay: { p50: number; p90: number; p99: number; max: number; samples: number; resolutionMs: number };
}
interface UiResult {
  queued: number; loadAverageBefore: number; command: string; settings: { maxParallelJobs: number; shell?: string }; node: string;
  providerIdle: { median: number; max: number; queueRows: number }; providerLoad: { median: number; max: number };
  spawn: { median: number; max: number; rssMb: number };
  visible: UiStretch; hidden: UiStretch;
  profile: Array<{ frame: string; ms: number; percent: number }>; profileSeconds: number;
  workbench: { firstOpenMs: number; expandIdleMs: number[]; expandLoadMs: number[]; reopenViewLoadMs: number[] };
}
type UiOutcome = { ok: UiResult } | { notMeasured: string };

/** Its own process (code-server, chromium): skipped, with the reason, when the harness is not installed. */
function uiAtScale(): UiOutcome {
  const file = path.join(root, 'ui.json');
  const script = path.join(__dirname, '..', 'scripts', 'bench-ui.mjs');
  const result = spawnSync(process.execPath, [script, '--if-installed', '--json', file, ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
  const json = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<UiResult> & { skipped?: string; failed?: string }) : undefined;
  if (json?.skipped) return { notMeasured: `not measured — ${json.skipped}` };
  if (result.status !== 0 || !json || json.failed) return { notMeasured: `not measured — \`node scripts/bench-ui.mjs\` failed: ${json?.failed ?? `exit ${result.status ?? result.signal}`}` };
  return { ok: json as UiResult };
}

function uiReport(outcome: UiOutcome): string {
  const heading = `## (e) The UI at scale — inside a real extension host`;
  if (!('ok' in outcome)) return `${heading}\n\n${outcome.notMeasured}.\n`;
  const r = outcome.ok;
  const list = (xs: number[]) => xs.map((x) => fmt(x, 0)).join(', ');
  const delay = (w: UiStretch) => `**${fmt(w.eventLoopDelay.p99, 0)} ms** (p50 ${fmt(w.eventLoopDelay.p50, 0)}, p90 ${fmt(w.eventLoopDelay.p90, 0)}, max ${fmt(w.eventLoopDelay.max, 0)})`;
  const expandLoadMax = Math.max(...r.workbench.expandLoadMs);
  const viewCost = r.visible.eventLoopDelay.p99 - r.hidden.eventLoopDelay.p99;
  const spawnShare = r.profile.filter((p) => /^spawn\b/.test(p.frame)).reduce((sum, p) => sum + p.percent, 0);
  return `${heading}

${r.queued.toLocaleString('en')} queued \`${r.command}\` jobs, auto-run on, \`jobQueue.maxParallelJobs\` ${r.settings.maxParallelJobs}, shell \`${r.settings.shell || 'default'}\`,
in code-server (VS Code's own extension host, on Node ${r.node}) with the Jobs view open in headless chromium:
\`node scripts/bench-ui.mjs\` drives the workbench, \`test/integration/scale.bench.ts\` measures inside the
extension host (\`perf_hooks.monitorEventLoopDelay\`, sampling every ${r.visible.eventLoopDelay.resolutionMs} ms; a delay is a sample minus that interval).
The load runs ${fmt(r.visible.seconds, 0)} s with the Jobs view shown — the workbench collapses and expands the Queue
group and switches to the Explorer and back meanwhile, as a person would — then ${fmt(r.hidden.seconds, 0)} s with it hidden.

| | measured | goal |
|---|---|---|
| event-loop delay p99, Jobs view shown | ${delay(r.visible)} | < 50 ms — ${verdict(r.visible.eventLoopDelay.p99 < 50)} |
| event-loop delay p99, Jobs view hidden (the same load) | ${delay(r.hidden)} | |
| jobs finished per second (shown / hidden) | ${fmt(r.visible.perSecond, 0)}/s / ${fmt(r.hidden.perSecond, 0)}/s${r.hidden.queuedLeft === 0 ? ' (the queue ran dry: the sizes are too small)' : `; ${r.hidden.queuedLeft.toLocaleString('en')} still queued at the end`} | ~100/s |
| extension host CPU (shown / hidden) | ${fmt(r.visible.cpuPercent, 0)}% / ${fmt(r.hidden.cpuPercent, 0)}% of a core | |
| the machine's load average (1 min; ${r.visible.cores} cores): before the run / end of shown / end of hidden | ${fmt(r.loadAverageBefore, 1)} / ${fmt(r.visible.loadAverage, 1)} / ${fmt(r.hidden.loadAverage, 1)} (this run's own jobs and workbench count too) | |
| Queue group, data provider: every group's children and items, idle (median / max) | ${fmt(r.providerIdle.median, 1)} / ${fmt(r.providerIdle.max, 1)} ms, ${r.providerIdle.queueRows} queue rows | < 200 ms — ${verdict(r.providerIdle.max < 200)} |
| the same under load (median / max) | ${fmt(r.providerLoad.median, 1)} / ${fmt(r.providerLoad.max, 1)} ms | < 200 ms — ${verdict(r.providerLoad.max < 200)} |
| workbench: first open of the Jobs view, click → Queue rows in the DOM (once per window: one sample) | ${fmt(r.workbench.firstOpenMs, 0)} ms | < 200 ms — ${verdict(r.workbench.firstOpenMs < 200)} |
| workbench: expand the Queue group, idle (3 tries) | ${list(r.workbench.expandIdleMs)} ms | |
| workbench: expand the Queue group under load, click → rows newer than before the collapse | ${list(r.workbench.expandLoadMs)} ms | < 200 ms — ${verdict(expandLoadMax < 200)} |
| workbench: Jobs view shown again under load (Explorer → Job Queue), click → newer rows | ${list(r.workbench.reopenViewLoadMs)} ms | |
| one \`child_process.spawn\` in this extension host (RSS ${fmt(r.spawn.rssMb, 0)} MB), idle | ${fmt(r.spawn.median, 1)} ms (max ${fmt(r.spawn.max, 1)}) | |

**What the view costs:** the Queue group lists its first 100 rows and a *Show N more…* row (like the
history's 50), each row's position comes from its place in that page, a row's tooltip is made only
when VS Code shows it (\`resolveTreeItem\`), and engine events only mark what they touched: the groups,
the badge and the title-bar context keys are worked out once per refresh — every 200 ms, or once a
second while jobs keep streaming through. So a refresh hands VS Code ~160 short rows whatever the
queue's length. With the view shown the p99 is ${viewCost >= 0 ? `${fmt(viewCost, 0)} ms higher` : `${fmt(-viewCost, 0)} ms lower`} than with it hidden${Math.abs(viewCost) < 20 ? ' — within this machine\'s noise' : ''}.
Before this change the Queue group listed all 10,000 rows, each finding its position by a search
of the queue: the provider took 209 ms (max 652), the first open of the view 1.8 s, an expand under
load 3–8 s, and p99 with the view shown was 192 ms (max 1.2 s) against 111 ms hidden.

**Where the extension host's time goes** under the same load (a CPU profile over ${r.profileSeconds} s, taken after
the measured stretches; self time): ${r.profile.filter((p) => !/node:inspector|^\(idle\)/.test(p.frame)).slice(0, 6).map((p) => `\`${p.frame.replace(/`/g, '')}\` ${fmt(p.percent, 0)}%`).join(', ')}.
${spawnShare >= 25 && r.hidden.eventLoopDelay.p99 >= 50 ? `With the view hidden the p99 is still ${fmt(r.hidden.eventLoopDelay.p99, 0)} ms: the engine alone misses the goal. JobService
starts every job with \`child_process.spawn\` on the extension host's main thread, and fork() there
costs milliseconds (more the more memory the host maps), several in one turn of the event loop when
several jobs end together. The next step is in the engine (\`src/core\`), not the view: start jobs
from a small helper process, or one spawn per turn of the event loop.` : ''}
Expanding the Queue group under load waits for the extension host's event loop as well (the provider
itself answers in ${fmt(r.providerLoad.median, 0)} ms).
`;
}

// ---- report ----------------------------------------------------------------------------------

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

async function main(): Promise<void> {
  // JobService unrefs its timers and children (a host must be free to exit); keep this one alive.
  const keepAlive = setInterval(() => undefined, 1000);
  console.log(`benchmarks in ${root}${quick ? ' (quick)' : ''}`);
  // Interleave the three dispatch loops twice and keep each one's best, so drift hits all alike.
  const service: number[] = [];
  const bare: number[] = [];
  const bareSynced: number[] = [];
  const tsp: Array<number | string> = [];
  const tspNoOutput: Array<number | string> = [];
  for (let round = 0; round < 2; round++) {
    bare.push(await bareSpawnLoop());
    bareSynced.push(await bareSpawnLoop(true));
    service.push(await jobServiceLoop());
    tsp.push(taskSpoolerLoop(true));
    tspNoOutput.push(taskSpoolerLoop(false));
  }
  const best = (xs: number[]) => Math.min(...xs);
  const bestOr = (xs: Array<number | string>) => (typeof xs[0] === 'number' ? best(xs as number[]) : xs[0]!);
  const a = { service: best(service), bare: best(bare), bareSynced: best(bareSynced), tsp: bestOr(tsp), tspNoOutput: bestOr(tspNoOutput) };
  console.log('(a)', a);

  const small = await persistence(10, BIG_HISTORY);
  const large = await persistence(BIG_QUEUE, BIG_HISTORY);
  const smallHistory = await persistence(10, 1000);
  console.log('(b/c)', { small, large, smallHistory });

  // In a fresh process, so the RSS baseline is not inflated by the benchmarks above.
  const d = JSON.parse(execFileSync(process.execPath, ['--expose-gc', __filename, '--flood', ...(quick ? ['--quick'] : [])], { encoding: 'utf8' })) as Awaited<ReturnType<typeof flood>>;
  console.log('(d)', d);

  // A separate step (code-server + chromium): the report says so when it cannot run here.
  const e = uiAtScale();
  console.log('(e)', 'ok' in e ? 'measured' : e.notMeasured);

  const f = await slurmBench(root, quick);
  console.log('(f)', 'ok' in f ? 'measured' : f.notMeasured);

  const g = await runEndBench(freshDir, quick);
  console.log('(g)', g);
  const h = await cardBench(root, quick);
  console.log('(h)', h);

  const perJob = (t: number) => `${fmt((t / N_JOBS) * 1000, 0)} µs`;
  const ratioA = a.service / a.bare;
  const ratioSynced = a.service / a.bareSynced;
  const tspRow = (name: string, t: number | string) => typeof t === 'number'
    ? `| ${name} | ${fmt(t, 0)} ms | ${perJob(t)} | ${fmt(t / a.bare, 2)}× |`
    : `| ${name} | ${t} | | |`;
  const tspRows = [
    tspRow('task-spooler, `tsp -S 1`, `tsp true` each (output kept in a file per job, its default)', a.tsp),
    tspRow('task-spooler, `tsp -n true` each (output discarded)', a.tspNoOutput),
  ].join('\n');
  const appendRatio = small.appendMs / smallHistory.appendMs;
  const report = `# Benchmarks

Written by \`npm run bench\`${quick ? ' (--quick: reduced sizes)' : ''} on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine()}.

These machines are shared and noisy, so every goal is a **ratio of figures measured side by side in
the same run** (the dispatch loops are interleaved and each keeps its best of two rounds).

## (a) Dispatch overhead — ${N_JOBS} trivial jobs (\`true\`), one at a time

| runner | total | per job | vs bare spawn |
|---|---|---|---|
| bare Node spawn loop (\`sh -c true\`, awaited one by one) | ${fmt(a.bare, 0)} ms | ${perJob(a.bare)} | 1.00× |
| bare Node spawn loop + one disk sync per job (append a line, \`fdatasync\`, spawn) | ${fmt(a.bareSynced, 0)} ms | ${perJob(a.bareSynced)} | ${fmt(a.bareSynced / a.bare, 2)}× |
| JobService (auto-run, 1 slot, persisted, logged, synced before each start) | ${fmt(a.service, 0)} ms | ${perJob(a.service)} | ${fmt(ratioA, 2)}× |
${tspRows}

Goal: within 1.3× of the bare loop that syncs once per job — the least any queue that keeps its
power-loss promise pays — ${verdict(ratioSynced <= 1.3)} (${fmt(ratioSynced, 2)}×); faster than task-spooler keeping output
(like for like: both keep each job's output in a file) — ${verdict(typeof a.tsp !== 'number' || a.service < a.tsp)}.
**The cost of durability:** one disk sync per start (the \`starting\` record must be on the disk
before the process exists, or a power cut could let the job run twice); that alone is
${fmt(a.bareSynced / a.bare, 2)}× the bare loop here. Enqueues, ends and other records are group-committed
(one sync per turn of the event loop), so a burst of enqueues costs one sync. Task-spooler syncs nothing.
Each JobService job also gets a wrapper shell that leads its process group (so it outlives the host)
and runs the command as its own child (so any command records its exit status, even one that
\`exec\`s or traps \`EXIT\`: one more \`sh\` per job, about 1 ms here), a new log file (creating a file costs 0.2–0.3 ms on this machine's ext4: most of the gap to the bare
loop), an exit-journal line, three history lines, and its share of the spaced-out snapshot writes.

## (b) Persistence cost per change

| queued jobs | history events | reorder + wait until on disk | history append (cancel a queued job) |
|---|---|---|---|
| 10 | ${BIG_HISTORY.toLocaleString('en')} | ${fmt(small.moveMs, 2)} ms | ${fmt(small.appendMs, 3)} ms |
| ${BIG_QUEUE.toLocaleString('en')} | ${BIG_HISTORY.toLocaleString('en')} | ${fmt(large.moveMs, 2)} ms | ${fmt(large.appendMs, 3)} ms |
| 10 | 1,000 | ${fmt(smallHistory.moveMs, 2)} ms | ${fmt(smallHistory.appendMs, 3)} ms |

History append with ${BIG_HISTORY.toLocaleString('en')} events vs 1,000: ${fmt(appendRatio, 2)}× — goal O(1) (ratio near 1) — ${verdict(appendRatio < 2)}.
The snapshot holds only the queue, so its cost grows with queued jobs, never with history; bursts
coalesce into at most one write in flight plus one pending.

## (c) Open / restore

| files | ${BIG_QUEUE.toLocaleString('en')} queued + ${BIG_HISTORY.toLocaleString('en')} history events | 10 queued + ${BIG_HISTORY.toLocaleString('en')} events |
|---|---|---|
| reopen (files JobService wrote: the log prefix the snapshot vouches for is hashed, not re-validated) | **${fmt(large.openMs, 0)} ms** | ${fmt(small.openMs, 0)} ms |
| first open of foreign or changed files (every line validated with zod) | ${fmt(large.coldOpenMs, 0)} ms | ${fmt(small.coldOpenMs, 0)} ms |

Goal under 1 s — reopen ${verdict(large.openMs < 1000)}, first open ${verdict(large.coldOpenMs < 1000)}.
With the default \`historyLimit\` (5,000) the log is compacted to at most ~10,000 lines, so a real
history this large only exists when the limit is raised.

## (d) A job printing ${(OUTPUT_BYTES / 1e6).toFixed(0)} MB

| | time | throughput |
|---|---|---|
| \`… \\| cat > file\` | ${fmt(d.catSeconds, 2)} s | ${fmt(OUTPUT_BYTES / 1e6 / d.catSeconds, 0)} MB/s |
| JobService job (log file + tail + progress) | ${fmt(d.seconds, 2)} s | ${fmt(OUTPUT_BYTES / 1e6 / d.seconds, 0)} MB/s (${fmt(d.catSeconds / d.seconds, 2)}× of cat) |

Host RSS growth while it ran: **${fmt(d.rssGrowthMb, 1)} MB** over a ${fmt(d.baselineMb, 0)} MB baseline. Goal under 64 MB — ${verdict(d.rssGrowthMb < 64)}.
The job writes straight into its log file; the host reads at most a 64 KiB window of its end per poll.

${uiReport(e)}
${slurmReport(f)}
${runEndReport(g)}
${cardReport(h)}`;
  const out = path.join(__dirname, '..', 'docs', 'benchmarks.md');
  fs.writeFileSync(out, report);
  console.log(report);
  console.log(`written to ${out}`);
  fs.rmSync(root, { recursive: true, force: true });
  clearInterval(keepAlive);
}

/** Only one section (f, g or h): it is replaced in docs/benchmarks.md (added when missing), the rest kept. */
async function sectionOnly(letter: string, heading: string, flag: string, measure: () => Promise<string>): Promise<void> {
  const keepAlive = setInterval(() => undefined, 1000);
  const section = await measure();
  const out = path.join(__dirname, '..', 'docs', 'benchmarks.md');
  const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '# Benchmarks\n';
  const at = old.indexOf(heading);
  const next = at < 0 ? -1 : old.indexOf('\n## ', at + heading.length);
  const dated = `${section.trimEnd()}\n\n(Section (${letter}) measured on ${new Date().toISOString().slice(0, 10)}${quick ? ', --quick' : ''} with \`npm run bench -- ${flag}\`; machine: ${machine()}.)\n`;
  const report = at < 0 ? `${old.trimEnd()}\n\n${dated}` : `${old.slice(0, at)}${dated}${next < 0 ? '' : old.slice(next)}`;
  fs.writeFileSync(out, report);
  console.log(dated);
  console.log(`written to ${out}`);
  fs.rmSync(root, { recursive: true, force: true });
  clearInterval(keepAlive);
}

const entry = process.argv.includes('--flood')
  ? async () => {
      const keepAlive = setInterval(() => undefined, 1000);
      process.stdout.write(JSON.stringify(await flood()));
      clearInterval(keepAlive);
    }
  : process.argv.includes('--slurm') ? () => sectionOnly('f', SLURM_HEADING, '--slurm', async () => slurmReport(await slurmBench(root, quick)))
  : process.argv.includes('--run-end') ? () => sectionOnly('g', RUN_END_HEADING, '--run-end', async () => runEndReport(await runEndBench(freshDir, quick)))
  : process.argv.includes('--card') ? () => sectionOnly('h', CARD_HEADING, '--card', async () => cardReport(await cardBench(root, quick)))
  : main;

entry().catch((error) => {
  console.error(error);
  process.exit(1);
});
