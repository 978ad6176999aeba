// `jobQueue.*` settings, read in one place and mapped onto the engine's options.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SlurmJobOptionsSchema, type SlurmJobOptions } from '../core/spec/slurmJobOptions';
import type { EnvironmentSettingsInput } from './settingsEnvironment';
import { DEFAULT_LANE, ExternalJobsPolicySchema, InterruptedPolicySchema, LaneNameSchema, type ConfigurableOptions } from '../core';

export type NotificationLevel = 'all' | 'failures' | 'none';

export interface Settings {
  engine: ConfigurableOptions;
  notifications: NotificationLevel;
  slurm: SlurmSettings;
}

/** `jobQueue.slurm.*`: whether Slurm is offered, and the sbatch options every Slurm job starts from. */
export interface SlurmSettings {
  enabled: boolean;
  defaults: SlurmJobOptions;
  /** Where the nodes write jobs' output and exit files (absolute); undefined: next to the queue's logs. */
  outputDir: string | undefined;
  /** Settings that could not be used, each in a sentence (they are left out, never guessed). */
  problems: string[];
}

const SLURM_FIELDS = ['partition', 'time', 'cpusPerTask', 'mem', 'gres', 'account', 'qos', 'extraArgs'] as const;

/** Each default on its own: one bad value is named and left out; the others still apply. */
export function readSlurmSettings(get: (key: string) => unknown): SlurmSettings {
  const defaults: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const field of SLURM_FIELDS) {
    const value = get(field);
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const parsed = SlurmJobOptionsSchema.safeParse({ [field]: value });
    if (parsed.success) Object.assign(defaults, parsed.data);
    else problems.push(`jobQueue.slurm.${field}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const outputDir = readOutputDir(get('outputDirectory'), problems);
  return { enabled: get('enabled') === true, defaults: defaults as SlurmJobOptions, outputDir, problems };
}

/** `jobQueue.slurm.outputDirectory`: absolute, or `~/…` (the home folder); anything else is named and left out. */
function readOutputDir(value: unknown, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const dir = text === '~' || text.startsWith('~/') ? path.join(os.homedir(), text.slice(1)) : text;
  if (path.isAbsolute(dir)) return dir;
  problems.push(`jobQueue.slurm.outputDirectory: “${text}” is not an absolute folder (write /scratch/me/jobs or ~/jobs)`);
  return undefined;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('jobQueue');
  const policy = InterruptedPolicySchema.safeParse(config.get('interruptedJobs'));
  const notifications = config.get<string>('notifications');
  const shell = config.get<string>('shell')?.trim();
  const externalJobs = ExternalJobsPolicySchema.safeParse(config.get('externalJobs'));
  return {
    engine: {
      maxParallelJobs: wholeNumber(config.get('maxParallelJobs'), 1, 1, 256),
      cancelGraceMs: wholeNumber(config.get('cancelGracePeriodSeconds'), 5, 0, 24 * 3600) * 1000,
      interruptedPolicy: policy.success ? policy.data : 'requeueAndPause',
      historyLimit: wholeNumber(config.get('historyLimit'), 5000, 10, 1_000_000),
      // Empty: each backend's own default shell.
      shell: shell ?? '',
      lanes: readLanes(config.get('lanes')),
      externalJobs: externalJobs.success ? externalJobs.data : 'holdForApproval',
      slurmMaxJobs: wholeNumber(config.get('slurm.maxJobs'), 20, 1, 10_000),
      // On unless turned off: anything but `false` (a typo, a string) keeps the default.
      unbufferedOutput: config.get('unbufferedOutput') !== false,
    },
    slurm: readSlurmSettings((key) => config.get(`slurm.${key}`)),
    // By default only what needs attention (failures, interruptions); successes are opt-in ('all').
    notifications: notifications === 'all' || notifications === 'none' ? notifications : 'failures',
  };
}

/**
 * `jobQueue.lanes`: name → slots (a whole number, 1 to 256). An entry that is not one is left out;
 * `default` is the lane whose slots are `jobQueue.maxParallelJobs`, so it is left out too.
 */
export function readLanes(value: unknown): Record<string, number> {
  const lanes: Record<string, number> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return lanes;
  for (const [name, slots] of Object.entries(value as Record<string, unknown>)) {
    const lane = LaneNameSchema.safeParse(name);
    if (!lane.success || lane.data === DEFAULT_LANE || lane.data !== name) continue;
    if (typeof slots === 'number' && Number.isInteger(slots) && slots >= 1 && slots <= 256) lanes[name] = slots;
  }
  return lanes;
}

/** `jobQueue.env` and `jobQueue.envFile` as written for jobs added in `folder` (checked by settingsEnvironment). */
export function readEnvironmentSettings(folder: vscode.Uri | undefined): EnvironmentSettingsInput {
  const config = vscode.workspace.getConfiguration('jobQueue', folder);
  return { env: config.get('env'), envFile: config.get('envFile') };
}

export function onDidChangeSettings(listener: (settings: Settings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('jobQueue')) listener(readSettings());
  });
}

/** A whole-number setting within its range; anything that is not a finite number (a string, NaN) is the default. */
export function wholeNumber(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}
