// (f) Slurm: the queue on a real single-node Slurm (scripts/slurm/up.sh), brought up and down here.
// Side by side in one run: 100 trivial jobs through JobService → SlurmRunner against a bare
// `sbatch --parsable --wrap true` loop that waits with squeue (both poll once a second), and the
// Slurm commands one poll issues with 1 and with 500 of our jobs on the cluster — counted at the
// commands layer (every sbatch/squeue/scancel/scontrol the runner ran), not taken from the runner.
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { openJobService, type Job, type JobService } from '../src/core';
import { execFileCommands, type SlurmCommands } from '../src/core/runner/slurm/slurmCommands';
import { SlurmRunner, type SlurmRunnerConfig } from '../src/core/runner/slurm/slurmRunner';

const run = promisify(execFile);
const SLURM_JOBS = 100;
const MANY = 500;
const ROUNDS = 3;
/** Polls per measurement of the commands per poll. */
const POLLS = 5;

export interface SlurmBench {
  jobs: number;
  service: number[];
  bare: number[];
  perPoll: Array<{ active: number; running: number; pending: number; polls: number; commands: number; byProgram: Record<string, number>; reported: number; squeueMs: number }>;
  cpus: number;
  version: string;
}
export type SlurmOutcome = { ok: SlurmBench } | { notMeasured: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function slurmScript(name: string, env: NodeJS.ProcessEnv): { ok: boolean; out: string } {
  const r = spawnSync('bash', [path.join(__dirname, '..', 'scripts', 'slurm', name)], { env, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** The commands layer, counting what it runs (by program). */
function countingCommands(): { commands: SlurmCommands; counts: Map<string, number>; total: () => number } {
  const real = execFileCommands(30_000);
  const counts = new Map<string, number>();
  const count = (program: string) => counts.set(program, (counts.get(program) ?? 0) + 1);
  return {
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    commands: {
      run: (program, args, env) => {
        count(program);
        return real.run(program, args, env);
      },
      find: (program) => real.find(program),
    },
  };
}

async function openOnSlurm(dir: string, runner: SlurmRunner): Promise<JobService> {
  return openJobService({ storageDir: dir, shell: '/bin/sh', historyLimit: 10_000, backends: [runner], slurmMaxJobs: 1000 });
}

/** Our jobs squeue lists (pending, running, completing). */
async function listedIds(): Promise<Set<string>> {
  const { stdout } = await run('squeue', ['-h', '-u', os.userInfo().username, '-o', '%i']);
  return new Set(stdout.split('\n').map((l) => l.trim()).filter(Boolean));
}

/** 100 × `true` through JobService → SlurmRunner (every job may be on the cluster at once), until all are in the history. */
async function serviceRun(dir: string): Promise<number> {
  const runner = new SlurmRunner({});
  const service = await openOnSlurm(dir, runner);
  const start = process.hrtime.bigint();
  const ids = new Set<string>();
  const done = new Promise<void>((resolve, reject) => {
    let left = SLURM_JOBS;
    service.onDidChange((e) => {
      if (e.type !== 'historyAdded' || !ids.has(e.entry.id)) return;
      if (e.entry.status !== 'completed') reject(new Error(`bench job ${e.entry.id} ended ${e.entry.status}: ${e.entry.error ?? ''}`));
      else if (--left === 0) resolve();
    });
  });
  for (let i = 0; i < SLURM_JOBS; i++) ids.add(service.enqueue({ command: 'true', cwd: dir, runOn: { kind: 'slurm' } }).id);
  service.setAutoRun(true);
  await done;
  await service.flush();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  await service.dispose();
  return elapsed;
}

/** The same 100 jobs by hand: sbatch each, then squeue once a second until none is listed. */
async function bareRun(dir: string): Promise<number> {
  const start = process.hrtime.bigint();
  const ids: string[] = [];
  for (let i = 0; i < SLURM_JOBS; i++) {
    const { stdout } = await run('sbatch', ['--parsable', `--chdir=${dir}`, '--wrap', 'true']);
    ids.push(stdout.trim().split(';')[0]!);
  }
  for (;;) {
    const listed = await listedIds();
    if (!ids.some((id) => listed.has(id))) break;
    await sleep(1000);
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** With `active` long jobs of ours on the cluster (running or pending), the Slurm commands over POLLS polls. */
async function commandsPerPoll(dir: string, active: number): Promise<SlurmBench['perPoll'][number]> {
  const counting = countingCommands();
  const config: SlurmRunnerConfig = { commands: counting.commands, activePollMs: 500 };
  const runner = new SlurmRunner(config);
  const service = await openOnSlurm(dir, runner);
  const jobs: Job[] = [];
  for (let i = 0; i < active; i++) jobs.push(service.enqueue({ command: 'sleep 600', cwd: dir, runOn: { kind: 'slurm' } }));
  service.setAutoRun(true);
  // Steady state: every job submitted and seen in squeue (its details name its Slurm id and state).
  const known = () => jobs.every((j) => /Slurm \d+ · (PENDING|RUNNING)/.test(service.getRunDetails(j.id)?.summary ?? ''));
  const deadline = Date.now() + 300_000;
  while (!known()) {
    if (Date.now() > deadline) throw new Error(`not all ${active} jobs reached Slurm within 300 s`);
    await sleep(200);
  }
  // Wait for a poll boundary, then count everything the runner runs over POLLS polls.
  const polls0 = runner.polls;
  while (runner.polls === polls0) await sleep(5);
  const from = runner.polls;
  const before = new Map(counting.counts);
  const total0 = counting.total();
  while (runner.polls < from + POLLS) await sleep(5);
  const byProgram: Record<string, number> = {};
  for (const [program, n] of counting.counts) if (n - (before.get(program) ?? 0) > 0) byProgram[program] = n - (before.get(program) ?? 0);
  const states = service.getSnapshot().running.map((j) => service.getRunDetails(j.id)?.summary ?? '');
  const squeueStart = process.hrtime.bigint();
  await listedIds();
  const squeueMs = Number(process.hrtime.bigint() - squeueStart) / 1e6;
  const result = {
    active, polls: runner.polls - from, commands: counting.total() - total0, byProgram, reported: runner.commandsPerPoll, squeueMs,
    running: states.filter((s) => s.includes('RUNNING')).length, pending: states.filter((s) => s.includes('PENDING')).length,
  };
  // The host goes; its jobs stay on the cluster (as they would): cleared for the next measurement.
  await service.dispose();
  await run('scancel', ['-u', os.userInfo().username]);
  while ((await listedIds()).size > 0) await sleep(200);
  return result;
}

/** Brings Slurm up, measures, always brings it down. */
export async function slurmBench(root: string, quick: boolean): Promise<SlurmOutcome> {
  const env = { ...process.env, SLURM_ROOT: process.env.SLURM_ROOT ?? '/tmp/jq-slurm' };
  const up = slurmScript('up.sh', env);
  if (!up.ok) {
    if (!/already running/.test(up.out)) slurmScript('down.sh', env);
    return { notMeasured: `not measured — Slurm could not be brought up here (scripts/slurm/up.sh: ${up.out.split('\n').slice(-2).join(' ')})` };
  }
  const previousConf = process.env.SLURM_CONF;
  process.env.SLURM_CONF = path.join(env.SLURM_ROOT, 'etc', 'slurm.conf');
  try {
    const dir = (name: string) => {
      const d = path.join(root, `slurm-${name}`);
      fs.mkdirSync(d, { recursive: true });
      return d;
    };
    const version = (await run('sbatch', ['--version'])).stdout.trim();
    const cpus = Number((await run('sinfo', ['-h', '-o', '%c'])).stdout.trim());
    // Interleaved (bare, service, bare, service, …), each keeping its best: drift hits both alike, and
    // Slurm's once-a-second scheduling makes single runs jitter by a second or two.
    const service: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(await bareRun(dir(`bare-${round}`)));
      service.push(await serviceRun(dir(`service-${round}`)));
      console.log('(f)', { bare: bare.at(-1), service: service.at(-1) });
    }
    const perPoll = [await commandsPerPoll(dir('one'), 1)];
    perPoll.push(await commandsPerPoll(dir('many'), quick ? 100 : MANY));
    console.log('(f)', perPoll);
    return { ok: { jobs: SLURM_JOBS, service, bare, perPoll, cpus, version } };
  } catch (error) {
    return { notMeasured: `not measured — the Slurm benchmark failed: ${(error as Error).message}` };
  } finally {
    if (previousConf === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = previousConf;
    const down = slurmScript('down.sh', env);
    if (!down.ok) console.error(`scripts/slurm/down.sh: ${down.out}`);
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

export const SLURM_HEADING = '## (f) Slurm — the queue on a real single-node Slurm';

export function slurmReport(outcome: SlurmOutcome): string {
  if (!('ok' in outcome)) return `${SLURM_HEADING}\n\n${outcome.notMeasured}.\n`;
  const r = outcome.ok;
  const service = Math.min(...r.service);
  const bare = Math.min(...r.bare);
  const ratio = service / bare;
  const [one, many] = r.perPoll as [SlurmBench['perPoll'][number], SlurmBench['perPoll'][number]];
  const per = (p: typeof one) => p.commands / p.polls;
  const programs = (p: typeof one) => Object.entries(p.byProgram).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  return `${SLURM_HEADING}

${r.version}, one node with ${r.cpus} CPUs (\`scripts/slurm/up.sh\`: \`sched_interval=1\`), brought up and down by the benchmark.

| ${r.jobs} trivial jobs (\`true\`) | total (best of ${r.service.length}; each run) | per job | vs bare |
|---|---|---|---|
| bare loop: \`sbatch --parsable --wrap true\` × ${r.jobs}, then \`squeue\` once a second until none is listed | ${fmt(bare / 1000, 2)} s (${r.bare.map((t) => fmt(t / 1000, 2)).join(', ')}) | ${fmt(bare / r.jobs, 0)} ms | 1.00× |
| JobService → SlurmRunner (auto-run, all ${r.jobs} may be on the cluster, persisted, output + exit file per job, one \`squeue\` a second) until all ${r.jobs} are in the history | ${fmt(service / 1000, 2)} s (${r.service.map((t) => fmt(t / 1000, 2)).join(', ')}) | ${fmt(service / r.jobs, 0)} ms | ${fmt(ratio, 2)}× |

Goal ≤ 1.2× — ${verdict(ratio <= 1.2)} (${fmt(ratio, 2)}×). Both learn of ends the same way (a \`squeue\` a second). What the
queue adds per job: the durable \`starting\` record before its \`sbatch\`, an output and an exit file through a wrapper, the history. What it saves: one dispatch round releases
every job that may go, so their \`sbatch\` calls overlap, where the loop waits for each \`sbatch\` before the next.
Most of either total is Slurm's own: scheduling once a second, ${r.cpus} jobs at a time on ${r.cpus} CPUs.

| our jobs on the cluster | of which running / pending | polls counted | Slurm commands in those polls | per poll | \`commandsPerPoll\` (runner) | one \`squeue\` then |
|---|---|---|---|---|---|---|
| ${one.active} | ${one.running} / ${one.pending} | ${one.polls} | ${programs(one)} | **${fmt(per(one), 2)}** | ${one.reported} | ${fmt(one.squeueMs, 0)} ms |
| ${many.active} | ${many.running} / ${many.pending} | ${many.polls} | ${programs(many)} | **${fmt(per(many), 2)}** | ${many.reported} | ${fmt(many.squeueMs, 0)} ms |

Goal: the same with 1 and ${many.active} active jobs — ${verdict(per(one) === per(many))}. Counted at the commands layer (every
\`sbatch\`, \`squeue\`, \`scancel\`, \`scontrol\` the runner ran between poll boundaries, once all jobs were on the cluster), not
taken from the runner's own counter: one \`squeue\` for all of this user's jobs per interval, whatever their number.
`;
}
