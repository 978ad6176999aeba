// Why a queued job has not started, in one sentence — the scheduling rules' reason (held, waiting
// for Job #3, not before 02:00, the queue or its lane paused: describeWait) completed by what the
// rules leave to the flags: a job that is ready still waits for Send Job while auto-run is off, and
// nothing starts while no VS Code window runs the queue. `jobq wait` says it (the extension's
// "auto-run is off" notice, autoRunOffNotice.ts, tells the same fact in the window).
import { describeWait, type WaitReason } from './engine/scheduling';
import type { Job } from './model';

export interface QueueFlags {
  autoRun: boolean;
  /**
   * Who runs the queue now: a VS Code window (`running`), none (no live window holds its lock), or a
   * window that holds it but could not open it (`openFailed`: it keeps trying by itself).
   */
  owner: { kind: 'running' } | { kind: 'none' } | { kind: 'openFailed'; reason: string };
}

/** The sentence after "Job #n waits: ". */
export function queuedWaitText(job: Pick<Job, 'pending'>, reason: WaitReason, flags: QueueFlags): string {
  if (flags.owner.kind === 'none') return 'no VS Code window runs this queue now; it is kept until one opens this folder';
  if (flags.owner.kind === 'openFailed') return `the VS Code window that runs this queue cannot open it (${flags.owner.reason}); it keeps trying`;
  if (reason.kind !== 'ready') return describeWait(reason);
  if (job.pending) return 'it is next: it starts as soon as a slot frees';
  if (!flags.autoRun) return 'auto-run is off: it starts when you send it (Send Job in VS Code)';
  return 'its turn: it starts as soon as a slot frees';
}
