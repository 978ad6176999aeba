// What every command shares: the context it runs in, how it finds the jobs it acts on (a tree node
// and the multi-selection, a job id from another extension or a test, or a quick pick from the
// palette), and how a refusal reaches the user (the engine's own message, as a warning; a change
// that could not be saved, as an error).
import * as vscode from 'vscode';
import { isJobError, jobTitle, type Job, type JobService } from '../../core';
import { notify } from '../notices';
import { refuse, showJobError } from '../refusals';
import { isJobNode, type JobsTree } from '../tree/jobsTree';

export { recentRefusals, refuse } from '../refusals';

export interface CommandContext {
  readonly service: JobService;
  readonly tree: JobsTree;
  readonly log: vscode.LogOutputChannel;
  showRunningJobCard(): void;
  /** Keeps an editor showing a job's log at its end while the job writes it. */
  followLog(editor: vscode.TextEditor): void;
  /** False (after telling the user why) when commands must not run here. */
  requireTrust(): boolean;
}

export interface CommandDefinition {
  readonly id: string;
  run(ctx: CommandContext, ...args: unknown[]): unknown;
}

export function registerCommands(ctx: CommandContext, definitions: readonly CommandDefinition[]): vscode.Disposable[] {
  return definitions.map((def) =>
    vscode.commands.registerCommand(def.id, async (...args: unknown[]) => {
      try {
        return await def.run(ctx, ...args);
      } catch (error) {
        if (isJobError(error)) {
          if (error.code === 'storageFailed') ctx.log.error(`${def.id}: ${error.message}`);
          else ctx.log.info(`${def.id} refused (${error.code}): ${error.message}`);
          showJobError(error);
          return undefined;
        }
        ctx.log.error(`${def.id} failed`, error);
        void notify('error', `Job Queue: ${(error as Error).message}`);
        return undefined;
      }
    }),
  );
}

interface JobPickOptions {
  applies: (job: Job, service: JobService) => boolean;
  placeHolder: string;
  /** Also offer finished runs from the history (retry, show log). */
  fromHistory?: boolean;
}

/**
 * The jobs a command acts on: the clicked node (with the rest of the selection when it is part of
 * it), an id, or — from the palette — a quick pick of the jobs the command applies to.
 */
export async function resolveJobs(ctx: CommandContext, args: unknown[], options: JobPickOptions): Promise<Job[]> {
  const [first, second] = args;
  if (isJobNode(first)) {
    const selection = Array.isArray(second) ? second.filter(isJobNode) : [];
    const nodes = selection.some((n) => n.job.id === first.job.id) ? selection : [first];
    // Multi-select: act on the selected jobs this command applies to; a single job always goes
    // through, so the engine can say why it refuses.
    return nodes.length > 1 ? nodes.map((n) => n.job).filter((j) => options.applies(j, ctx.service)) : [first.job];
  }
  const id = typeof first === 'string' ? first : typeof first === 'object' && first !== null && typeof (first as { id?: unknown }).id === 'string' ? (first as { id: string }).id : undefined;
  if (id !== undefined) {
    const job = ctx.service.getJob(id);
    if (!job) return refuse(`There is no job #${id}.`) ?? [];
    return [job];
  }
  const snapshot = ctx.service.getSnapshot();
  const candidates = [...snapshot.running, ...snapshot.queued, ...(options.fromHistory ? ctx.service.getHistoryPage(0, 200) : [])]
    .filter((job) => options.applies(job, ctx.service));
  if (candidates.length === 0) return refuse(`${options.placeHolder}: no job applies right now.`) ?? [];
  const picked = await vscode.window.showQuickPick(
    candidates.map((job) => ({
      label: `#${job.id} ${jobTitle(job)}`,
      description: job.status + (ctx.service.getQueuePosition(job.id) ? ` · position ${ctx.service.getQueuePosition(job.id)}` : ''),
      detail: job.spec.label ? job.spec.command : undefined,
      job,
    })),
    { placeHolder: options.placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked ? [picked.job] : [];
}

/** A command that acts on one or more jobs; returns the result for one job, a list for several. */
export function jobCommand<T>(id: string, options: JobPickOptions & { run: (ctx: CommandContext, job: Job) => T | Promise<T> }): CommandDefinition {
  return {
    id,
    async run(ctx, ...args) {
      const jobs = await resolveJobs(ctx, args, options);
      const results: T[] = [];
      for (const job of jobs) results.push(await options.run(ctx, job));
      return jobs.length === 1 ? results[0] : results;
    },
  };
}
