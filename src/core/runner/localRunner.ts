// Runs jobs as local processes. POSIX: each job runs under a tiny sh wrapper that leads its own
// process group and session (so it outlives the host: a window reload or an extension-host crash)
// and writes the command's exit code to a file, so a later host can learn how the job ended.
// Output goes straight from the job to its log file; the host never holds it in a pipe.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import * as z from 'zod/mini';
import type { RunHandle } from '../model';
import type { JobExecution, JobRunner, ReattachResult, RunExit, StartRequest } from './types';
import { clearJournal, readRecordedExit, type RecordedExit } from './exitJournal';
import { isGroupAlive, isSameLiveProcess, readProcessInfo, signalGroup } from './processIdentity';

// The wrapper leads the job's process group and appends `<key> <exit code>` to the exit journal
// ($4), so a later host can learn how the command ended. With the default /bin/sh the command runs
// inside the wrapper itself (eval, after dropping the wrapper's own arguments): no extra process
// per job. Any other shell runs as a child. A wrapper killed by a signal writes nothing: the host
// that sent it knows, and a host that did not calls that run interrupted.
const POSIX_WRAPPER = `jq_shell=$1 jq_command=$2 jq_key=$3 jq_journal=$4
shift 4
if [ "$jq_shell" = /bin/sh ]; then
  trap 'printf "%s %s\\n" "$jq_key" "$?" >> "$jq_journal"' EXIT
  eval "$jq_command"
else
  "$jq_shell" -c "$jq_command"
  jq_code=$?
  printf '%s %s\n' "$jq_key" "$jq_code" >> "$jq_journal"
  exit "$jq_code"
fi`;

const PosixHandleSchema = z.object({
  kind: z.literal('local-posix'),
  pid: z.int().check(z.positive()),
  startToken: z.string(),
  exitJournal: z.string(),
  exitKey: z.string(),
});
type PosixHandle = z.infer<typeof PosixHandleSchema>;

const ADOPTED_POLL_MS = 250;
const TERMINATE_POLL_MS = 25;
const KILL_WAIT_MS = 2000;
const JOURNAL_NAME = 'exit-codes';

/** sh reports death by signal N as 128+N; turn that back into the signal's name. */
export function signalFromShellCode(code: number): string | undefined {
  if (code <= 128 || code > 128 + 64) return undefined;
  const entry = Object.entries(osConstants.signals).find(([, n]) => n === code - 128);
  return entry?.[0];
}

export class LocalProcessRunner implements JobRunner {
  readonly canPauseJobs = process.platform !== 'win32';
  private readonly journals = new Set<string>();
  /** Log files opened ahead of time (creating a file is a good part of a job's start-up cost). */
  private readonly preparedLogs = new Map<string, number | 'opening'>();

  /** Creates the log of the run expected next, off the critical path; start() uses it if ready. */
  prepareLog(logPath: string): void {
    if (this.preparedLogs.has(logPath)) return;
    for (const [other, fd] of this.preparedLogs) {
      if (typeof fd === 'number') fs.close(fd, () => undefined);
      this.preparedLogs.delete(other);
    }
    this.preparedLogs.set(logPath, 'opening');
    fs.open(logPath, 'a', (error, fd) => {
      if (error) this.preparedLogs.delete(logPath);
      else if (this.preparedLogs.get(logPath) === 'opening') this.preparedLogs.set(logPath, fd);
      else fs.close(fd, () => undefined); // taken or dropped meanwhile
    });
  }

  private takeLog(logPath: string): number {
    const prepared = this.preparedLogs.get(logPath);
    this.preparedLogs.delete(logPath);
    return typeof prepared === 'number' ? prepared : fs.openSync(logPath, 'a');
  }

  forgetFinishedRuns(): void {
    for (const journal of this.journals) clearJournal(journal);
  }

  start(request: StartRequest): JobExecution {
    const out = this.takeLog(request.logPath);
    try {
      const env = { ...process.env, ...request.spec.env };
      const cwd = request.spec.cwd;
      if (process.platform === 'win32') {
        const child = spawn(request.spec.command, [], { cwd, env, shell: request.shell || true, stdio: ['ignore', out, out], windowsHide: true });
        return new WindowsExecution(child);
      }
      const exitJournal = path.join(path.dirname(request.logPath), JOURNAL_NAME);
      const exitKey = `${request.jobId}.${request.attempt}`;
      this.journals.add(exitJournal);
      const child = spawn('/bin/sh', ['-c', POSIX_WRAPPER, 'job-queue-run', request.shell, request.spec.command, exitKey, exitJournal], {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', out, out],
      });
      child.unref();
      const pid = child.pid;
      const info = pid === undefined ? undefined : readProcessInfo(pid);
      const handle: PosixHandle = { kind: 'local-posix', pid: pid ?? 0, startToken: info?.startToken ?? '', exitJournal, exitKey };
      return new PosixExecution(handle, child);
    } finally {
      fs.closeSync(out);
    }
  }

