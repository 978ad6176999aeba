import * as vscode from 'vscode';
import type { AfterInput, Job } from '../../core';
import type { JobRow } from '../tree/capabilities';
import { jobName } from '../tree/jobPresentation';
import { assertWaitAction, performWaitAction } from './rowActions';
import { jobCommand, type CommandContext } from './shared';
import { candidateItem, conditionItems, dependencyCandidates } from './waitChoices';

/** The dependencies a caller (a test, another extension) passes: `{ ids, condition }`, or null to clear them. */
function givenAfter(value: unknown): AfterInput | 'none' {
  if (value === null) return null;
  if (typeof value === 'object' && value !== null && Array.isArray((value as { ids?: unknown }).ids)) return value as AfterInput;
  return 'none';
}

async function pickAfter(ctx: CommandContext, job: Job): Promise<AfterInput | undefined> {
  const chosen = new Set(job.after?.ids ?? []);
  const candidates = dependencyCandidates(ctx.service, job.id);
  if (candidates.length === 0 && chosen.size === 0) {
    void vscode.window.showInformationMessage(`There is no other job for ${jobName(job)} to wait for.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates.map((j) => candidateItem(j, chosen)), {
    title: `Run ${jobName(job)} after…`,
    placeHolder: chosen.size ? 'Pick the jobs it waits for (none: it waits for nothing)' : 'Pick the jobs it waits for',
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.length === 0) return chosen.size ? null : undefined;
  const condition = await vscode.window.showQuickPick(conditionItems(job.after?.condition), { title: `Run ${jobName(job)} after ${picked.map((p) => jobName(p.value)).join(', ')}`, placeHolder: 'When may it start?', ignoreFocusOut: true });
  if (!condition) return undefined;
  return { ids: picked.map((p) => p.value), condition: condition.value };
}

/**
 * Run After…: a queued job waits for other jobs (queued, running or finished), after their success
 * or after any end. With arguments (`id`, `{ ids, condition }` or null) it asks nothing. The engine
 * refuses unknown jobs, the job itself and cycles, saying why.
 */
export const runAfter = jobCommand('jobQueue.runAfter', {
  placeHolder: 'Which queued job should wait for other jobs?',
  action: 'runAfter',
  async run(ctx, row: JobRow, args, by) {
    assertWaitAction('runAfter', row);
    // (id, { ids, condition }) from a caller; (node, selection) from the tree: then it asks.
    const given = args.length > 1 && !Array.isArray(args[1]) ? givenAfter(args[1]) : 'none';
    const after = given === 'none' ? await pickAfter(ctx, row.job) : given;
    if (after === undefined) return undefined;
    return performWaitAction(ctx.service, 'runAfter', row, { by, after });
  },
});
