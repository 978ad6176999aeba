// One Slurm run seen from the host. start() makes it at its gate (nothing submitted); release()
// submits it (the intent is durable by then); the runner's poller then tells it its squeue row, and
// its end comes from the exit file its wrapper writes, cross-checked with Slurm's state.
import type { JobExecution, RunDetails, RunExit } from '../types';
import { slurmMessage, type SlurmCommands } from './slurmCommands';
import { dependencyOption, type SlurmWaitsFor } from './slurmDependency';
import { detailsKey, slurmDetails, type PauseMethod } from './slurmDetails';
import { readExitFile, writeMarker, type SlurmHandle } from './slurmFiles';
import type { PolledRun, SlurmPoller, Snapshot } from './slurmPoller';
import { isActiveState, isEndedState, parseSubmittedId, type SqueueRow } from './squeue';

/** sbatch's words for a controller it could not reach (not a refusal of the job; nothing reached it). */
const UNREACHABLE = /unable to contact slurm controller|connect(ion)? (failure|refused)/i;
/** An answer lost on the way back: the controller may have taken the job, so it is looked for by its tag. */
const MAYBE_TAKEN = /socket timed out|zero bytes were transmitted/i;

/** An ended state (or a job no longer listed) waits this long for its exit file before judging. */
const EXIT_FILE_GRACE_MS = 3000;
/** sbatch timed out: if the job has not shown up in squeue after this long, it was not submitted. */
const LOST_SUBMISSION_MS = 60_000;
/** A cancel Slurm has not acted on is asked again this often. */
const CANCEL_AGAIN_MS = 5000;

export interface SlurmShared {
  commands: SlurmCommands;
  poller: SlurmPoller;
  /** Learned once per runner: whether this user may `scontrol suspend` (operators only). */
  pauseMethod: PauseMethod | undefined;
}

/** What release() hands sbatch (the argv up to and including the wrapper and its arguments). */
export interface Submission {
  /** `options`: further sbatch options (--dependency), placed before the script. */
  argv: (options: string[]) => string[];
  env: NodeJS.ProcessEnv;
  /** Slurm runs of ours it must wait for: submitted with --dependency=afterok|afterany on their ids. */
  waitsFor?: SlurmWaitsFor;
}

type Phase = 'held' | 'submitting' | 'watching' | 'ended' | 'detached';

export class SlurmExecution implements JobExecution, PolledRun {
  readonly exited: Promise<RunExit>;
  private settle!: (exit: RunExit) => void;
  private phase: Phase;
  private slurmId: string | undefined;
  private row: SqueueRow | undefined;
  /** When we could first expect squeue to list it (its id came back, or it was found again). */
  private knownSince = 0;
  private missingSince: number | undefined;
  private endedSeenAt: number | undefined;
  private unreachableSince: number | undefined;
  private unreachableWhy: string | undefined;
  private wantPaused = false;
  private heldByUs = false;
  private cancelAskedAt: number | undefined;
  private cancelWanted = false;
  private sbatchTimedOut = false;
  private readonly listeners: Array<() => void> = [];
  private lastDetails = '';

