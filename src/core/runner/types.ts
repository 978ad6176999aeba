// The runner port: "a place where jobs run". JobService talks only to this; nothing above it may
// assume a local pid (a Slurm backend is planned behind the same interface).
import type { DependencyCondition, JobSpec, RunHandle } from '../model';
import type { RunUsage } from '../spec/runUsage';

/**
 * How a run ended, as the backend knows it (never parsed from a message):
 * - `exited`: the command ended by itself with this code;
 * - `signalled`: a signal ended it (the shell's 128+N code kept when there was one);
 * - `failedToStart`: it could not begin at all (no shell, a refused submission): the job failed;
 * - `unknown`: its end cannot be known (the host that watched it went away): the job was interrupted.
 */
export type RunEnd =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'signalled'; signal: string; exitCode?: number }
  | { kind: 'failedToStart'; reason: string }
  | { kind: 'unknown'; reason: string };
/** `usage`: what the run used, where the backend measures it (Slurm's sacct). */
export type RunExit = RunEnd & { finishedAt: number; usage?: RunUsage };

/** Where a job runs: on this machine, or on a Slurm cluster (a job's spec says which). */
export type BackendName = 'local' | 'slurm';

/**
 * What a backend shows about a run besides its output (the Slurm job id, its state and reason, its
 * node...): label/value pairs, in the order to show them. Views render them as they are.
 */
export interface RunDetails {
  /** One short line for the Jobs view ("Slurm 4711 · PENDING (Priority)"). */
  summary: string;
  /** Label → value rows for the card and the hover. */
  fields: ReadonlyArray<{ label: string; value: string }>;
}

export interface StartRequest {
  jobId: string;
  attempt: number;
  spec: JobSpec;
  /** Output of this run (stdout and stderr, in order) goes here. */
  logPath: string;
  /** The shell the user chose (setting jobQueue.shell); empty: the backend's default shell. */
  shell: string;
  /**
   * Runs of this backend the job must wait for, still going when it is started (a Slurm job
   * submitted with `--dependency`): `success` — each must complete; `any` — each must end.
   */
  waitsFor?: { condition: DependencyCondition; runs: RunHandle[] };
}

export interface JobExecution {
  /** Persisted with the job; enough for reattach() to find this run again from another host. */
  readonly handle: RunHandle;
  /** Settles once, when the run has ended and its process tree is gone (never rejects). */
  readonly exited: Promise<RunExit>;
  pause(): void;
  resume(): void;
  /** Ask the run to end (SIGTERM to the tree, SIGKILL after `graceMs`); resolves when nothing is left. */
  terminate(graceMs: number): Promise<void>;
  /** Stop watching (the host is going away); the run itself goes on. */
  detach(): void;
  /**
   * A started run waits at a gate, doing nothing, until released: the host releases it once the
   * run's `starting` record is durable. (No-op for a run found again, which is past its gate.)
   */
  release(): void;
  /** What the backend shows about this run now (Slurm: id, state, node...); none for a local run. */
  details?(): RunDetails | undefined;
  /** The backend's own full account of this run, as text (Slurm: `scontrol show job`); rejects with why it cannot. */
  describe?(): Promise<string>;
  /** Called whenever details() changes (state, node, reason). */
  onDetailsChanged?(listener: () => void): void;
  /**
   * Drops a run still at its gate: it ends without its command ever beginning. Returns false when
   * the run cannot be held back (already released, found again, or a platform without a gate).
   */
  abandon(): boolean;
}

export type ReattachResult =
  | { kind: 'running'; execution: JobExecution }
  | { kind: 'finished'; exit: RunExit }
  | { kind: 'unknown'; reason: string };

/** What identifies a run whose start the host asked for but did not see confirmed. */
export interface LocateRequest {
  jobId: string;
  attempt: number;
  /** The log path the run was (or would have been) started with. */
  logPath: string;
}

/**
 * A run looked for by what it was started with, never by running it again. `neverStarted`: the
 * command provably never ran (no process, no trace of a start), so starting it now is not a rerun.
 */
export type LocateResult = ReattachResult | { kind: 'neverStarted' };

export interface JobRunner {
  readonly backend: BackendName;
  /**
   * Whether start() leaves the run at its gate, doing nothing until release() (POSIX processes, a
   * Slurm submission). Where it does not (Windows), the engine syncs the intent before start().
   */
  readonly startsHeld: boolean;
  /** Whether pause()/resume() exist here (SIGSTOP/SIGCONT); the UI hides the control otherwise. */
  readonly canPauseJobs: boolean;
  /**
   * Why this job cannot start here, said plainly ("the working folder does not exist", "sbatch was
   * not found"), or undefined when it can. Asked before anything is recorded: a refusal fails the
   * job at once (kind `failedToStart`), rather than with a bare exit code 127 later.
   */
  checkCanStart(spec: JobSpec, shell: string): string | undefined;
  start(request: StartRequest): JobExecution;
  /**
   * Called (and awaited, bounded by the backend) before a folder opens: a backend that looks for
   * its runs with a command runs it here, asynchronously, so that reattach() runs none.
   */
  prepareToReattach?(): Promise<void>;
  /** Find a run again from its persisted handle, after the host that started it went away. */
  reattach(handle: RunHandle, logPath: string | undefined): LocateResult;
  /**
   * Find a run that has no persisted handle (its host died between asking for the start and
   * recording it), from the same jobId / attempt / logPath that start() was given.
   */
  locate?(request: LocateRequest): LocateResult;
  /** A hint: the run expected next will log here, so the runner may get it ready. */
  prepareLog?(logPath: string): void;
  /** Called when nothing runs: drop what was kept only to learn how runs ended (all are recorded). */
  forgetFinishedRuns?(): void;
}
