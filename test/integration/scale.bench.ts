// The UI-at-scale benchmark, the extension-host half (scripts/bench-ui.mjs is the workbench half).
// Loaded by VS Code as extensionTestsPath, like the integration suite (index.ts), but it is not a
// test: it opens a queue of 10,000 `true` jobs, lets them run with auto-run on, and measures the
// extension host's event-loop delay (perf_hooks.monitorEventLoopDelay) and the finish rate with the
// Jobs view shown, then hidden, and what the tree's data provider costs; last, apart from those
// stretches, a CPU profile of the extension host under the same load says where its time goes.
// The two halves talk through files in JQ_BENCH_CONTROL: this side writes `<step>.json`, the
// script answers with `<step>.done` once it has done its part of that step.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as inspector from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { QUEUE_SNAPSHOT_VERSION, type Job, type QueueSnapshot } from '../../src/core/model';
import { activateExtension, eventually, run as command } from './helpers';

type TreeRow = { group: string; label: string; description: string; contextValue: string; id: string };

const control = process.env.JQ_BENCH_CONTROL ?? '';
const QUEUED = Number(process.env.JQ_BENCH_QUEUED ?? 10_000);
const LOAD_SECONDS = Number(process.env.JQ_BENCH_SECONDS ?? 25);
const HIDDEN_SECONDS = Number(process.env.JQ_BENCH_HIDDEN_SECONDS ?? 15);
const JOB_COMMAND = process.env.JQ_BENCH_COMMAND ?? 'true';
/** Then a CPU profile of the extension host under the same load, apart (a profiler slows what it measures). */
const PROFILE_SECONDS = Number(process.env.JQ_BENCH_PROFILE_SECONDS ?? 8);
/** monitorEventLoopDelay's sampling interval; a sample is this interval plus the delay. */
const RESOLUTION_MS = 10;

function signal(step: string, data: object = {}): void {
  fs.writeFileSync(path.join(control, `${step}.json.partial`), JSON.stringify(data));
  fs.renameSync(path.join(control, `${step}.json.partial`), path.join(control, `${step}.json`));
  console.log(`[scale bench] ${step}`);
}

function answered(step: string): Promise<unknown> {
  return eventually(() => fs.existsSync(path.join(control, `${step}.done`)), `the workbench side to finish "${step}"`, 120_000);
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A stretch of the load: event-loop delay (perf_hooks.monitorEventLoopDelay), finish rate, CPU. */
class Window {
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly cpu = process.cpuUsage();
  private readonly start = Date.now();

  constructor() {
    this.histogram.enable();
  }

  end(finishedAt: number[], queuedLeft: number) {
    this.histogram.disable();
    const end = Date.now();
    const cpu = process.cpuUsage(this.cpu);
    const seconds = (end - this.start) / 1000;
    const finished = finishedAt.filter((t) => t >= this.start && t <= end).length;
    // A sample is the sampling interval plus the delay: report the delay.
    const delay = (v: number) => Math.max(0, v / 1e6 - RESOLUTION_MS);
    const h = this.histogram;
    return {
      seconds, finished, perSecond: finished / seconds, queuedLeft,
      // The machine's load (1-minute average) when the stretch ended: others' work competes for the cores.
      loadAverage: os.loadavg()[0]!, cores: os.cpus().length, cpuPercent: ((cpu.user + cpu.system) / 1000 / (end - this.start)) * 100,
      eventLoopDelay: {
        resolutionMs: RESOLUTION_MS, samples: h.count,
        p50: delay(h.percentile(50)), p90: delay(h.percentile(90)), p99: delay(h.percentile(99)), max: delay(h.max), mean: delay(h.mean),
      },
    };
  }
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

/** A CPU profile of this extension host: start() now, stop() gives the top self-time frames (and writes the profile). */
function profiler() {
  const session = new inspector.Session();
  const post = <T>(method: string): Promise<T> => new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
  return {
    async start(): Promise<void> {
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    async stop(file: string): Promise<Array<{ frame: string; ms: number; percent: number }>> {
      const { profile } = await post<{ profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } }>('Profiler.stop');
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      let total = 0;
      profile.samples.forEach((id, i) => {
        const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
        const frame = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}` : ''}`.trim();
        const dt = profile.timeDeltas[i] ?? 0;
        self.set(frame, (self.get(frame) ?? 0) + dt);
        total += dt;
      });
      return [...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([frame, us]) => ({ frame, ms: us / 1000, percent: (us / total) * 100 }));
    },
  };
}

function stats(values: number[]): { median: number; max: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? NaN, max: sorted.at(-1) ?? NaN, n: sorted.length };
}

