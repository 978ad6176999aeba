import * as vscode from 'vscode';
import { isFinished, jobTitle, type AfterInput, type DependencyCondition, type Job, type JobService } from '../../core';
import type { JobRow } from '../tree/capabilities';
import { jobName } from '../tree/jobPresentation';
import { PALETTE_HISTORY, assertWaitAction, performWaitAction } from './rowActions';
import { jobCommand, type CommandContext } from './shared';

/** The dependencies a caller (a test, another extension) passes: `{ ids, condition }`, or null to clear them. */
function givenAfter(value: unknown): AfterInput | 'none' {
  if (value === null) return null;
  if (typeof value === 'object' && value !== null && Array.isArray((value as { ids?: unknown }).ids)) return value as AfterInput;
  return 'none';
}

/** The jobs a queued job may wait for: running, queued (itself excluded), then recent finished ones (each job once). */
export function dependencyCandidates(service: JobService, self: Job): Job[] {
  const snapshot = service.getSnapshot();
  const seen = new Set<string>([self.id]);
  const out: Job[] = [];
  for (const job of [...snapshot.running, ...snapshot.queued, ...service.getHistoryPage(0, PALETTE_HISTORY)]) {
    if (seen.has(job.id)) continue;
    seen.add(job.id);
    out.push(job);
  }
  return out;
}

function candidateItem(job: Job, chosen: ReadonlySet<string>): vscode.QuickPickItem & { id: string } {
  const state = isFinished(job.status) ? `${job.status}${job.exitCode !== undefined && job.status === 'failed' ? ` (exit ${job.exitCode})` : ''}` : job.status;
  return { label: `${jobName(job)} — ${jobTitle(job)}`, description: state, detail: job.spec.label ? job.spec.command : undefined, picked: chosen.has(job.id), id: job.id };
}

async function pickAfter(ctx: CommandContext, job: Job): Promise<AfterInput | undefined> {
  const chosen = new Set(job.after?.ids ?? []);
  const candidates = dependencyCandidates(ctx.service, job);
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
  const conditions: Array<vscode.QuickPickItem & { condition: DependencyCondition }> = [
    { label: 'After success', description: 'each must complete', detail: 'If one fails, is cancelled or interrupted, this job leaves the queue as failed instead of running.', condition: 'success' },
    { label: 'After any end', description: 'completed, failed or cancelled', detail: 'It runs once each has ended, however it ended.', condition: 'any' },
  ];
  if (job.after?.condition === 'any') conditions.reverse();
  const condition = await vscode.window.showQuickPick(conditions, { title: `Run ${jobName(job)} after ${picked.map((p) => jobName(p.id)).join(', ')}`, placeHolder: 'When may it start?', ignoreFocusOut: true });
  if (!condition) return undefined;
  return { ids: picked.map((p) => p.id), condition: condition.condition };
}

/**
 * Run After…: a queued job waits for other jobs (queued, running or finished), after their success
 * or after any end. With arguments (`id`, `{ ids, condition }` or null) it asks nothing. The engine
 * refuses unknown jobs, the job itself and cycles, saying why.
 */
export const runAfter = jobCommand('jobQueue.runAfter', {
  placeHolder: 'Which queued job should wait for other jobs?',
  action: 'runAfter',
  async run(ctx, row: JobRow, args) {
    assertWaitAction('runAfter', row);
    // (id, { ids, condition }) from a caller; (node, selection) from the tree: then it asks.
    const given = args.length > 1 && !Array.isArray(args[1]) ? givenAfter(args[1]) : 'none';
    const after = given === 'none' ? await pickAfter(ctx, row.job) : given;
    if (after === undefined) return undefined;
    return performWaitAction(ctx.service, 'runAfter', row, { after });
  },
});
