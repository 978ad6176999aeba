// What the real-Slurm tests share: a runner tuned for tests, squeue as the tests see it, and the
// controller switch (stopping slurmctld needs root; the tier runs as an ordinary user, so it asks
// scripts/test-slurm.mjs, which runs as root, through a folder: JQ_SLURM_CONTROL).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SlurmRunner, type SlurmRunnerConfig } from '../../src/core/runner/slurm/slurmRunner';
import type { JobService } from '../../src/core';
import { waitForEvent } from '../unit/helpers';

export function testRunner(config: SlurmRunnerConfig = {}): SlurmRunner {
  return new SlurmRunner({ activePollMs: 250, burstPollMs: 100, maxPollMs: 1000, commandTimeoutMs: 20_000, ...config });
}

/** Every job of ours Slurm still lists (all states), tag → how many Slurm jobs carry it. */
export function submissionsByTag(): Map<string, string[]> {
  const out = execFileSync('squeue', ['-h', '-t', 'all', '-u', os.userInfo().username, '-o', '%i|%j|%T'], { encoding: 'utf8' });
  const byTag = new Map<string, string[]>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [id, name, state] = line.split('|');
    if (!name!.startsWith('jq-')) continue;
    byTag.set(name!, [...(byTag.get(name!) ?? []), `${id}:${state}`]);
  }
  return byTag;
}

/** The Slurm state of a job of ours by its tag (undefined: Slurm does not list it). */
export function slurmState(tag: string): string | undefined {
  return submissionsByTag().get(tag)?.at(-1)?.split(':')[1];
}

let requests = 0;
/** Asks the root side to `stop` or `start` slurmctld, and waits until it did. */
export async function controller(action: 'stop' | 'start'): Promise<void> {
  const dir = process.env.JQ_SLURM_CONTROL;
  if (!dir) throw new Error('JQ_SLURM_CONTROL is not set: run this tier with npm run test:slurm');
  const n = ++requests;
  const request = path.join(dir, `${process.pid}-${n}.request`);
  fs.writeFileSync(`${request}.tmp`, action);
  fs.renameSync(`${request}.tmp`, request);
  const done = request.replace(/\.request$/, '.done');
  const end = Date.now() + 30_000;
  while (!fs.existsSync(done)) {
    if (Date.now() > end) throw new Error(`slurmctld ${action}: no answer from the root side`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const answer = fs.readFileSync(done, 'utf8');
  if (answer.trim() !== 'ok') throw new Error(`slurmctld ${action} failed: ${answer}`);
}

/** Waits for the job's run details to match (the card's "Slurm 4711 · RUNNING on node1"). */
export async function waitForDetails(service: JobService, id: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const now = service.getRunDetails(id)?.summary;
  if (now && pattern.test(now)) return now;
  await waitForEvent(service, (e) => e.type === 'runDetailsChanged' && e.jobId === id && pattern.test(service.getRunDetails(id)?.summary ?? ''), timeoutMs);
  return service.getRunDetails(id)!.summary;
}

export function detailField(service: JobService, id: string, label: string): string | undefined {
  return service.getRunDetails(id)?.fields.find((f) => f.label === label)?.value;
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
