// One Slurm run seen from the host. start() makes it at its gate (nothing submitted); release()
// submits it (the intent is durable by then); the runner's poller then tells it its squeue row, and
// its end comes from the exit file its wrapper writes, cross-checked with Slurm's state.
import type { JobExecution, RunDetails, RunExit } from '../types';
import { showJob } from './slurmCommands';
import type { ArrayRun, PreparedSubmission, SlurmShared, Submission } from './slurmShared';
import { ArrayProgress } from './slurmArray';
import { judgeSbatchAnswer } from './sbatchAnswer';
import { dependencyOption } from './slurmDependency';
import { detailsKey, slurmDetails } from './slurmDetails';
import { SlurmPause } from './slurmPause';
import { readExitFile, recordSlurmId, submitMarker, writeMarker, type SlurmHandle } from './slurmFiles';
import type { PolledRun, Snapshot } from './slurmPoller';
import { isActiveState, isEndedState, type SqueueRow } from './squeue';

/** An ended state (or a job no longer listed) waits this long for its exit file before judging. */
const EXIT_FILE_GRACE_MS = 3000;
/** A cancel Slurm has not acted on is asked again this often. */
const CANCEL_AGAIN_MS = 5000;

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
  private cancelAskedAt: number | undefined;
  private cancelWanted = false;
  private sbatchTimedOut = false;
  private losing = false;
  /** The options the job's script gave (its #SBATCH lines), for the details. */
  private fromScript: string | undefined;
  private readonly pauser: SlurmPause;
  private readonly listeners: Array<() => void> = [];
  private lastDetails = '';

  /** A job array's tasks, and what their exit files say (see slurmArray.ts). */
  private array: ArrayProgress | undefined;

  constructor(private readonly base: SlurmHandle, private readonly shared: SlurmShared, private readonly submission: Submission | undefined, foundArray?: ArrayRun) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
    if (foundArray) this.array = new ArrayProgress(foundArray.tasks, base.exitFile);
    this.pauser = new SlurmPause(shared, () => this.changed());
    this.phase = submission ? 'held' : 'watching';
    this.slurmId = base.slurmId;
    if (!submission) {
      this.knownSince = Date.now();
      // Found again with no Slurm id (its sbatch had not answered when its host went away): looked
      // for by its tag like a submission whose sbatch timed out, until the lost-submission timeout.
      this.sbatchTimedOut = !base.slurmId;
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
    let prepared: PreparedSubmission;
    try {
      // The local files first (the wrapper, the output link; a full disk or read-only folder fails
      // here, before anything says it was submitted), then the marker: from then on a later host
      // cannot call this run "never submitted".
      prepared = await submission.prepare(options);
      if (this.phase === 'detached') return;
      if (this.cancelWanted) return this.finish({ kind: 'unknown', reason: 'Ended before it was submitted to Slurm', finishedAt: Date.now() });
      if (prepared.kind === 'refused') return this.finish({ kind: 'failedToStart', reason: prepared.reason, finishedAt: Date.now() });
      writeMarker(this.base.marker, submitMarker(this.base, prepared.array?.spec));
      if (prepared.array) this.array = new ArrayProgress(prepared.array.tasks, this.base.exitFile);
    } catch (error) {
      this.finish({ kind: 'failedToStart', reason: `Could not start: ${(error as Error).message}`, finishedAt: Date.now() });
      return;
    }
    this.fromScript = prepared.fromScript;
    const argv = prepared.argv;
    const answer = judgeSbatchAnswer(await this.shared.commands.run('sbatch', argv, submission.env));
    if (this.phase === 'ended') return;
    if (answer.kind === 'notSubmitted') {
      try {
        writeMarker(this.base.marker, { ...submitMarker(this.base, prepared.array?.spec), refused: answer.reason });
      } catch {
        // recorded by the host anyway; the marker only helps a host that dies right now
      }
      return this.finish({ kind: 'failedToStart', reason: answer.reason, finishedAt: Date.now() });
    }
    // Submitted, or maybe (then it is looked for by its tag, like a run found without its id).
    if (answer.kind === 'submitted') {
      this.slurmId = answer.id;
      recordSlurmId(this.base, answer.id);
    } else this.sbatchTimedOut = true;
    this.knownSince = Date.now();
    if (this.phase === 'submitting') this.phase = 'watching';
    if (this.cancelWanted && this.slurmId) this.askCancel();
    this.changed();
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
      if (!this.slurmId) {
        this.slurmId = row.id;
        recordSlurmId(this.base, row.id);
      }
      this.row = row;
      this.missingSince = undefined;
      this.settlePause();
      // An array's tasks end one by one: their exit files are read as squeue shows it running.
      const arrayEnd = this.array?.look();
      if (arrayEnd) return this.finish(arrayEnd);
      if (this.cancelWanted && !isEndedState(row.state) && Date.now() - (this.cancelAskedAt ?? 0) > CANCEL_AGAIN_MS) this.askCancel();
      if (isEndedState(row.state)) this.judgeEnded(row);
      this.changed(wasUnreachable);
      return;
    }
    // Not listed. A poll asked before we could be listed proves nothing.
    if (this.phase === 'submitting' || snapshot.askedAt < this.knownSince) return;
    const recorded = this.recordedEnd();
    if (recorded) return this.finish(recorded);
    const now = Date.now();
    this.missingSince ??= now;
    if (this.sbatchTimedOut && !this.slurmId) {
      if (now - this.missingSince >= this.shared.lostSubmissionMs) void this.declareLost();
      return;
    }
    if (now - this.missingSince >= EXIT_FILE_GRACE_MS) {
      this.finish({ kind: 'unknown', reason: `Slurm no longer lists job ${this.slurmId ?? this.base.tag} and it left no exit status`, finishedAt: now });
    }
    this.changed(wasUnreachable);
  }

  /**
   * A submission never confirmed and never listed: whatever may still arrive under its tag is
   * cancelled by name first (it must not run behind the user's back once the job is called not
   * started), then the run ends as not started.
   */
  private async declareLost(): Promise<void> {
    if (this.phase === 'ended' || this.losing) return;
    this.losing = true;
    await this.shared.commands.run('scancel', ['--name', this.base.tag]);
    this.finish({ kind: 'failedToStart', reason: 'Slurm did not confirm the submission and the job never appeared (anything that arrives under its name is cancelled)', finishedAt: Date.now() });
  }

  /** The run's end as its exit file says (an array's: once every task's has). */
  private recordedEnd(): RunExit | undefined {
    return this.array ? this.array.look() : readExitFile(this.base.exitFile);
  }

  /** Ended in Slurm's eyes: the exit file says how; without one (killed first), the state does. */
  private judgeEnded(row: SqueueRow): void {
    const recorded = this.recordedEnd();
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
    const recorded = this.recordedEnd();
    if (recorded) return this.finish(recorded);
    this.unreachableSince = since;
    this.unreachableWhy = why;
    this.changed();
  }

  pause(): void {
    this.settlePause(true);
  }

  resume(): void {
    this.settlePause(false);
  }

  /** Once its id and its first squeue row are known (before that there is nothing to hold or stop; observe() calls this again). */
  private settlePause(want = this.wantPaused): void {
    this.wantPaused = want;
    if (this.slurmId && this.row) this.pauser.settle(this.slurmId, this.row.state, this.wantPaused);
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
      heldByUs: this.pauser.held,
      fromScript: this.fromScript,
      array: this.array?.describe(this.row?.array?.running ?? 0),
    });
  }

  /** `scontrol show job <id>`: Slurm's full account of this run (for "Show in Slurm"). */
  describe(): Promise<string> {
    if (!this.slurmId) return Promise.reject(new Error(this.phase === 'submitting' || this.phase === 'held' ? 'it is not submitted to Slurm yet' : 'its Slurm job id is not known'));
    return showJob(this.shared.commands, this.slurmId);
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
    // What it used, from Slurm's accounting, asked once now (an array's figures are per task: sacct -j <id>).
    if (this.slurmId && !this.array && (exit.kind === 'exited' || exit.kind === 'signalled')) {
      void this.shared.accounting.usageOf(this.slurmId).then((usage) => this.settle({ ...exit, usage }));
    } else this.settle(exit);
  }
}
