// Pausing one Slurm run: a pending job is held (there is nothing to stop yet); a running one is
// suspended with scontrol when this user may (operators), else stopped with STOP/CONT to all its
// processes — which one is learned once per runner. Each request is queued behind the previous one
// and acts on what is wanted BY THEN, so a quick pause-then-resume is two steps in order (or none),
// never two commands racing, and a pause asked before the first squeue row waits for it.
import { slurmMessage } from './slurmCommands';
import type { SlurmShared } from './slurmShared';

export class SlurmPause {
  /** What the pause actions have done to the Slurm job. */
  private pausedAs: 'held' | 'stopped' | undefined;
  private work: Promise<void> = Promise.resolve();
  private wanted = false;
  private state = '';

  constructor(private readonly shared: SlurmShared, private readonly changed: () => void) {}

  /** We hold it (paused while it was pending). */
  get held(): boolean {
    return this.pausedAs === 'held';
  }

  /** Brings the job (its id and its current Slurm state) to the wanted state, after whatever is in flight. */
  settle(id: string, state: string, wantPaused: boolean): void {
    this.wanted = wantPaused;
    this.state = state;
    this.work = this.work.then(() => this.apply(id)).catch((error: unknown) => console.error('[job-queue] Slurm pause/resume failed', error));
  }

  private async apply(id: string): Promise<void> {
    if (this.wanted === (this.pausedAs !== undefined)) return;
    const { commands } = this.shared;
    if (this.wanted && this.state === 'PENDING') {
      if ((await commands.run('scontrol', ['hold', id])).ok) this.pausedAs = 'held';
    } else if (!this.wanted && this.pausedAs === 'held') {
      if ((await commands.run('scontrol', ['release', id])).ok) this.pausedAs = undefined;
    } else if (await this.signal(id, this.wanted)) {
      this.pausedAs = this.wanted ? 'stopped' : undefined;
    }
    this.shared.poller.burst();
    this.changed();
  }

  private async signal(id: string, stop: boolean): Promise<boolean> {
    const { commands } = this.shared;
    if (this.shared.pauseMethod?.method !== 'STOP/CONT signals') {
      const result = await commands.run('scontrol', [stop ? 'suspend' : 'resume', id]);
      if (result.ok) {
        this.shared.pauseMethod = { method: 'scontrol suspend', why: 'this user may suspend jobs' };
        return true;
      }
      if (!/denied|not authori[sz]ed|permission|operator|Invalid user/i.test(result.stderr + result.stdout)) return false;
      this.shared.pauseMethod = { method: 'STOP/CONT signals', why: `scontrol suspend needs an operator (${slurmMessage(result)})` };
    }
    return (await commands.run('scancel', [`--signal=${stop ? 'STOP' : 'CONT'}`, '--full', id])).ok;
  }
}
