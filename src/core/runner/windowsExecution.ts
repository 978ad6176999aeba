// One run on Windows: no process groups or SIGSTOP; the tree is ended with taskkill, and runs are
// not found again by a later host.
import { execFile, type ChildProcess } from 'node:child_process';
import type { RunHandle } from '../model';
import type { JobExecution, RunExit } from './types';

export class WindowsExecution implements JobExecution {
  readonly exited: Promise<RunExit>;
  readonly handle: RunHandle;

  constructor(private readonly child: ChildProcess) {
    this.handle = { kind: 'local-win', pid: child.pid ?? 0 };
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => resolve({ kind: 'failedToStart', reason: `Could not start: ${error.message}`, finishedAt: Date.now() }));
      child.once('exit', (code, signal) => resolve(signal ? { kind: 'signalled', signal, finishedAt: Date.now() } : { kind: 'exited', exitCode: code ?? 0, finishedAt: Date.now() }));
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
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
  }

  /** No gate on Windows: the command starts with its process (and runs are not adopted there). */
  release(): void {}

  abandon(): boolean {
    return false;
  }

  detach(): void {
    this.child.removeAllListeners();
  }
}