  reattach(raw: RunHandle): ReattachResult {
    const parsed = PosixHandleSchema.safeParse(raw);
    if (!parsed.success || process.platform === 'win32') {
      return { kind: 'unknown', reason: 'this run cannot be found again on this platform' };
    }
    const handle = parsed.data;
    this.journals.add(handle.exitJournal);
    const recorded = readRecordedExit(handle.exitJournal, handle.exitKey);
    if (recorded) return { kind: 'finished', exit: withSignal(recorded) };
    if (handle.startToken && isSameLiveProcess(handle.pid, handle.startToken)) {
      return { kind: 'running', execution: new PosixExecution(handle, undefined) };
    }
    const late = readRecordedExit(handle.exitJournal, handle.exitKey);
    if (late) return { kind: 'finished', exit: withSignal(late) };
    return { kind: 'unknown', reason: 'its process is gone and left no exit status' };
  }
}

function withSignal(recorded: RecordedExit): RunExit {
  const signal = signalFromShellCode(recorded.exitCode);
  return { exitCode: recorded.exitCode, finishedAt: recorded.finishedAt, ...(signal ? { signal } : {}) };
}

class PosixExecution implements JobExecution {
  readonly exited: Promise<RunExit>;
  private settle!: (exit: RunExit) => void;
  private done = false;
  private poll: NodeJS.Timeout | undefined;
  private wrapperGone = false;

  constructor(readonly handle: PosixHandle, private readonly child: ChildProcess | undefined) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
    if (child) {
      child.once('error', (error) => this.finish({ error: `Could not start: ${error.message}`, finishedAt: Date.now() }));
      child.once('exit', (code, signal) => {
        this.wrapperGone = true;
        if (signal) this.finish({ signal, finishedAt: Date.now() });
        else this.finish(withSignal({ exitCode: code ?? 0, finishedAt: Date.now() }));
      });
    } else {
      this.watchAdopted(ADOPTED_POLL_MS);
    }
  }

  private get pgid(): number {
    return this.handle.pid;
  }

  /** Signals go to the group only while it is provably ours: the wrapper we started still lives. */
  private ownsGroup(): boolean {
    if (this.child) return !this.wrapperGone;
    return isSameLiveProcess(this.handle.pid, this.handle.startToken);
  }

  pause(): void {
    if (this.ownsGroup()) signalGroup(this.pgid, 'SIGSTOP');
  }

  resume(): void {
    if (this.ownsGroup()) signalGroup(this.pgid, 'SIGCONT');
  }

  async terminate(graceMs: number): Promise<void> {
    if (this.ownsGroup()) {
      // A stopped process would hold SIGTERM pending forever: wake it first.
      signalGroup(this.pgid, 'SIGCONT');
      signalGroup(this.pgid, 'SIGTERM');
    }
    if (!this.child) this.watchAdopted(TERMINATE_POLL_MS);
    // Wait for the whole group (grandchildren included) to go; SIGKILL what is left after the grace.
    const deadline = Date.now() + graceMs;
    while (isGroupAlive(this.pgid) || !this.done) {
      if (Date.now() >= deadline) {
        signalGroup(this.pgid, 'SIGKILL');
        // SIGKILL cannot be refused, but dying takes a moment: wait for it (bounded, since a
        // zombie nobody reaps still counts as a group member).
        const killDeadline = Date.now() + KILL_WAIT_MS;
        while (isGroupAlive(this.pgid) && Date.now() < killDeadline) await delay(TERMINATE_POLL_MS);
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

  private watchAdopted(intervalMs: number): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = setInterval(() => {
      const recorded = readRecordedExit(this.handle.exitJournal, this.handle.exitKey);
      if (recorded) return this.finish(withSignal(recorded));
      if (!isSameLiveProcess(this.handle.pid, this.handle.startToken)) {
        const late = readRecordedExit(this.handle.exitJournal, this.handle.exitKey);
        this.finish(late ? withSignal(late) : { error: 'The job ended without recording an exit status', finishedAt: Date.now() });
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

/** Windows: no process groups or SIGSTOP; the tree is ended with taskkill, and runs are not adopted. */
class WindowsExecution implements JobExecution {
  readonly exited: Promise<RunExit>;
  readonly handle: RunHandle;

  constructor(private readonly child: ChildProcess) {
    this.handle = { kind: 'local-win', pid: child.pid ?? 0 };
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => resolve({ error: `Could not start: ${error.message}`, finishedAt: Date.now() }));
      child.once('exit', (code, signal) => resolve({ ...(code !== null ? { exitCode: code } : {}), ...(signal ? { signal } : {}), finishedAt: Date.now() }));
    });
  }

  pause(): void {
    throw new Error('Pausing a job is not supported on Windows');
  }

  resume(): void {
    throw new Error('Resuming a job is not supported on Windows');
  }

  async terminate(graceMs: number): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined) {
      await new Promise<void>((resolve) => execFile('taskkill', ['/pid', String(pid), '/T', '/F'], () => resolve()));
    }
    await Promise.race([this.exited, delay(graceMs)]);
  }

  detach(): void {
    this.child.removeAllListeners();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
