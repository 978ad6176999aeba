// `jobq add` and `jobq cancel`: a request file in the queue's inbox (durable before anything is
// said), then a short wait for the answer of the window that runs the queue. No window, or no answer
// in time: the request stays and is done when VS Code opens the folder — said plainly, exit 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobSpecSchema, ScheduleInputSchema, type JobSpec, type ScheduleInput } from '../core/model';
import { writeRequest, type RequestBody } from '../core/ownership/inbox';
import { takeReply, type InboxReply } from '../core/ownership/replies';
import { UsageError, type AddCommand } from './args';
import { findJob, ownerRuns, readQueue, readSnapshot } from './queueFolder';
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
const LATER = 'will be done when VS Code opens this folder';

type Outcome = { kind: 'answered'; reply: InboxReply } | { kind: 'saved'; why: string };

export async function add(io: Io, dir: string, command: AddCommand, waits: Waits): Promise<number> {
  const cwd = path.resolve(io.cwd, command.cwd ?? '.');
  if (!isDirectory(cwd)) throw new UsageError(`--cwd: there is no folder ${cwd}.`);
  if (command.after) {
    const view = readQueue(dir);
    const unknown = command.after.ids.filter((id) => !findJob(view, id));
    if (unknown.length > 0) throw new UsageError(`--after: there is no ${unknown.map((id) => `job #${id}`).join(', ')} in this queue.`);
  }
  const spec: JobSpec = JobSpecSchema.parse({
    command: command.command,
    cwd,
    ...(command.label ? { label: command.label } : {}),
    source: { kind: 'terminal', parentPid: io.parentPid },
  });
  const schedule: ScheduleInput = ScheduleInputSchema.parse({
    ...(command.after ? { after: command.after } : {}),
    ...(command.hold ? { hold: true } : {}),
    ...(command.lane ? { lane: command.lane } : {}),
  });
  const outcome = await send(dir, { kind: 'add', from: FROM, reply: true, spec, schedule }, waits);
  if (outcome.kind === 'saved') {
    io.out(`${outcome.why}: the job is saved and will be queued when VS Code opens this folder.\n`);
    return 0;
  }
  const { reply } = outcome;
  if (reply.error !== undefined || reply.jobId === undefined) return refused(io, reply);
  const held = reply.hold?.by === 'approval' ? ' (held for your approval in VS Code)' : reply.hold ? ' (held: release it in VS Code)' : '';
  io.out(`Job #${reply.jobId} queued${held}\n`);
  // A newcomer's job would just sit there: auto-run is off by default (the snapshot says; cheap).
  if (!readSnapshot(dir).autoRun) io.err(`jobq: auto-run is off in VS Code: the job waits for Send Job${reply.hold?.by === 'approval' ? ' once approved' : reply.hold ? ' once released' : ''} (or turn auto-run on).\n`);
  return 0;
}

export async function cancel(io: Io, dir: string, id: string, waits: Waits): Promise<number> {
  if (!findJob(readQueue(dir), id)) throw new UsageError(`There is no job #${id} in this queue.`);
  const outcome = await send(dir, { kind: 'cancel', from: FROM, reply: true, jobId: id }, { ...waits, replyMs: Math.max(waits.replyMs, CANCEL_REPLY_MS) });
  if (outcome.kind === 'saved') {
    io.out(`${outcome.why}: the cancel request is saved and ${LATER}.\n`);
    return 0;
  }
  if (outcome.reply.error !== undefined) return refused(io, outcome.reply);
  io.out(`Job #${id} cancelled\n`);
  return 0;
}

function refused(io: Io, reply: InboxReply): number {
  io.err(`jobq: refused by VS Code: ${reply.error ?? 'no job was made'}\n`);
  return 1;
}

/** Writes the request (durably: only then is anything said) and waits for its answer. */
async function send(dir: string, body: RequestBody, waits: Waits): Promise<Outcome> {
  const request = writeRequest(dir, body);
  const started = Date.now();
  let sawOwner = false;
  for (;;) {
    const reply = takeReply(dir, request.requestId);
    if (reply) return { kind: 'answered', reply };
    const elapsed = Date.now() - started;
    if (ownerRuns(dir)) sawOwner = true;
    else if (sawOwner || elapsed > waits.ownerMs) return { kind: 'saved', why: sawOwner ? 'The window that ran this queue closed' : 'No VS Code window runs this queue now' };
    if (elapsed > waits.replyMs) return { kind: 'saved', why: 'The window that runs this queue has not answered yet' };
    await new Promise((resolve) => setTimeout(resolve, waits.pollMs));
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
