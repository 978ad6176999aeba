// `jobq add` and every verb that changes the queue (cancel, retry, hold, release, send, pause,
// resume): a QueueRequest file in the queue's inbox (durable before anything is said), then a short
// wait for the answer of the window that runs the queue, printed in that window's words. No window, or no answer
// in time: the request stays and is done when VS Code opens the folder — said plainly, exit 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { terminalEnvironment } from '../core/environment';
import { environmentProblem } from '../core/environmentLimits';
import { JobSpecSchema, ScheduleInputSchema, type JobEnvironment, type JobSpec, type ScheduleInput } from '../core/model';
import { writeRequest } from '../core/ownership/inbox';
import type { QueueRequestBody } from '../core/ownership/queueRequest';
import { takeReply, type InboxReply } from '../core/ownership/replies';
import { UsageError, type AddCommand, type Command, type JobAction } from './args';
import { findJob, ownerStatus, readQueue, readSnapshot } from './queueFolder';
import type { Io } from './io';

/** How the command waits: for an answer, and for a window that has the folder open to claim it. */
export interface Waits {
  replyMs: number;
  /** A window open on a folder that held no queue yet claims it within a second of the first request. */
  ownerMs: number;
  pollMs: number;
}
export const DEFAULT_WAITS: Waits = { replyMs: 5000, ownerMs: 1500, pollMs: 50 };
/** A cancel of a running job is answered once its process has ended (SIGTERM, then SIGKILL after the grace period). */
const CANCEL_REPLY_MS = 20_000;

const FROM = 'the terminal';

/** Not answered in time: why, and when the saved request will be done. */
type Outcome = { kind: 'answered'; reply: InboxReply } | { kind: 'saved'; why: string; when: string; requestId: string };
const WHEN_OPENED = 'when VS Code opens this folder';

