// The owner's changes to how queued jobs wait: dependencies, holds, start times, lanes' pause, and
// Send Job (which releases a held job it is asked for). Each change is recorded in the history log
// (or, when it lives only in the snapshot, synced) before it takes effect, and announced; then
// dispatch looks again. JobService checks who may act; the rules are in scheduling.ts.
import type * as z from 'zod/mini';
import { JobError } from '../errors';
import {
  AfterInputSchema, AfterSchema, DEFAULT_LANE, ScheduleInputSchema,
  type After, type Hold, type Job, type JobSpec, type ScheduleInput,
} from '../model';
import type { Dispatcher } from './dispatcher';
import type { QueueState } from './queueState';
import { dependencyProblem, describeWait, whyWaits } from './scheduling';

export type SendResult =
  | { outcome: 'started'; job: Job }
  | { outcome: 'pending'; job: Job }
  | {
    outcome: 'refused';
    /** `held`: all dispatch is held (an untrusted workspace); `notReady`: no queued job can start now; `waiting`: the job waits for others. */
    reason: 'paused' | 'empty' | 'alreadyPending' | 'held' | 'notReady' | 'waiting' | 'lanePaused';
    message: string;
  };


/** The scheduling fields of a new job. */
export type Schedule = Pick<Job, 'after' | 'hold' | 'notBefore' | 'lane'>;

export class ScheduleEdits {
  constructor(private readonly state: QueueState, private readonly dispatcher: Dispatcher) {}

  /**
   * Validates how a new job waits (throws invalidArgument saying why): its lane is configured, what
   * it waits for exists and can still satisfy it. A job from outside the editor (the API) lands held
   * for approval unless `externalJobs` is `run`.
   */
  prepare(spec: JobSpec, input: unknown, inherited: Schedule = {}): Schedule {
    const parsed = parse(ScheduleInputSchema, input ?? {}, 'Invalid scheduling options') as ScheduleInput;
    const lane = parsed.lane ?? inherited.lane ?? DEFAULT_LANE;
    if (!this.state.laneUses().has(lane)) throw new JobError('invalidArgument', noSuchLane(lane, this.state.laneUses().keys()));
    const after = parsed.after ? normalize(parsed.after) : undefined;
    if (after) {
      const problem = dependencyProblem(undefined, after, this.state.schedulingView().lookup);
      if (problem) throw new JobError('invalidArgument', problem);
    }
    const external = externalSource(spec);
    // The approval comes first; a hold the sender asked for stays on top of it (released after approval).
    const hold: Hold | undefined = external !== undefined && this.state.options.externalJobs === 'holdForApproval'
      ? { by: 'approval', source: external, ...(parsed.hold ? { user: true as const } : {}) }
      : parsed.hold ? { by: 'user' } : undefined;
    return {
      ...(after ? { after } : {}),
      ...(hold ? { hold } : {}),
      ...(parsed.notBefore !== undefined && parsed.notBefore > Date.now() ? { notBefore: parsed.notBefore } : {}),
      ...(lane !== DEFAULT_LANE ? { lane } : {}),
    };
  }

  hold(job: Job): Job {
    if (job.hold) throw new JobError('invalidState', `Job #${job.id} is already held.`, job.id);
    const { pending: _pending, ...rest } = job;
    return this.change(job, { ...rest, hold: { by: 'user' } }, 'held');
  }

  /** An approval that carries the sender's own hold leaves the job held by the user; any other hold is lifted. */
  /**
   * Releases a held job. `by`: who asks — a job held for approval is released only by the user
   * (the UI); another extension or tool asking (`external`) is refused, whatever path it takes.
   */
  release(job: Job, by: 'user' | 'external' = 'user'): Job {
    if (!job.hold) throw new JobError('invalidState', `Job #${job.id} is not held.`, job.id);
    assertMayApprove(job, by);
    const { hold, ...rest } = job;
    return this.change(job, hold.by === 'approval' && hold.user ? { ...rest, hold: { by: 'user' } } : rest, 'released');
  }

  setDependencies(job: Job, input: unknown): Job {
    const parsed = parse(AfterInputSchema, input, 'Invalid dependencies');
    const after = parsed && parsed.ids.length > 0 ? normalize(parsed) : undefined;
    if (after) {
      const problem = dependencyProblem(job.id, after, this.state.schedulingView().lookup);
      if (problem) throw new JobError('invalidArgument', problem, job.id);
    }
    const { after: _after, ...rest } = job;
    return this.change(job, after ? { ...rest, after } : rest, 'dependenciesChanged');
  }

  /** `at` (epoch ms): not started before then; undefined: no start time. */
  setStartTime(job: Job, at: number | undefined): Job {
    if (at !== undefined && !Number.isFinite(at)) throw new JobError('invalidArgument', `A start time must be a finite number of epoch milliseconds, not ${String(at)}.`, job.id);
    const { notBefore: _notBefore, ...rest } = job;
    return this.change(job, at !== undefined && at > Date.now() ? { ...rest, notBefore: at } : rest, 'startTimeChanged');
  }

