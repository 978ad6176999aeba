// `jobq status` (`list`): running, queued (with how each waits) and the last finished runs, one line each:
// `#12  running    label or command`;
// `--json`: the same as one versioned JSON object (statusJson.ts).
import { approvalSource } from '../core/engine/scheduling';
import { jobTitle, type Job } from '../core/model';
import type { Io } from './io';
import { statusJson } from './statusJson';
import { ownerStatus, readQueue, type OwnerStatus } from './queueFolder';

const FINISHED_SHOWN = 10;

export function list(io: Io, dir: string, json: boolean): number {
  const view = readQueue(dir);
  if (json) {
    io.out(`${JSON.stringify(statusJson(view, ownerStatus(dir)))}\n`);
    return 0;
  }
  const lines: string[] = [];
  const flags = [view.paused ? 'paused' : '', view.autoRun ? 'auto-run on' : 'auto-run off', ownerNote(ownerStatus(dir))].filter(Boolean);
  lines.push(`Queue: ${view.running.length} running, ${view.queued.length} queued (${flags.join(', ')})`);
  for (const job of view.running) lines.push(line(job, job.status));
  for (const job of view.queued) lines.push(line(job, 'queued', marks(job)));
  const finished = view.finished.slice(-FINISHED_SHOWN).reverse();
  if (finished.length > 0) lines.push(`Finished (last ${finished.length}, newest first):`);
  for (const job of finished) lines.push(line(job, job.status, job.exitCode !== undefined ? [`exit ${job.exitCode}`] : []));
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

function ownerNote(owner: OwnerStatus): string {
  if (owner.kind === 'none') return 'no VS Code window runs it now';
  if (owner.kind === 'openFailed') return `the VS Code window that runs it cannot open it: ${owner.reason}`;
  return '';
}

function line(job: Job, status: string, notes: readonly string[] = []): string {
  const title = jobTitle(job).replace(/\s+/g, ' ');
  return `#${job.id.padEnd(5)} ${status.padEnd(11)} ${notes.length ? `[${notes.join(', ')}] ` : ''}${title.length > 100 ? `${title.slice(0, 99)}…` : title}`;
}

/** How a queued job waits: held (for approval, and from where), what it waits for, its start time, lane, next. */
function marks(job: Job): string[] {
  const out: string[] = [];
  if (job.pending) out.push('next');
  if (job.hold?.by === 'approval') out.push(`held for approval (from ${approvalSource(job.hold.source)})`);
  else if (job.hold) out.push('held');
  if (job.after) out.push(`waits for ${job.after.ids.map((id) => `#${id}`).join(',')}${job.after.condition === 'any' ? ' to end' : ''}`);
  if (job.notBefore !== undefined && job.notBefore > Date.now()) out.push(`starts ${new Date(job.notBefore).toLocaleString()}`);
  if (job.lane) out.push(`lane ${job.lane}`);
  return out;
}
