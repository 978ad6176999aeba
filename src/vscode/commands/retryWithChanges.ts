import * as vscode from 'vscode';
import { assertCan } from '../../core/lifecycle';
import { jobName } from '../tree/jobPresentation';
import { performRowAction } from './rowActions';
import { jobCommand, type CommandContext } from './shared';
import { sbatchFlagsInput, whereItems } from './addJob';
import { DEFAULT_LANE, type Job, type RunOn, type ScheduleInput } from '../../core';
import { askStartTime, candidateItem, conditionItems, dependencyCandidates, laneItems, whenItems } from './waitChoices';
import { formatSbatchFlags, parseSbatchFlags } from '../../core/runner/slurm/sbatchFlags';

/**
 * With Slurm enabled (or a Slurm job retried): where the retry runs and its sbatch options, starting
 * from the run's own. undefined: as it was; 'escape': the user gave up.
 */
async function askWhere(ctx: CommandContext, current: RunOn | undefined): Promise<RunOn | undefined | 'escape'> {
  const slurm = ctx.slurmSettings();
  if (!slurm.enabled && current?.kind !== 'slurm') return undefined;
  const defaults = formatSbatchFlags(slurm.defaults);
  const items = whereItems(defaults);
  const picked = await vscode.window.showQuickPick(items.map((item) => ({ ...item, picked: item.where === (current?.kind ?? 'local') })), {
    title: 'Retry with changes: run where?',
    ignoreFocusOut: true,
  });
  if (!picked) return 'escape';
  if (picked.where === 'local') return { kind: 'local' };
  const input = sbatchFlagsInput(defaults);
  const flags = await vscode.window.showInputBox({
    title: 'Retry with changes: sbatch options',
    prompt: input.prompt,
    placeHolder: input.placeholder,
    value: formatSbatchFlags(current?.kind === 'slurm' ? current.options : undefined),
    ignoreFocusOut: true,
    validateInput: input.validate,
  });
  if (flags === undefined) return 'escape';
  const parsed = parseSbatchFlags(flags);
  if (!parsed.ok) return 'escape';
  return { kind: 'slurm', ...(Object.keys(parsed.options).length > 0 ? { options: parsed.options } : {}) };
}

/**
 * The retry's lane (with more than one lane; its run's lane first) and how it waits — the same
 * choices as Add Job's. undefined: the user gave up.
 */
async function askWait(ctx: CommandContext, job: Job): Promise<ScheduleInput | undefined> {
  const title = `Retry ${jobName(job)} with changes`;
  const lanes = ctx.service.getLanes();
  let lane: string | undefined;
  if (lanes.length > 1) {
    const current = job.lane ?? DEFAULT_LANE;
    const items = laneItems(lanes).sort((a, b) => Number(b.value === current) - Number(a.value === current));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Run the retry in which lane?', ignoreFocusOut: true });
    if (!picked) return undefined;
    lane = picked.value;
  }
  const candidates = dependencyCandidates(ctx.service);
  const when = await vscode.window.showQuickPick(whenItems(candidates.length > 0), { title, placeHolder: 'When should it run?', ignoreFocusOut: true });
  if (!when) return undefined;
  const schedule: ScheduleInput = lane !== undefined ? { lane } : {};
  if (when.value === 'hold') return { ...schedule, hold: true };
  if (when.value === 'at') {
    const time = await askStartTime(`${title}: not before…`, undefined);
    return time ? { ...schedule, ...(time.at !== undefined ? { notBefore: time.at } : {}) } : undefined;
  }
  if (when.value === 'after') {
    const picked = await vscode.window.showQuickPick(candidates.map((j) => candidateItem(j, new Set())), { title, placeHolder: 'Run it after which jobs?', canPickMany: true, matchOnDescription: true, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.length === 0) return schedule;
    const condition = await vscode.window.showQuickPick(conditionItems(), { title, placeHolder: 'After their success, or after any end?', ignoreFocusOut: true });
    return condition ? { ...schedule, after: { ids: picked.map((p) => p.value), condition: condition.value } } : undefined;
  }
  return schedule;
}

/** Retry with Changes…: edit the command line (and, with Slurm, where it runs; its lane and how it waits) before the new job is queued. */
export const retryWithChanges = jobCommand('jobQueue.retryWithChanges', {
  placeHolder: 'Retry which finished run with changes?',
  action: 'retry',
  async run(ctx, row) {
    if (!ctx.requireTrust()) return undefined;
    const { job } = row;
    // Refused before asking, when the row is not a finished run.
    assertCan('retry', row);
    const command = await vscode.window.showInputBox({
      title: `Retry ${jobName(job)} with changes`,
      prompt: `Edit the command line; the retry is a new job, linked to ${jobName(job)}${job.attempt > 1 ? ` (run ${job.attempt})` : ''}.`,
      value: job.spec.command,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a command line to run.'),
    });
    if (!command?.trim()) return undefined;
    const runOn = await askWhere(ctx, job.spec.runOn);
    if (runOn === 'escape') return undefined;
    const schedule = await askWait(ctx, job);
    if (!schedule) return undefined;
    return performRowAction(ctx.service, 'retry', row, { changes: { command: command.trim(), ...(runOn ? { runOn } : {}), ...schedule } });
  },
});
