// The running-job card's model, without the DOM: what the host said (state, progress, output), the
// requests in flight, and the refusals to show. Pure and synchronous, so it is unit-tested in plain
// Node; view.ts renders it with lit and main.ts feeds it messages and clock ticks.
import { formatClock } from '../src/shared/format';
import type { CardJob, CardJobAction, CardLine, CardResult, CardState, HostMessage } from '../src/shared/runningJobProtocol';
import { plainText } from '../src/shared/terminalLine';

/** How long a refusal stays on the card unless a later action on the same job succeeds. */
export const NOTICE_MS = 8000;
/** The target of requests and notices that belong to no job: the empty state's Send Job. */
export const PAGE = 'page';

export type CardRequestAction = CardJobAction | 'sendNextJob' | 'dismissResult' | 'openLink';

/** One run on the card: a job id with its attempt (a job sent again is a new run, a new section). */
export function runKey(job: Pick<CardJob, 'id' | 'attempt'>): string {
  return `${job.id}:${job.attempt}`;
}

// ---- output lines ----------------------------------------------------------------------------------

/**
 * The lines shown for one run, each with a stable number: line `first + i` is `lines[i]`. The host
 * sends only the last lines (a window that slides as the job prints), so each new tail is aligned
 * with the previous one; a line that is still shown keeps its number, so its DOM node — and any
 * text selected in it — survives the update.
 */
export interface OutputWindow<L = CardLine> {
  readonly first: number;
  readonly lines: readonly L[];
}

/**
 * The window after `tail` arrived: the smallest slide `s` such that the old lines from `s` on are the
 * start of the new tail (the last old line may have grown: a line printed in pieces). No overlap at
 * all (more new lines than the tail holds) numbers every line anew.
 */
export function advanceOutput<L>(previous: OutputWindow<L> | undefined, tail: readonly L[], textOf: (line: L) => string): OutputWindow<L> {
  if (!previous) return { first: 0, lines: [...tail] };
  const old = previous.lines;
  for (let shift = 0; shift < old.length; shift++) {
    const overlap = old.length - shift;
    if (overlap > tail.length) continue;
    let matches = true;
    for (let i = 0; i < overlap && matches; i++) {
      const before = textOf(old[shift + i]!);
      const now = textOf(tail[i]!);
      matches = i === overlap - 1 ? now.startsWith(before) : now === before;
    }
    if (matches) return { first: previous.first + shift, lines: [...tail] };
  }
  return { first: previous.first + old.length, lines: [...tail] };
}

// ---- words ---------------------------------------------------------------------------------------

/** The card's output lines, aligned by what they say (their colours may change as a line is redrawn). */
export function advanceLines(previous: OutputWindow | undefined, output: readonly CardLine[]): OutputWindow {
  return advanceOutput(previous, output, plainText);
}

/** `Running (2 of 3 slots)`. */
export function slotsHeading(running: number, slots: number): string {
  return `Running (${running} of ${slots} slot${slots === 1 ? '' : 's'})`;
}

/** A job's identity, the same everywhere: `Job #7`, and what it is called (its label, else its command). */
export function jobIdentity(job: Pick<CardJob, 'id' | 'label' | 'command'>): { id: string; title: string } {
  return { id: `Job #${job.id}`, title: job.label ?? job.command };
}

/** `2 jobs queued · Queue paused · auto-run on` (the empty state). */
export function queueSummary(state: Pick<CardState, 'queuedCount' | 'queuePaused' | 'autoRun'>): string {
  const queued = state.queuedCount === 0 ? 'Queue is empty' : `${state.queuedCount} job${state.queuedCount === 1 ? '' : 's'} queued`;
  return queued + (state.queuePaused ? ' · Queue paused' : '') + (state.autoRun ? ' · auto-run on' : '');
}

/**
 * The words on each button. They stay the same while a request is in flight (the button is disabled
 * and aria-busy instead), so nothing next to it moves under the pointer.
 */
export const BUTTON_LABELS: Record<CardRequestAction, string> = {
  pauseJob: 'Pause',
  resumeJob: 'Resume',
  cancelJob: 'Cancel',
  cancelAndRequeue: 'Cancel + Return to Queue',
  showLog: 'Show Log',
  retryJob: 'Retry',
  sendNextJob: 'Send Job',
  dismissResult: 'Dismiss',
  openLink: 'Open',
};

/** How the last run ended, in words: `Failed`, and `exit code 2 · ran 00:01:05`. */
export function resultWords(result: Pick<CardResult, 'status' | 'exitCode' | 'signal' | 'durationMs'>): { status: string; detail: string } {
  const status = result.status.charAt(0).toUpperCase() + result.status.slice(1);
  const ended = result.signal !== undefined ? `ended by ${result.signal}` : result.exitCode !== undefined ? `exit code ${result.exitCode}` : 'no exit code';
  return { status, detail: `${ended} · ran ${formatClock(result.durationMs)}` };
}

