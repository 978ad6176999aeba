// Runs jobs as local processes. POSIX: each job runs under a tiny sh wrapper (posixWrapper.ts) that
// leads its own process group and session (so it outlives the host: a window reload or an
// extension-host crash), runs the command as its child and records how it ended in the exit
// journal, so a later host can learn how the job ended. Output goes straight from the job to its
// log file; the host never holds it in a pipe.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { JobSpec, RunHandle } from '../model';
import type { JobExecution, JobRunner, LocateRequest, LocateResult, StartRequest } from './types';
import { clearJournal, readRecordedExit, readStartedMark, runRecordPlace } from './exitJournal';
import { jobEnvironment, jobVariable } from './jobEnvironment';
import { PosixExecution, PosixHandleSchema, withSignal, type PosixHandle } from './posixExecution';
import { wrapperArgs } from './posixWrapper';
import { isSameLiveProcess, readProcessInfo } from './processIdentity';
import { WindowsExecution } from './windowsExecution';
import { findWrapperProcess } from './wrapperSearch';
import { shellProblem } from './shellCheck';
import { workingFolderProblem } from './startChecks';

export { signalFromShellCode } from './posixExecution';

const NOT_HERE = 'this run cannot be found again on this platform';

/** The shell a command line runs in when the user chose none: the user's login shell, as a terminal would. */
export function defaultShell(): string {
  if (process.platform === 'win32') return process.env.ComSpec ?? 'cmd.exe';
  return process.env.SHELL || '/bin/sh';
}

export class LocalProcessRunner implements JobRunner {
  readonly backend = 'local';
  /** POSIX: the wrapper waits at its stdin gate. Windows: the command begins with its process. */
  readonly startsHeld = process.platform !== 'win32';
  readonly canPauseJobs = process.platform !== 'win32';

  /** The shell checked is the one that will run: the job's own or the chosen one, else the default ($SHELL). */
  checkCanStart(spec: JobSpec, shell: string): string | undefined {
    const origin = spec.shell !== undefined ? '(the job’s own shell, from its task)' : undefined;
    return shellProblem(shell || defaultShell(), jobVariable(process.env, spec.env, 'PATH'), origin) ?? workingFolderProblem(spec.cwd);
  }
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

  /** Synchronous on purpose: the handle exists when this returns, before any await a host could die in. */
  start(request: StartRequest): JobExecution {
    const out = this.takeLog(request.logPath);
    try {
      const env = jobEnvironment(process.env, request.spec.env);
      const cwd = request.spec.cwd;
      if (process.platform === 'win32') {
        const child = spawn(request.spec.command, [], { cwd, env, shell: request.shell || defaultShell(), stdio: ['ignore', out, out], windowsHide: true });
        return new WindowsExecution(child);
      }
      const { exitKey, exitJournal } = runRecordPlace(request);
      this.journals.add(exitJournal);
      const child = spawn('/bin/sh', wrapperArgs(request.shell || defaultShell(), request.spec.command, exitKey, exitJournal), {
        cwd,
        env,
        detached: true,
        // stdin is the gate (see posixWrapper): the wrapper replaces it with /dev/null once released.
        stdio: ['pipe', out, out],
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

  reattach(raw: RunHandle): LocateResult {
    const parsed = PosixHandleSchema.safeParse(raw);
    if (!parsed.success || process.platform === 'win32') return { kind: 'unknown', reason: NOT_HERE };
    const handle = parsed.data;
    this.journals.add(handle.exitJournal);
    const recorded = readRecordedExit(handle.exitJournal, handle.exitKey);
    if (recorded) return { kind: 'finished', exit: withSignal(recorded) };
    if (handle.startToken && isSameLiveProcess(handle.pid, handle.startToken)) {
      return { kind: 'running', execution: new PosixExecution(handle, undefined) };
    }
    const late = readRecordedExit(handle.exitJournal, handle.exitKey);
    if (late) return { kind: 'finished', exit: withSignal(late) };
    // Gone without even the `started` line: it ended at its gate (its host died before releasing it).
    if (!readStartedMark(handle.exitJournal, handle.exitKey)) return { kind: 'neverStarted' };
    return { kind: 'unknown', reason: 'its process is gone and left no exit status' };
  }

  /**
   * Looks for a run by what it was started with (never by running it): its exit in the journal,
   * else its live wrapper (found by argv), else its `started` line. Order matters: the exit is
   * read again after the process search, since the run may end while we look.
   */
  locate(request: LocateRequest): LocateResult {
    if (process.platform === 'win32') return { kind: 'unknown', reason: NOT_HERE };
    const { exitKey, exitJournal } = runRecordPlace(request);
    this.journals.add(exitJournal);
    const recorded = readRecordedExit(exitJournal, exitKey);
    if (recorded) return { kind: 'finished', exit: withSignal(recorded) };
    const found = findWrapperProcess(exitKey, exitJournal);
    if (found) {
      const handle: PosixHandle = { kind: 'local-posix', pid: found.pid, startToken: found.startToken, exitJournal, exitKey };
      return { kind: 'running', execution: new PosixExecution(handle, undefined) };
    }
    const late = readRecordedExit(exitJournal, exitKey);
    if (late) return { kind: 'finished', exit: withSignal(late) };
    if (readStartedMark(exitJournal, exitKey)) {
      return { kind: 'unknown', reason: 'its start was not confirmed and its process is gone without an exit status' };
    }
    return { kind: 'neverStarted' };
  }
}
