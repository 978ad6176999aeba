// The choices of how a job waits, shared by every command that asks them — Set Start Time…, Run
// After…, Add Job and Retry with Changes: the jobs one may wait for and the condition, the lanes,
// and the start time box. One wording and one check everywhere.
import * as vscode from 'vscode';
import { isFinished, jobTitle, type DependencyCondition, type Job, type JobService, type LaneView } from '../../core';
import { jobName } from '../tree/jobPresentation';
import { laneUse } from '../tree/queueRows';
import { localDateTime } from '../tree/waitText';
import type { WhenChoice } from './addJobSteps';
import { PALETTE_HISTORY } from './rowActions';
import { START_TIME_HELP, parseStartTime, startTimeProblem } from '../../core/startTime';

/** The jobs a job may wait for: running, queued (itself excluded), then recent finished ones (each job once). */
export function dependencyCandidates(service: JobService, selfId?: string): Job[] {
  const snapshot = service.getSnapshot();
  const seen = new Set<string>(selfId !== undefined ? [selfId] : []);
  const out: Job[] = [];
  for (const job of [...snapshot.running, ...snapshot.queued, ...service.getHistoryPage(0, PALETTE_HISTORY)]) {
    if (seen.has(job.id)) continue;
    seen.add(job.id);
    out.push(job);
  }
  return out;
}

export type ValuedItem<T extends string = string> = vscode.QuickPickItem & { value: T };

export function candidateItem(job: Job, chosen: ReadonlySet<string>): ValuedItem {
  const state = isFinished(job.status) ? `${job.status}${job.exitCode !== undefined && job.status === 'failed' ? ` (exit ${job.exitCode})` : ''}` : job.status;
  return { label: `${jobName(job)} — ${jobTitle(job)}`, description: state, detail: job.spec.label ? job.spec.command : undefined, picked: chosen.has(job.id), value: job.id };
}

/** After success / after any end, `current` first. */
export function conditionItems(current: DependencyCondition = 'success'): Array<ValuedItem<DependencyCondition>> {
  const items: Array<ValuedItem<DependencyCondition>> = [
    { label: 'After success', description: 'each must complete', detail: 'If one fails, is cancelled or interrupted, this job leaves the queue as failed instead of running.', value: 'success' },
    { label: 'After any end', description: 'completed, failed or cancelled', detail: 'It runs once each has ended, however it ended.', value: 'any' },
  ];
  return current === 'any' ? items.reverse() : items;
}

/** "When should it run?" — Add Job's and Retry with Changes' choices (after other jobs only when there are some). */
export function whenItems(canWaitForJobs: boolean): Array<ValuedItem<WhenChoice>> {
  return [
    { label: '$(clock) Its turn', description: 'in queue order, when a slot is free', value: 'turn' as const },
    { label: '$(lock) Held', description: 'until you release it (Release Job)', value: 'hold' as const },
    ...(canWaitForJobs ? [{ label: '$(watch) After other jobs…', description: 'pick them, then after their success or any end', value: 'after' as const }] : []),
    { label: '$(calendar) At a time…', description: 'not before 02:00, 2026-11-24 02:00, +30m…', value: 'at' as const },
  ];
}

export function laneItems(lanes: readonly LaneView[]): ValuedItem[] {
  return lanes.map((lane) => ({ label: lane.name, description: laneUse(lane), value: lane.name }));
}

/** The start time box's wording (its prompt and placeholder), for the commands' boxes and Add Job's step. */
export const START_TIME_PROMPT = `Not started before this time (local). ${START_TIME_HELP}`;
export const START_TIME_PLACEHOLDER = 'e.g. 02:00, 2026-11-24 02:00, +30m, +2h';

/**
 * Asks for a start time, checked as typed. `undefined`: the user gave up (Escape); `{ at }`: the
 * time (at undefined: none).
 */
export async function askStartTime(title: string, current: number | undefined): Promise<{ at: number | undefined } | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: START_TIME_PROMPT,
    placeHolder: START_TIME_PLACEHOLDER,
    value: current !== undefined ? localDateTime(current) : '',
    ignoreFocusOut: true,
    validateInput: (value) => startTimeProblem(value),
  });
  if (text === undefined) return undefined;
  // Parsed again at Enter: `+30m` counts from now, not from when it was typed.
  const parsed = parseStartTime(text);
  return parsed.ok ? { at: parsed.at } : undefined;
}