  /** A lane's own pause: nothing new starts in it; its running jobs keep running. */
  setLanePaused(name: string, paused: boolean): void {
    const s = this.state;
    if (typeof paused !== 'boolean') throw new JobError('invalidArgument', 'A lane is paused or not: pass true or false.');
    if (typeof name !== 'string' || !s.laneUses().has(name)) throw new JobError('invalidArgument', noSuchLane(String(name), s.laneUses().keys()));
    if ((s.lanes[name]?.paused ?? false) === paused) return;
    const before = s.lanes;
    s.lanes = { ...before, [name]: { paused } };
    s.saveNowOrUndo(() => (s.lanes = before));
    s.emitLanes();
    this.dispatcher.dispatch();
  }

  /**
   * Send Job. Without an id: the first queued job that can start (not held, not waiting, due, its
   * lane not paused). With one: that job — released if it is held, its start time dropped. It is
   * marked pending and dispatched: a free slot in its lane starts it now, else the first that frees.
   */
  /** `by`: who asks — sending a job held for approval approves it, which only the user may do. */
  send(id?: string, by: 'user' | 'external' = 'user'): SendResult {
    const s = this.state;
    if (s.dispatchHold !== undefined) return { outcome: 'refused', reason: 'held', message: s.dispatchHold };
    if (s.paused) return { outcome: 'refused', reason: 'paused', message: 'The queue is paused: resume it to send a job.' };
    if (s.queued.length === 0) return { outcome: 'refused', reason: 'empty', message: 'The queue is empty: there is no job to send.' };
    const view = s.schedulingView();
    let before: Job;
    if (id === undefined) {
      const waits = s.queued.filter((j) => !j.pending).map((job) => ({ job, why: whyWaits(job, view) }));
      const found = waits.find((w) => w.why.kind === 'ready' || w.why.kind === 'laneFull');
      if (!found) {
        if (waits.length === 0) return { outcome: 'refused', reason: 'alreadyPending', message: 'Every queued job is already waiting for a free slot.' };
        const some = waits.slice(0, 3).map((w) => `Job #${w.job.id} ${describeWait(w.why)}`).join('; ');
        return { outcome: 'refused', reason: 'notReady', message: `No queued job can start now: ${some}${waits.length > 3 ? '; …' : ''}.` };
      }
      before = found.job;
    } else {
      before = s.queued.find((j) => j.id === id)!;
      assertMayApprove(before, by);
      const why = whyWaits(before, view);
      if (why.kind === 'waiting' || why.kind === 'dependencyFailed') {
        return { outcome: 'refused', reason: 'waiting', message: `Job #${before.id} ${describeWait(why)}: it can start only after ${before.after?.condition === 'any' ? 'they end' : 'they complete'}.` };
      }
      if (why.kind === 'lanePaused' || why.kind === 'noLane') return { outcome: 'refused', reason: 'lanePaused', message: `Job #${before.id} cannot be sent: ${describeWait(why)}.` };
      if (before.pending) return { outcome: 'refused', reason: 'alreadyPending', message: `Job #${before.id} already starts as soon as a slot frees.` };
      if (before.hold || before.notBefore !== undefined) {
        const { hold: _hold, notBefore: _notBefore, ...rest } = before;
        // Recorded before it takes effect: the job is released (and due) even if the send's own save fails.
        before = this.change(before, rest, before.hold ? 'released' : 'startTimeChanged', false);
      }
    }
    const job: Job = { ...before, pending: true };
    s.replaceQueued(before, job);
    this.dispatcher.dispatch();
    const run = s.running.get(job.id);
    if (run) return { outcome: 'started', job: run.job };
    s.saveNowOrUndo(() => s.replaceQueued(job, before));
    s.emit({ type: 'jobChanged', job });
    return { outcome: 'pending', job };
  }

  /** Records the queued job's new record, puts it in its place, announces it, and dispatches. */
  private change(before: Job, after: Job, type: 'held' | 'released' | 'dependenciesChanged' | 'startTimeChanged', dispatch = true): Job {
    const s = this.state;
    s.files.record(type, after); // throws storageFailed: nothing changed
    s.replaceQueued(before, after);
    s.saveSnapshot();
    s.emit({ type: 'jobChanged', job: after });
    if (dispatch) this.dispatcher.dispatch();
    return s.queued.find((j) => j.id === after.id) ?? s.running.get(after.id)?.job ?? after;
  }
}

function normalize(input: { ids: readonly string[]; condition?: After['condition'] | undefined }): After {
  return AfterSchema.parse({ ids: [...new Set(input.ids.map((id) => id.trim().replace(/^#/, '')))], condition: input.condition ?? 'success' });
}

/** A job held for approval is released (or sent) only by the user: an extension, a command argument or a tool asking is refused. */
function assertMayApprove(job: Job, by: 'user' | 'external'): void {
  if (by === 'external' && job.hold?.by === 'approval') {
    throw new JobError('invalidState', `Job #${job.id} waits for the user's approval: only the user can release it, from the Jobs view or the approval notification (setting jobQueue.externalJobs).`, job.id);
  }
}

/** Who a job from outside the editor comes from (its approval's source), or undefined for the user's own. */
function externalSource(spec: JobSpec): string | undefined {
  if (spec.source?.kind === 'api') return spec.source.extensionId ?? 'api';
  if (spec.source?.kind === 'terminal') return 'terminal';
  return undefined;
}

function noSuchLane(name: string, lanes: Iterable<string>): string {
  return `There is no lane “${name.slice(0, 64)}”: lanes are set in the setting jobQueue.lanes (now: ${[...lanes].join(', ')}).`;
}

function parse<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.infer<T>;
  throw new JobError('invalidArgument', `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
}
