// What a runner's Slurm runs share, and what release() hands sbatch (built by the runner's start()).
import type { SlurmAccounting } from './slurmAccounting';
import type { SlurmCommands } from './slurmCommands';
import type { SlurmWaitsFor } from './slurmDependency';
import type { PauseMethod } from './slurmDetails';
import type { SlurmPoller } from './slurmPoller';

export interface SlurmShared {
  commands: SlurmCommands;
  poller: SlurmPoller;
  /** A submission never confirmed (sbatch timed out, or its host went away first) and not listed for this long was not submitted. */
  lostSubmissionMs: number;
  /** What finished runs used (sacct), batched across runs. */
  accounting: SlurmAccounting;
  /** Learned once per runner: whether this user may `scontrol suspend` (operators only). */
  pauseMethod: PauseMethod | undefined;
}

/** What release() hands sbatch: the argv up to and including the wrapper and its arguments, and what came from the job's script. */
export type PreparedSubmission = { kind: 'ready'; argv: string[]; fromScript?: string; array?: ArrayRun } | { kind: 'refused'; reason: string };

/** A job array's `--array` value and its task ids. */
export interface ArrayRun {
  spec: string;
  tasks: number[];
}


export interface Submission {
  /** Writes the local files and builds the argv; `options`: further sbatch options (--dependency), placed before the script. */
  prepare: (options: string[]) => Promise<PreparedSubmission>;
  env: NodeJS.ProcessEnv;
  /** Slurm runs of ours it must wait for: submitted with --dependency=afterok|afterany on their ids. */
  waitsFor?: SlurmWaitsFor;
}