/** What VS Code asks the provider when the view shows: the groups, their children, every row's item. */
async function timeProvider(times: number): Promise<{ median: number; max: number; n: number; rows: number; queueRows: number }> {
  const values: number[] = [];
  let rows: TreeRow[] = [];
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    rows = await command<TreeRow[]>('_describeTree');
    values.push(ms(start));
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ...stats(values), rows: rows.length, queueRows: rows.filter((r) => r.group === 'queue').length };
}

/** A queue written the way JobService writes it: `QUEUED` jobs, auto-run off. */
function seedQueue(storageDir: string, cwd: string): void {
  fs.mkdirSync(storageDir, { recursive: true });
  const now = Date.now();
  const queued: Job[] = Array.from({ length: QUEUED }, (_, i) => ({
    id: String(i + 1), spec: { command: JOB_COMMAND, cwd }, status: 'queued', attempt: 0, createdAt: now,
  }));
  const snapshot: QueueSnapshot = { version: QUEUE_SNAPSHOT_VERSION, seq: 0, nextId: QUEUED + 1, autoRun: false, paused: false, queued, running: [] };
  fs.writeFileSync(path.join(storageDir, 'queue.json'), JSON.stringify(snapshot));
}

export async function run(): Promise<void> {
  if (!control) throw new Error('JQ_BENCH_CONTROL is not set: run this through scripts/bench-ui.mjs');
  try {
    await measure();
  } catch (error) {
    fs.writeFileSync(path.join(control, 'error.txt'), String((error as Error).stack ?? error));
    throw error;
  }
}

async function measure(): Promise<void> {
  // Before this run adds its own: what else keeps the machine busy.
  const loadAverageBefore = os.loadavg()[0]!;
  const api = await activateExtension();
  const storageDir = path.join(control, 'storage');
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? control;
  seedQueue(storageDir, cwd);
  const openStart = process.hrtime.bigint();
  await command('_reopen', { storageDir });
  const openMs = ms(openStart);
  if (api.getSnapshot().queued.length !== QUEUED) throw new Error(`the queue opened with ${api.getSnapshot().queued.length} jobs, not ${QUEUED}`);
  const settings = { maxParallelJobs: api.getSnapshot().maxParallelJobs, shell: vscode.workspace.getConfiguration('jobQueue').get<string>('shell') };

  // Idle: the workbench opens the Jobs view for the first time, then the provider is timed.
  signal('idle', { queued: QUEUED });
  await answered('idle');
  const providerIdle = await timeProvider(7);

  // What one spawn blocks this thread for: the engine starts each job with child_process.spawn on
  // the extension host's main thread, and fork() costs more the more memory the process maps.
  const spawnMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    const child = spawn('/bin/sh', ['-c', 'true'], { stdio: 'ignore', detached: true });
    spawnMs.push(ms(start));
    await new Promise((r) => child.once('exit', r));
  }
  const rssMb = process.memoryUsage().rss / 2 ** 20;

  // Load: auto-run on. First with the Jobs view shown (the workbench expands the Queue group and
  // shows the view again now and then, as a person would), then with the view hidden (the Explorer
  // shown instead): the difference is what showing the view costs, the rest is the engine's.
  const finishedAt: number[] = [];
  const sub = api.onDidChange((e) => {
    if (e.type === 'historyAdded') finishedAt.push(Date.now());
  });
  const shown = new Window();
  await command('enableAutoRun');
  await eventually(() => finishedAt.length >= 50, 'the first 50 jobs to finish', 30_000);
  signal('load', { finished: finishedAt.length });
  const workbenchDone = answered('load');
  await new Promise((r) => setTimeout(r, LOAD_SECONDS * 1000));
  await workbenchDone;
  const visible = shown.end(finishedAt, api.getSnapshot().queued.length);

  signal('hide');
  await answered('hide');
  const hiddenWindow = new Window();
  await new Promise((r) => setTimeout(r, HIDDEN_SECONDS * 1000));
  const hidden = hiddenWindow.end(finishedAt, api.getSnapshot().queued.length);
  const cpuProfile = profiler();
  await cpuProfile.start();
  await new Promise((r) => setTimeout(r, PROFILE_SECONDS * 1000));
  const profile = await cpuProfile.stop(path.join(control, 'extension-host.cpuprofile'));

  // The provider under the same load (outside the delay windows: the view does not ask this often).
  const providerLoad = await timeProvider(5);
  const queuedAtEnd = api.getSnapshot().queued.length;

  await command('disableAutoRun');
  await eventually(() => api.getSnapshot().running.length === 0, 'the running jobs to finish', 60_000);
  sub.dispose();
  signal('result', {
    queued: QUEUED, command: JOB_COMMAND, settings, openMs, loadAverageBefore,
    providerIdle, providerLoad, queuedAtEnd,
    spawn: { ...stats(spawnMs), rssMb },
    visible, hidden, profile, profileSeconds: PROFILE_SECONDS,
    node: process.version,
  });
  await command('pauseQueue');
  await command('_reopen', {});
}
