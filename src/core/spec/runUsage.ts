// What a finished run used, as the place it ran measured it (Slurm's accounting, `sacct`): kept with
// the run in the history, so the next job can be sized from it. Backend-neutral: the model keeps it.
import * as z from 'zod/mini';

const seconds = z.number().check(z.nonnegative());

export const RunUsageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('measured'),
    /** Wall time, seconds. */
    elapsedS: seconds,
    /** CPU time used by all its processes (user + system), seconds. */
    cpuS: seconds,
    /** CPUs it was given. */
    cpus: z.int().check(z.positive()),
    /** Largest resident set of any of its processes, bytes (absent: not measured). */
    maxRssBytes: z.optional(seconds),
    /** The state the accounting recorded (COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY…). */
    state: z.string().check(z.maxLength(100)),
  }),
  /** No accounting where it ran (sacct missing or not set up), or no record of this run: why. */
  z.object({ kind: z.literal('unavailable'), why: z.string().check(z.maxLength(500)) }),
]);
export type RunUsage = z.infer<typeof RunUsageSchema>;

/** CPU efficiency as `seff` computes it: CPU time used over CPUs × wall time; undefined for a run of no time. */
export function cpuEfficiency(usage: Extract<RunUsage, { kind: 'measured' }>): number | undefined {
  return usage.elapsedS > 0 ? usage.cpuS / (usage.cpus * usage.elapsedS) : undefined;
}

function clock(totalS: number): string {
  const s = Math.round(totalS);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return hms;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** One line for the tooltip and the details: "00:01:05 elapsed · MaxRSS 1.2 GiB · CPU 00:02:00 of 4 CPUs (46% efficiency) · COMPLETED". */
export function describeUsage(usage: RunUsage): string {
  if (usage.kind === 'unavailable') return `not known: ${usage.why}`;
  const efficiency = cpuEfficiency(usage);
  return [
    `${clock(usage.elapsedS)} elapsed`,
    ...(usage.maxRssBytes !== undefined ? [`MaxRSS ${bytes(usage.maxRssBytes)}`] : []),
    `CPU ${clock(usage.cpuS)} on ${usage.cpus} CPU${usage.cpus === 1 ? '' : 's'}${efficiency !== undefined ? ` (${Math.round(efficiency * 100)}% efficiency)` : ''}`,
    usage.state,
  ].join(' · ');
}
