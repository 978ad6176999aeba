// One poller per runner for all its runs: ONE `squeue` call per interval whatever their number (the
// cost a cluster's controller sees must not grow with our queue). Fast while a run is active, slower
// when all only wait (pending), none at all with nothing to watch, a short burst after a user action. A failed call (controller down or slow)
// never ends a run: every run is told "unreachable since …" and polling goes on.
import type { SlurmCommands } from './slurmCommands';
import { parseSqueue, squeueArgs, type SqueueRow } from './squeue';
import { TAG_PREFIX } from './slurmFiles';

export interface Snapshot {
  /** When the squeue call was made (a run submitted after this cannot be in it). */
  askedAt: number;
  rows: ReadonlyMap<string, SqueueRow>;
}

export interface PolledRun {
  readonly tag: string;
  /** Whether this run wants the fast interval (its processes run, or something is in flight). */
  wantsFastPolling(): boolean;
  observe(snapshot: Snapshot): void;
  unreachable(since: number, why: string): void;
}

export interface PollTiming {
  activeMs: number;
  idleMs: number;
  burstMs: number;
  /** How long a burst lasts after a user action. */
  burstForMs: number;
}

export class SlurmPoller {
  private readonly runs = new Set<PolledRun>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private polling = false;
  private burstUntil = 0;
  private unfocused = false;
  private failures = 0;
  private unreachableSince: number | undefined;
  private last: Snapshot | undefined;
  /** Slurm commands the last poll issued (the benchmark's "commands per poll"). */
  commandsLastPoll = 0;
  polls = 0;

  private issued = 0;
  /**
   * The commands layer as the runs use it too: every command counted, so what a poll costs (its
   * squeue and whatever the runs ask while judging their rows) is measured, not assumed.
   */
  readonly counted: SlurmCommands;

  constructor(commands: SlurmCommands, private readonly user: string, private readonly timing: PollTiming) {
    this.counted = {
      run: (program, args, env) => {
        this.issued++;
        return commands.run(program, args, env);
      },
      find: (program) => commands.find(program),
    };
  }

  watch(run: PolledRun): void {
    this.runs.add(run);
    this.schedule();
  }

  unwatch(run: PolledRun): void {
    this.runs.delete(run);
    if (this.runs.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** After a user action (pause, cancel): look often for a short while, so the change shows at once. */
  burst(): void {
    this.burstUntil = Date.now() + this.timing.burstForMs;
    this.schedule();
  }

  /**
   * One squeue before a folder opens, so reattach() can judge its runs without a command of its
   * own (the port's reattach is synchronous; no Slurm command ever is). Waits at most `waitMs`: a
   * controller that does not answer by then leaves the runs to be adopted and judged when it does.
   */
  async prefetch(waitMs: number): Promise<void> {
    const askedAt = Date.now();
    const answer = this.counted.run('squeue', squeueArgs(this.user)).then((result) => {
      if (result.ok) this.last = { askedAt, rows: parseSqueue(result.stdout, TAG_PREFIX) };
    });
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([answer, gaveUp]);
    clearTimeout(timer);
  }

  /** The last squeue answer if it was asked at most `maxAgeMs` ago (reattach judges by it). */
  recent(maxAgeMs: number): Snapshot | undefined {
    return this.last && Date.now() - this.last.askedAt <= maxAgeMs ? this.last : undefined;
  }

  /** Nobody looks (the window is in the background): every interval is three times longer, up to the cap. */
  setFocused(focused: boolean): void {
    this.unfocused = !focused;
    if (focused) this.schedule();
  }

  private interval(): number {
    const slower = (ms: number) => Math.min(this.timing.idleMs, this.unfocused ? ms * 3 : ms);
    if (this.unreachableSince !== undefined) return slower(Math.min(this.timing.idleMs, this.timing.activeMs * 2 ** Math.min(this.failures, 4)));
    if (Date.now() < this.burstUntil) return this.timing.burstMs;
    for (const run of this.runs) if (run.wantsFastPolling()) return slower(this.timing.activeMs);
    // Only waiting runs (pending in Slurm): slower, but a start still shows within a few seconds.
    return slower(this.timing.activeMs * 3);
  }

  private schedule(): void {
    if (this.polling || this.runs.size === 0) return;
    const due = Date.now() + this.interval();
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pollOnce();
    }, due - Date.now());
    // Never what keeps a host alive: a host that ends leaves its Slurm jobs to the next one.
    this.timer.unref();
  }

  /** One squeue for every run; each run then judges its own row. */
  private async pollOnce(): Promise<void> {
    if (this.polling || this.runs.size === 0) return;
    this.polling = true;
    const askedAt = Date.now();
    const before = this.issued;
    try {
      const result = await this.counted.run('squeue', squeueArgs(this.user));
      this.polls++;
      if (!result.ok) {
        this.failures++;
        this.unreachableSince ??= askedAt;
        const why = whyUnreachable(result.stderr, result.failure);
        for (const run of [...this.runs]) run.unreachable(this.unreachableSince, why);
      } else {
        this.failures = 0;
        this.unreachableSince = undefined;
        this.last = { askedAt, rows: parseSqueue(result.stdout, TAG_PREFIX) };
        for (const run of [...this.runs]) run.observe(this.last);
      }
      this.commandsLastPoll = this.issued - before;
    } catch (error) {
      // A run's bookkeeping threw: say so, keep polling the others.
      console.error('[job-queue] Slurm poll failed', error);
    } finally {
      this.polling = false;
      this.schedule();
    }
  }
}

function whyUnreachable(stderr: string, failure: 'missing' | 'timeout' | undefined): string {
  if (failure === 'timeout') return 'squeue did not answer in time';
  if (failure === 'missing') return 'squeue was not found';
  const line = stderr.split('\n').map((l) => l.replace(/^\s*squeue:\s*(error:\s*)?/i, '').trim()).filter(Boolean).at(-1);
  return line ?? 'squeue failed';
}
