// How a queued job waits, in words (no vscode import: unit tests read it directly): held or held
// for approval and from where, what it waits for and the condition, its start time, its lane — for
// its row's description, its icon and its tooltip (jobPresentation.ts).
import type { Job, WaitReason } from '../../core';
import { approvalSource } from '../../core/engine/scheduling';
import { jobName } from './jobName';

export { approvalSource };

/** A start time: `02:00` today, else `2026-11-24 02:00` (local time). */
export function startTime(at: number, now = Date.now()): string {
  const d = new Date(at);
  const n = new Date(now);
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? localDateTime(at).slice(11) : localDateTime(at);
}

/** `2026-11-24 02:00` (local time): also how Set Start Time offers a job's start time for editing. */
export function localDateTime(at: number): string {
  const d = new Date(at);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function slotCount(slots: number): string {
  return `${slots} slot${slots === 1 ? '' : 's'}`;
}

function jobList(ids: readonly string[]): string {
  return ids.length > 3 ? `${ids.slice(0, 3).map(jobName).join(', ')} and ${ids.length - 3} more` : ids.map(jobName).join(', ');
}

/**
 * How a queued job waits, in a few words for its row: held, what it waits for and the condition,
 * its start time, its lane. `wait` (JobService.getWaitReason) names the jobs it still waits for;
 * without it, every job it names. Empty for a job that is not queued or simply waits its turn.
 */
export function waitParts(job: Job, wait?: WaitReason, now = Date.now()): string[] {
  if (job.status !== 'queued') return job.lane && job.lane !== 'default' ? [`lane ${job.lane}`] : [];
  const parts: string[] = [];
  if (job.hold) parts.push(job.hold.by === 'approval' ? `held for approval — from ${approvalSource(job.hold.source)}` : 'held');
  if (wait?.kind === 'dependencyFailed') parts.push(wait.message);
  else if (job.after && (!wait || wait.kind === 'waiting' || job.hold)) {
    const ids = wait?.kind === 'waiting' ? wait.on : job.after.ids;
    parts.push(`waits for ${jobList(ids)} to ${job.after.condition === 'success' ? 'complete' : 'end'}`);
  }
  if (job.notBefore !== undefined && job.notBefore > now) parts.push(`starts at ${startTime(job.notBefore, now)}`);
  if (job.lane && job.lane !== 'default') parts.push(`lane ${job.lane}`);
  if (wait?.kind === 'lanePaused') parts.push('its lane is paused');
  else if (wait?.kind === 'laneFull') parts.push(`its lane is full (${slotCount(wait.slots)} busy)`);
  else if (wait?.kind === 'noLane') parts.push('its lane is not configured');
  else if (wait?.kind === 'clusterFull') parts.push(`${wait.slots} jobs already on Slurm`);
  return parts;
}

/** A queue row's description: next / how it waits, its identity, its lineage, its command when it has a label. */
export function queuedDescription(job: Job, wait?: WaitReason, now = Date.now()): string {
  return [
    job.pending ? 'next: waits for a free slot' : '',
    ...waitParts(job, wait, now),
    jobName(job),
    job.spec.runOn?.kind === 'slurm' ? 'on Slurm' : '',
    job.retryOf ? `retry of ${jobName(job.retryOf)}` : '',
    job.spec.label ? job.spec.command : '',
  ].filter(Boolean).join(' · ');
}

/**
 * The codicon of a queued job: held (a lock, as on Hold Job; a shield when it waits for approval),
 * waiting for jobs, a start time ahead, next, or its turn. One icon means one thing (menus.agreement.test.ts).
 */
export function queuedIconId(job: Job, now = Date.now(), wait?: WaitReason): string {
  if (job.hold) return job.hold.by === 'approval' ? 'shield' : 'lock';
  if (job.pending) return 'debug-step-over';
  // With the engine's reason, only while it still waits (its dependencies met: no watch).
  if (job.after && (!wait || wait.kind === 'waiting' || wait.kind === 'dependencyFailed')) return 'watch';
  if (job.notBefore !== undefined && job.notBefore > now) return 'calendar';
  return 'clock';
}

/** Lines of a queued job's tooltip that explain how it waits and what to do about it (plain text). */
export function waitExplanation(job: Job, wait?: WaitReason, now = Date.now()): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (job.status === 'queued') {
    if (job.hold?.by === 'approval') rows.push(['Held for approval', `added by ${approvalSource(job.hold.source)}, not by you. It runs only once you release it: check its command first (Release Job, or Send Job to run it now).`]);
    else if (job.hold) rows.push(['Held', 'dispatch skips it until you release it (Release Job, or Send Job to run it now).']);
    if (job.after) {
      const still = wait?.kind === 'waiting' ? ` (still waiting for ${jobList(wait.on)})` : '';
      rows.push(['Runs after', `${jobList(job.after.ids)} ${job.after.condition === 'success' ? 'complete — if one fails, is cancelled or interrupted, this job leaves the queue as failed' : 'end, however they end'}${still}`]);
    }
    if (wait?.kind === 'dependencyFailed') rows.push(['Cannot run', wait.message]);
    if (job.notBefore !== undefined && job.notBefore > now) rows.push(['Not before', `${new Date(job.notBefore).toLocaleString()} (Send Job runs it now)`]);
  } else if (job.after) {
    rows.push(['Ran after', `${jobList(job.after.ids)} (${job.after.condition === 'success' ? 'after success' : 'after any end'})`]);
  }
  if (job.lane && job.lane !== 'default') rows.push(['Lane', `${job.lane} (its own slots and pause, jobQueue.lanes)`]);
  if (job.status === 'queued' && wait?.kind === 'lanePaused') rows.push(['Lane paused', `nothing new starts in lane ${wait.lane} until it is resumed (Resume Lane); the other lanes go on.`]);
  if (job.status === 'queued' && wait?.kind === 'laneFull') rows.push(['Lane full', `all ${slotCount(wait.slots)} of lane ${wait.lane} are busy: it starts when one frees.`]);
  return rows;
}