// ---- the model -----------------------------------------------------------------------------------

interface PendingRequest {
  readonly target: string;
  readonly action: CardRequestAction;
}

interface Notice {
  readonly message: string;
  readonly until: number;
}

export class CardModel {
  state: CardState | undefined;
  /** Host clock − local clock, so elapsed time is right even when the browser runs elsewhere. */
  private skew = 0;
  /** When each job's ETA was last reported (host clock), to count it down locally. */
  private readonly etaAt = new Map<string, number>();
  private readonly output = new Map<string, OutputWindow>();
  private readonly pending = new Map<string, PendingRequest>();
  private readonly notices = new Map<string, Notice>();

  /** Applies one message from the host. `localNow` is this side's clock. */
  apply(message: HostMessage, localNow: number): void {
    switch (message.type) {
      case 'didChangeState': {
        const state = message.state;
        this.skew = state.now - localNow;
        this.state = state;
        const shown = new Set([...state.jobs, ...(state.result ? [state.result] : [])].map(runKey));
        for (const job of state.jobs) this.etaAt.set(job.id, state.now);
        for (const run of [...state.jobs, ...(state.result ? [state.result] : [])]) this.output.set(runKey(run), advanceLines(this.output.get(runKey(run)), run.output));
        for (const key of [...this.output.keys()]) if (!shown.has(key)) this.output.delete(key);
        for (const id of [...this.etaAt.keys()]) if (!state.jobs.some((j) => j.id === id)) this.etaAt.delete(id);
        // A refusal about a run that left the card stays readable on the page, naming the job.
        for (const [target, notice] of [...this.notices]) {
          if (target === PAGE || shown.has(target)) continue;
          this.notices.delete(target);
          this.notices.set(PAGE, { ...notice, message: `Job #${target.slice(0, target.lastIndexOf(':'))}: ${notice.message}` });
        }
        return;
      }
      case 'didUpdateProgress': {
        const job = this.state?.jobs.find((j) => j.id === message.jobId);
        if (!job) return;
        job.percent = message.percent;
        job.etaMs = message.etaMs;
        job.etaSource = message.etaSource;
        this.etaAt.set(job.id, message.now);
        return;
      }
      case 'didUpdateOutput': {
        const job = this.state?.jobs.find((j) => j.id === message.jobId);
        if (!job) return;
        job.output = message.output;
        this.output.set(runKey(job), advanceLines(this.output.get(runKey(job)), message.output));
        return;
      }
      case 'didAct': {
        const request = this.pending.get(message.requestId);
        if (!request) return;
        this.pending.delete(message.requestId);
        if (message.ok) {
          this.notices.delete(request.target);
          return;
        }
        const onCard = request.target === PAGE || this.isShown(request.target);
        if (onCard) this.notices.set(request.target, { message: message.message, until: localNow + NOTICE_MS });
        else this.notices.set(PAGE, { message: `Job #${request.target.slice(0, request.target.lastIndexOf(':'))}: ${message.message}`, until: localNow + NOTICE_MS });
        return;
      }
    }
  }

  /** Records a request sent to the host; its button is busy until the answer comes. */
  request(requestId: string, target: string, action: CardRequestAction): void {
    this.pending.set(requestId, { target, action });
  }

  isBusy(target: string, action: CardRequestAction): boolean {
    for (const request of this.pending.values()) if (request.target === target && request.action === action) return true;
    return false;
  }

  /** The refusal to show for `target` (a run key, or PAGE), until it expires. */
  notice(target: string, localNow: number): string | undefined {
    const notice = this.notices.get(target);
    if (!notice) return undefined;
    if (localNow >= notice.until) {
      this.notices.delete(target);
      return undefined;
    }
    return notice.message;
  }

  /** Whether the run with this key is on the card (running, or the kept result). */
  private isShown(key: string): boolean {
    const state = this.state;
    return !!state && (state.jobs.some((j) => runKey(j) === key) || (state.result !== undefined && runKey(state.result) === key));
  }

  outputOf(run: CardJob | CardResult): OutputWindow {
    return this.output.get(runKey(run)) ?? { first: 0, lines: run.output };
  }

  hostNow(localNow: number): number {
    return localNow + this.skew;
  }

  /** Run time so far, without time spent paused. */
  elapsed(job: CardJob, localNow: number): number {
    const end = job.status === 'paused' && job.pausedAt !== undefined ? job.pausedAt : this.hostNow(localNow);
    return Math.max(0, end - job.startedAt - job.pausedMs);
  }

  /** The ETA counted down since it was reported (standing still while paused). */
  eta(job: CardJob, localNow: number): number | undefined {
    if (job.etaMs === undefined) return undefined;
    if (job.status === 'paused') return job.etaMs;
    const now = this.hostNow(localNow);
    return Math.max(0, job.etaMs - (now - (this.etaAt.get(job.id) ?? now)));
  }
}