export async function add(io: Io, dir: string, command: AddCommand, waits: Waits): Promise<number> {
  const cwd = path.resolve(io.cwd, command.cwd ?? '.');
  if (!isDirectory(cwd)) throw new UsageError(`--cwd: there is no folder ${cwd}.`);
  if (command.after) {
    const view = readQueue(dir);
    const unknown = command.after.ids.filter((id) => !findJob(view, id));
    if (unknown.length > 0) throw new UsageError(`--after: there is no ${unknown.map((id) => `job #${id}`).join(', ')} in this queue.`);
  }
  const env = command.environment === 'terminal' ? recordedEnvironment(io.env) : undefined;
  const spec: JobSpec = JobSpecSchema.parse({
    command: command.command,
    cwd,
    ...(env ? { env } : {}),
    ...(command.label ? { label: command.label } : {}),
    ...(command.matchers ? { problemMatchers: command.matchers } : {}),
    source: { kind: 'terminal', parentPid: io.parentPid },
  });
  const schedule: ScheduleInput = ScheduleInputSchema.parse({
    ...(command.after ? { after: command.after } : {}),
    ...(command.hold ? { hold: true } : {}),
    ...(command.lane ? { lane: command.lane } : {}),
    ...(command.startAt !== undefined ? { notBefore: command.startAt } : {}),
  });
  const outcome = await send(dir, { kind: 'add', origin: 'terminal', from: FROM, reply: true, spec, schedule }, waits);
  if (outcome.kind === 'saved') {
    const explained = `${outcome.why}: the job is saved and will be queued ${outcome.when}.\njobq wait ${outcome.requestId} waits for it (and says if it cannot be queued).\n`;
    // -p: stdout is only an id a script can wait on; the words go to stderr.
    if (command.printId) io.err(explained);
    io.out(command.printId ? `${outcome.requestId}\n` : explained);
    return 0;
  }
  const { reply } = outcome;
  if (reply.error !== undefined || reply.jobId === undefined) return refused(io, reply);
  if (command.printId) io.out(`${reply.jobId}\n`);
  const held = reply.hold?.by === 'approval' ? ' (held for your approval in VS Code)' : reply.hold ? ' (held: release it in VS Code)' : '';
  if (!command.printId) io.out(`Job #${reply.jobId} queued${held}\n`);
  // A newcomer's job would just sit there: auto-run is off by default (the snapshot says; cheap).
  if (!readSnapshot(dir).autoRun) io.err(`jobq: auto-run is off in VS Code: the job waits for Send Job${reply.hold?.by === 'approval' ? ' once approved' : reply.hold ? ' once released' : ''} (or turn auto-run on).\n`);
  return 0;
}

/** A verb on one job: the owner's answer, in its words. */
export async function jobAction(io: Io, dir: string, action: JobAction, id: string, waits: Waits): Promise<number> {
  if (!findJob(readQueue(dir), id)) throw new UsageError(`There is no job #${id} in this queue.`);
  const patience = action === 'cancel' ? { ...waits, replyMs: Math.max(waits.replyMs, CANCEL_REPLY_MS) } : waits;
  const outcome = await send(dir, { kind: action, origin: 'terminal', from: FROM, reply: true, jobId: id }, patience);
  // A retry makes a job (the answer names it); every other verb is answered with what was done.
  return said(io, outcome, (reply) => (action === 'retry' ? `Job #${reply.jobId} queued (a retry of job #${id})` : reply.message));
}

/** Pause or resume the whole queue. */
export async function queueAction(io: Io, dir: string, action: Extract<Command, { kind: 'queueAction' }>['action'], waits: Waits): Promise<number> {
  return said(io, await send(dir, { kind: action, origin: 'terminal', from: FROM, reply: true }, waits), (reply) => reply.message);
}

function said(io: Io, outcome: Outcome, words: (reply: InboxReply) => string | undefined): number {
  if (outcome.kind === 'saved') {
    io.out(`${outcome.why}: the request is saved and will be done ${outcome.when}.\n`);
    return 0;
  }
  if (outcome.reply.error !== undefined) return refused(io, outcome.reply);
  io.out(`${words(outcome.reply) ?? 'Done.'}\n`);
  return 0;
}

function refused(io: Io, reply: InboxReply): number {
  io.err(`jobq: refused by VS Code: ${reply.error ?? 'no job was made'}\n`);
  return 1;
}

/** Writes the request (durably: only then is anything said) and waits for its answer. */
async function send(dir: string, body: QueueRequestBody, waits: Waits): Promise<Outcome> {
  const request = writeRequest(dir, body);
  const started = Date.now();
  let sawOwner = false;
  for (;;) {
    const reply = takeReply(dir, request.requestId);
    if (reply) return { kind: 'answered', reply };
    const elapsed = Date.now() - started;
    const owner = ownerStatus(dir);
    // Not absent, unhealthy: it holds the queue and retries its open; it takes the request once it can.
    if (owner.kind === 'openFailed') return { kind: 'saved', why: `The VS Code window that runs this queue cannot open it (${owner.reason.replace(/\.$/, '')})`, when: 'as soon as that window can open the queue (it tries again by itself; reload it once the cause is fixed)', requestId: request.requestId };
    if (owner.kind === 'running') sawOwner = true;
    else if (sawOwner || elapsed > waits.ownerMs) return { kind: 'saved', why: sawOwner ? 'The window that ran this queue closed' : 'No VS Code window runs this queue now', when: WHEN_OPENED, requestId: request.requestId };
    if (elapsed > waits.replyMs) return { kind: 'saved', why: 'The window that runs this queue has not answered yet', when: WHEN_OPENED, requestId: request.requestId };
    await new Promise((resolve) => setTimeout(resolve, waits.pollMs));
  }
}

/**
 * This terminal's environment as the job will get it, checked before anything is written: a
 * variable the queue could not replay exactly is refused, never stored changed.
 */
function recordedEnvironment(env: Io['env']): JobEnvironment {
  const vars = terminalEnvironment(env);
  const instead = 'unset it, or run the job with the window\'s environment: jobq add --no-env -- …';
  // Node decodes the environment as UTF-8 and puts U+FFFD where a byte was not: the original is gone.
  const garbled = Object.entries(vars).find(([name, value]) => name.includes('\uFFFD') || value.includes('\uFFFD'));
  if (garbled) throw new UsageError(`the variable ${garbled[0].slice(0, 60)} is not UTF-8 text, so it cannot be recorded exactly: ${instead}.`);
  const problem = environmentProblem(vars);
  if (problem) throw new UsageError(`this terminal's environment cannot be recorded: ${problem}. ${instead[0]!.toUpperCase()}${instead.slice(1)}.`);
  return { kind: 'captured', vars };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
