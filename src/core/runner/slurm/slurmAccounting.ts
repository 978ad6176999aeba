// What a finished Slurm run used, from Slurm's accounting (`sacct`), asked ONCE per run when it
// ends — never per poll — and batched: the ends of a burst share one sacct call. Async and bounded;
// where accounting does not exist (no slurmdbd: "accounting storage is disabled"), the run's usage
// says so and sacct is not asked again for a while. CPU efficiency is computed as `seff` does.
import type { RunUsage } from '../../spec/runUsage';
import { slurmMessage, type SlurmCommands } from './slurmCommands';

/** The ends within this window share one sacct. */
const BATCH_MS = 200;
/** A run's end is not held back longer than this for its figures. */
const WAIT_MS = 5000;
/** After "no accounting here", sacct is not asked again for this long. */
const UNAVAILABLE_FOR_MS = 10 * 60_000;

export const SACCT_FORMAT = 'JobID,State,ElapsedRaw,TotalCPU,AllocCPUS,MaxRSS';

/** sacct's TotalCPU ("05:02.123", "01:02:03", "1-01:02:03") in seconds. */
export function sacctSeconds(text: string): number | undefined {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, secs] = match;
  return Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(secs);
}

/** sacct's MaxRSS ("1262312K", "12M", "0") in bytes. */
export function sacctBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMGTP]?)$/i.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * 1024 ** ' KMGTP'.indexOf((match[2] || ' ').toUpperCase()));
}

/** Each asked job's usage from `sacct -n -P -o SACCT_FORMAT` (its own row, and its steps' MaxRSS). */
export function parseSacct(stdout: string, ids: readonly string[]): Map<string, RunUsage> {
  const usage = new Map<string, RunUsage>();
  const rss = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const [jobId, state, elapsed, totalCpu, cpus, maxRss] = line.split('|');
    if (!jobId || state === undefined) continue;
    const [id, step] = jobId.split('.');
    const bytes = sacctBytes(maxRss ?? '');
    if (bytes !== undefined) rss.set(id!, Math.max(rss.get(id!) ?? 0, bytes));
    if (step !== undefined || !ids.includes(id!)) continue;
    const elapsedS = Number(elapsed);
    const cpuS = sacctSeconds(totalCpu ?? '');
    const allocated = Number(cpus);
    if (!Number.isFinite(elapsedS) || cpuS === undefined || !(allocated >= 1)) continue;
    usage.set(id!, { kind: 'measured', elapsedS, cpuS, cpus: allocated, state: state.trim() });
  }
  for (const [id, measured] of usage) {
    const bytes = rss.get(id);
    if (measured.kind === 'measured' && bytes !== undefined && bytes > 0) usage.set(id, { ...measured, maxRssBytes: bytes });
  }
  return usage;
}

export class SlurmAccounting {
  private waiting = new Map<string, Array<(usage: RunUsage) => void>>();
  private timer: NodeJS.Timeout | undefined;
  private unavailable: { why: string; until: number } | undefined;

  constructor(private readonly commands: SlurmCommands) {}

  /** The run's usage, or why it is not known; never rejects, never waits longer than WAIT_MS. */
  usageOf(slurmId: string): Promise<RunUsage> {
    if (this.unavailable && Date.now() < this.unavailable.until) return Promise.resolve({ kind: 'unavailable', why: this.unavailable.why });
    return new Promise((resolve) => {
      const late = setTimeout(() => resolve({ kind: 'unavailable', why: 'sacct did not answer in time' }), WAIT_MS);
      late.unref();
      const answer = (usage: RunUsage) => {
        clearTimeout(late);
        resolve(usage);
      };
      this.waiting.set(slurmId, [...(this.waiting.get(slurmId) ?? []), answer]);
      this.timer ??= setTimeout(() => void this.ask(), BATCH_MS);
    });
  }

  private async ask(): Promise<void> {
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = new Map();
    const ids = [...batch.keys()];
    // Steps too (no -X): MaxRSS is measured on the job's steps (its batch step).
    const result = await this.commands.run('sacct', ['-n', '-P', '--format', SACCT_FORMAT, '-j', ids.join(',')]);
    const found = result.ok ? parseSacct(result.stdout, ids) : new Map<string, RunUsage>();
    const refused = result.ok ? undefined : `Slurm accounting is not available here (${slurmMessage(result)})`;
    if (refused) this.unavailable = { why: refused, until: Date.now() + UNAVAILABLE_FOR_MS };
    for (const [id, answers] of batch) {
      const usage = found.get(id) ?? { kind: 'unavailable', why: refused ?? `sacct has no record of job ${id}` };
      for (const answer of answers) answer(usage);
    }
  }
}