  constructor(private readonly base: SlurmHandle, private readonly shared: SlurmShared, private readonly submission: Submission | undefined) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
    this.phase = submission ? 'held' : 'watching';
    this.slurmId = base.slurmId;
    if (!submission) {
      this.knownSince = Date.now();
      shared.poller.watch(this);
    }
  }

  get handle(): SlurmHandle {
    return this.slurmId ? { ...this.base, slurmId: this.slurmId } : this.base;
  }

  get tag(): string {
    return this.base.tag;
  }

  release(): void {
    if (this.phase !== 'held' || !this.submission) return;
    this.phase = 'submitting';
    this.shared.poller.watch(this);
    void this.submit(this.submission);
  }

  abandon(): boolean {
    if (this.phase !== 'held') return false;
    this.finish({ kind: 'unknown', reason: 'Stopped before it was submitted to Slurm', finishedAt: Date.now() });
    return true;
  }

  private async submit(submission: Submission): Promise<void> {
    let options: string[] = [];
    if (submission.waitsFor) {
      const dependency = await dependencyOption(submission.waitsFor, () => this.cancelWanted || this.phase !== 'submitting');
      // Detached meanwhile (the host goes away): nothing was submitted, so the next host may start it.
      if (this.phase === 'detached') return;
      if (typeof dependency !== 'string') {
        // Nothing was submitted (and no marker written): a later host sees it never began.
        this.finish({ kind: dependency.cancelled ? 'unknown' : 'failedToStart', reason: dependency.reason, finishedAt: Date.now() });
        return;
      }
      options = [dependency];
    }
    let argv: string[];
    try {
      // The local files first (the wrapper, the output link; a full disk or read-only folder fails
      // here, before anything says it was submitted), then the marker: from then on a later host
      // cannot call this run "never submitted".
      argv = submission.argv(options);
      writeMarker(this.base.marker, { tag: this.base.tag, at: Date.now() });
    } catch (error) {
      this.finish({ kind: 'failedToStart', reason: `Could not start: ${(error as Error).message}`, finishedAt: Date.now() });
      return;
    }
    const result = await this.shared.commands.run('sbatch', argv, submission.env);
    if (this.phase === 'ended') return;
    const id = result.ok ? parseSubmittedId(result.stdout) : undefined;
    if (id) {
      this.slurmId = id;
      this.knownSince = Date.now();
      try {
        writeMarker(this.base.marker, { tag: this.base.tag, at: Date.now(), slurmId: id });
      } catch {
        // The job is submitted whatever the marker says: squeue and the exit file find it too.
      }
      if (this.phase === 'submitting') this.phase = 'watching';
      if (this.cancelWanted) this.askCancel();
      else if (this.wantPaused) void this.applyPause(true);
      this.changed();
      return;
    }
    if (result.failure === 'timeout' || (result.ok && !id) || MAYBE_TAKEN.test(slurmMessage(result))) {
      // It may have reached the controller: look for it by its tag rather than guess either way.
      this.sbatchTimedOut = true;
      this.knownSince = Date.now();
      if (this.phase === 'submitting') this.phase = 'watching';
      this.changed();
      return;
    }
    // A controller that cannot be reached did not refuse anything: say which it was.
    const message = slurmMessage(result);
    const reason = UNREACHABLE.test(message) ? `Could not start: the Slurm controller could not be reached (${message})` : `Slurm refused the job: ${message}`;
    try {
      writeMarker(this.base.marker, { tag: this.base.tag, at: Date.now(), refused: reason });
    } catch {
      // recorded by the host anyway; the marker only helps a host that dies right now
    }
    this.finish({ kind: 'failedToStart', reason, finishedAt: Date.now() });
  }

  wantsFastPolling(): boolean {
    return this.phase === 'submitting' || this.cancelWanted || this.endedSeenAt !== undefined || this.missingSince !== undefined
      || (this.row !== undefined && isActiveState(this.row.state));
  }

  observe(snapshot: Snapshot): void {
    if (this.phase !== 'watching' && this.phase !== 'submitting') return;
    const wasUnreachable = this.unreachableSince !== undefined;
    this.unreachableSince = undefined;
    let row = snapshot.rows.get(this.base.tag);
    if (row && this.slurmId && row.id !== this.slurmId && Number(row.id) < Number(this.slurmId)) row = undefined;
    if (row) {
      this.slurmId ??= row.id;
      this.row = row;
      this.missingSince = undefined;
      if (this.cancelWanted && !isEndedState(row.state) && Date.now() - (this.cancelAskedAt ?? 0) > CANCEL_AGAIN_MS) this.askCancel();
      if (isEndedState(row.state)) this.judgeEnded(row);
      this.changed(wasUnreachable);
      return;
    }
    // Not listed. A poll asked before we could be listed proves nothing.
    if (this.phase === 'submitting' || snapshot.askedAt < this.knownSince) return;
    const recorded = readExitFile(this.base.exitFile);
    if (recorded) return this.finish(recorded);
    const now = Date.now();
    this.missingSince ??= now;
    if (this.sbatchTimedOut && !this.slurmId) {
      if (now - this.missingSince >= LOST_SUBMISSION_MS) this.finish({ kind: 'failedToStart', reason: 'Slurm did not confirm the submission (sbatch timed out) and the job never appeared', finishedAt: now });
      return;
    }
    if (now - this.missingSince >= EXIT_FILE_GRACE_MS) {
      this.finish({ kind: 'unknown', reason: `Slurm no longer lists job ${this.slurmId ?? this.base.tag} and it left no exit status`, finishedAt: now });
    }
    this.changed(wasUnreachable);
  }

  /** Ended in Slurm's eyes: the exit file says how; without one (killed first), the state does. */
  private judgeEnded(row: SqueueRow): void {
    const recorded = readExitFile(this.base.exitFile);
    if (recorded) return this.finish(recorded);
    const now = Date.now();
    this.endedSeenAt ??= now;
    if (now - this.endedSeenAt < EXIT_FILE_GRACE_MS) return;
    const what = `Slurm ended job ${row.id} as ${row.state}`;
    if (row.state === 'COMPLETED' || row.state === 'FAILED') this.finish({ kind: 'unknown', reason: `${what} but its wrapper left no exit status`, finishedAt: now });
    else if (row.state === 'NODE_FAIL' || row.state === 'BOOT_FAIL') this.finish({ kind: 'unknown', reason: what, finishedAt: now });
    else this.finish({ kind: 'signalled', signal: row.state === 'OUT_OF_MEMORY' ? 'SIGKILL' : 'SIGTERM', finishedAt: now });
  }

  unreachable(since: number, why: string): void {
    if (this.phase !== 'watching' && this.phase !== 'submitting') return;
    // The exit file needs no controller: a run that ended meanwhile is known to have ended.
    const recorded = readExitFile(this.base.exitFile);
    if (recorded) return this.finish(recorded);
    this.unreachableSince = since;
    this.unreachableWhy = why;
    this.changed();
  }

  pause(): void {
    this.wantPaused = true;
    if (this.slurmId) void this.applyPause(true);
  }

  resume(): void {
    this.wantPaused = false;
    if (this.slurmId) void this.applyPause(false);
  }

  /**
   * A pending job is held (there is nothing to stop yet). A running one is suspended with scontrol
   * when this user may (operators), else stopped with STOP/CONT to all its processes — learned once.
   */
  private async applyPause(stop: boolean): Promise<void> {
    const id = this.slurmId!;
    const { commands } = this.shared;
    if (stop && this.row?.state === 'PENDING') {
      if ((await commands.run('scontrol', ['hold', id])).ok) this.heldByUs = true;
    } else if (!stop && this.heldByUs) {
      if ((await commands.run('scontrol', ['release', id])).ok) this.heldByUs = false;
    } else {
      if (this.shared.pauseMethod?.method !== 'STOP/CONT signals') {
        const result = await commands.run('scontrol', [stop ? 'suspend' : 'resume', id]);
        if (result.ok) this.shared.pauseMethod = { method: 'scontrol suspend', why: 'this user may suspend jobs' };
        else if (/denied|not authori[sz]ed|permission|operator|Invalid user/i.test(result.stderr + result.stdout)) {
          this.shared.pauseMethod = { method: 'STOP/CONT signals', why: `scontrol suspend needs an operator (${slurmMessage(result)})` };
        }
      }
      if (this.shared.pauseMethod?.method === 'STOP/CONT signals') {
        await commands.run('scancel', [`--signal=${stop ? 'STOP' : 'CONT'}`, '--full', id]);
      }
    }
    this.shared.poller.burst();
    this.changed();
  }

  terminate(): Promise<void> {
    const done = this.exited.then(() => undefined);
    if (this.phase === 'held') this.abandon();
    else if (this.phase !== 'ended' && this.phase !== 'detached') {
      this.cancelWanted = true;
      // Still in sbatch: cancelled as soon as its id is known (see submit).
      if (this.slurmId) this.askCancel();
    }
    return done;
  }

  private askCancel(): void {
    this.cancelAskedAt = Date.now();
    // Slurm sends SIGCONT + SIGTERM to every process of the job, then SIGKILL after its KillWait.
    void this.shared.commands.run('scancel', [this.slurmId!]).then(() => this.shared.poller.burst());
    this.shared.poller.burst();
  }

  detach(): void {
    if (this.phase === 'ended') return;
    this.phase = 'detached';
    this.shared.poller.unwatch(this);
  }

  details(): RunDetails {
    return slurmDetails({
      slurmId: this.slurmId,
      row: this.row,
      submitting: this.phase === 'submitting',
      unreachableSince: this.unreachableSince,
      unreachableWhy: this.unreachableWhy,
      pauseMethod: this.shared.pauseMethod,
      heldByUs: this.heldByUs,
    });
  }

  /** `scontrol show job <id>`: Slurm's full account of this run (for "Show in Slurm"). */
  async describe(): Promise<string> {
    if (!this.slurmId) throw new Error(this.phase === 'submitting' || this.phase === 'held' ? 'it is not submitted to Slurm yet' : 'its Slurm job id is not known');
    const result = await this.shared.commands.run('scontrol', ['show', 'job', this.slurmId]);
    if (!result.ok) throw new Error(`scontrol show job ${this.slurmId} failed: ${slurmMessage(result)}`);
    return result.stdout;
  }

  onDetailsChanged(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(force = false): void {
    const key = detailsKey(this.details());
    if (key === this.lastDetails && !force) return;
    this.lastDetails = key;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        // Called from the poller and from async actions: a throwing listener must not become an unhandled rejection.
        console.error('[job-queue] a Slurm run details listener failed', error);
      }
    }
  }

  private finish(exit: RunExit): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.shared.poller.unwatch(this);
    this.settle(exit);
  }
}
