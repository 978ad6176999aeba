// One run on POSIX, seen from the host: either our own child (just started) or a wrapper found
// again (adopted) after the host that started it went away. Signals go to the whole process group,
// and each one only after GroupOwnership has said the group is still ours.
import type { ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import * as z from 'zod/mini';
import type { JobExecution, RunExit } from './types';
import { readRecordedExit, type RecordedExit } from './exitJournal';
import { GroupOwnership } from './groupOwnership';
import { groupHasLiveMember, isGroupAlive, isSameLiveProcess, signalGroup } from './processIdentity';

export const PosixHandleSchema = z.object({
  kind: z.literal('local-posix'),
  pid: z.int().check(z.positive()),
  startToken: z.string(),
  exitJournal: z.string(),
  exitKey: z.string(),
});
export type PosixHandle = z.infer<typeof PosixHandleSchema>;

const ADOPTED_POLL_MS = 250;
const TERMINATE_POLL_MS = 25;
const KILL_WAIT_MS = 2000;
/** How often, at most, terminate() looks through the process table for live group members. */
const MEMBER_SCAN_MS = 200;

/** sh reports death by signal N as 128+N; turn that back into the signal's name. */
export function signalFromShellCode(code: number): string | undefined {
  if (code <= 128 || code > 128 + 64) return undefined;
  const entry = Object.entries(osConstants.signals).find(([, n]) => n === code - 128);
  return entry?.[0];
}

export function withSignal(recorded: RecordedExit): RunExit {
  const signal = signalFromShellCode(recorded.exitCode);
  if (signal) return { kind: 'signalled', signal, exitCode: recorded.exitCode, finishedAt: recorded.finishedAt };
  return { kind: 'exited', exitCode: recorded.exitCode, finishedAt: recorded.finishedAt };
}

export class PosixExecution implements JobExecution {
  readonly exited: Promise<RunExit>;
  private settle!: (exit: RunExit) => void;
  private done = false;
  private poll: NodeJS.Timeout | undefined;
  private wrapperGone = false;
  private readonly ownership: GroupOwnership;
  private lastScan = { at: 0, live: true };
  /** At its gate (our own child, not yet released or abandoned). */
  private held: boolean;
  private abandoned = false;
  /** Paused before it was released: stopped as soon as it is. */
  private pauseWhenReleased = false;

  /** `child`: the wrapper we just spawned; undefined for a run found again from its handle. */
  constructor(readonly handle: PosixHandle, private readonly child: ChildProcess | undefined) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
    this.held = child?.stdin != null;
    // A wrapper that ends before reading the gate makes writing to it fail (EPIPE): not an error.
    child?.stdin?.on('error', () => undefined);
    // Our own child cannot be reaped behind our back (Node reaps it and tells us at once), so
    // until its exit it is ours; a found-again wrapper is ours while its pid has our start token.
    this.ownership = new GroupOwnership(handle, child
      ? () => !this.wrapperGone
      : () => isSameLiveProcess(this.handle.pid, this.handle.startToken));
    if (child) {
      child.once('error', (error) => this.finish({ kind: 'failedToStart', reason: `Could not start: ${error.message}`, finishedAt: Date.now() }));
      child.once('exit', (code, signal) => {
        this.wrapperGone = true;
        this.ownership.wrapperEnded();
        if (this.abandoned) this.finish({ kind: 'unknown', reason: 'Stopped before its command began', finishedAt: Date.now() });
        else if (signal) this.finish({ kind: 'signalled', signal, finishedAt: Date.now() });
        else this.finish(withSignal({ exitCode: code ?? 0, finishedAt: Date.now() }));
      });
    } else {
      this.watchAdopted(ADOPTED_POLL_MS);
    }
  }

  private get pgid(): number {
    return this.handle.pid;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.child!.stdin!.end('go\n');
    // Paused while at its gate: it stops now (a stopped wrapper could not have read its gate).
    if (this.pauseWhenReleased) this.signal('SIGSTOP');
  }

  abandon(): boolean {
    if (!this.held) return false;
    this.held = false;
    this.abandoned = true;
    this.child!.stdin!.end();
    return true;
  }

  pause(): void {
    if (this.held) this.pauseWhenReleased = true;
    else this.signal('SIGSTOP');
  }

  resume(): void {
    if (this.held) this.pauseWhenReleased = false;
    else this.signal('SIGCONT');
  }

  async terminate(graceMs: number): Promise<void> {
    // Still at its gate: it ends at once, its command never begun.
    if (this.abandon()) return void (await this.exited);
    // A stopped process would hold SIGTERM pending forever: wake it first.
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    if (!this.child) this.watchAdopted(TERMINATE_POLL_MS);
    // Wait for the whole group (grandchildren included) to go; SIGKILL what is left after the
    // grace. A group that is no longer provably ours is not waited for: it is not ours to end.
    const deadline = Date.now() + graceMs;
    while (!this.done || this.ourGroupIsAlive()) {
      if (Date.now() >= deadline) {
        if (this.signal('SIGKILL')) {
          // SIGKILL cannot be refused, but dying takes a moment: wait for it (bounded).
          const killDeadline = Date.now() + KILL_WAIT_MS;
          while (this.ourGroupIsAlive() && Date.now() < killDeadline) await delay(TERMINATE_POLL_MS);
        }
        break;
      }
      await delay(TERMINATE_POLL_MS);
    }
    await this.exited;
  }

  detach(): void {
    this.done = true;
    if (this.poll) clearInterval(this.poll);
    this.child?.removeAllListeners();
  }

  /** Sends `signal` to the group if, right now, it is provably ours; says whether it did. */
  private signal(signal: NodeJS.Signals): boolean {
    return this.ownership.owns() && signalGroup(this.pgid, signal);
  }

  /**
   * Whether our group still has a live member. The cheap kernel test first; only when it says yes
   * (a member, or just a zombie nobody reaps) are members looked at, at most every MEMBER_SCAN_MS.
   * A look that finds only zombies is followed by a SIGKILL to the group: harmless to zombies, and
   * final for a member forked while the look was under way, which it could have missed.
   */
  private ourGroupIsAlive(): boolean {
    if (!this.ownership.owns() || !isGroupAlive(this.pgid)) return false;
    const now = Date.now();
    if (now - this.lastScan.at >= MEMBER_SCAN_MS) {
      this.lastScan = { at: now, live: groupHasLiveMember(this.pgid) };
      if (!this.lastScan.live) this.signal('SIGKILL');
    }
    return this.lastScan.live;
  }

  private watchAdopted(intervalMs: number): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = setInterval(() => {
      const recorded = readRecordedExit(this.handle.exitJournal, this.handle.exitKey);
      if (recorded) return this.finish(withSignal(recorded));
      if (!isSameLiveProcess(this.handle.pid, this.handle.startToken)) {
        const late = readRecordedExit(this.handle.exitJournal, this.handle.exitKey);
        this.finish(late ? withSignal(late) : { kind: 'unknown', reason: 'The job ended without recording an exit status', finishedAt: Date.now() });
      }
    }, intervalMs);
    this.poll.unref();
  }

  private finish(exit: RunExit): void {
    if (this.done) return;
    this.done = true;
    if (this.poll) clearInterval(this.poll);
    this.settle(exit);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
