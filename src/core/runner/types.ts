// The runner port: "a place where jobs run". JobService talks only to this; nothing above it may
// assume a local pid (a Slurm backend is planned behind the same interface).
import type { JobSpec, RunHandle } from '../model';

export interface RunExit {
  /** The command's exit code, when it exited. */
  exitCode?: number;
  /** The signal that ended it, when one did. */
  signal?: string;
  /** Why it could not run at all (spawn failure), or why its end is unknown. */
  error?: string;
  finishedAt: number;
}

export interface StartRequest {
  jobId: string;
  attempt: number;
  spec: JobSpec;
  /** Output of this run (stdout and stderr, in order) goes here. */
  logPath: string;
  shell: string;
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
  /** Whether pause()/resume() exist here (SIGSTOP/SIGCONT); the UI hides the control otherwise. */
  readonly canPauseJobs: boolean;
  start(request: StartRequest): JobExecution;
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
