// What every command shares: the context it runs in, how it finds the jobs it acts on (a tree node
// and the multi-selection, a job id from another extension or a test, or a quick pick from the
// palette), and how a refusal reaches the user (the engine's own message, as a warning).
import * as vscode from 'vscode';
import { isJobError, jobTitle, type Job, type JobService } from '../../core';
import { isJobNode, type JobsTree } from '../tree/jobsTree';

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

/** The last messages commands showed the user when they refused something (diagnostics, tests). */
export const recentRefusals: string[] = [];

function noteRefusal(message: string): void {
  recentRefusals.push(message);
  if (recentRefusals.length > 20) recentRefusals.shift();
  void vscode.window.showWarningMessage(message);
}

export function registerCommands(ctx: CommandContext, definitions: readonly CommandDefinition[]): vscode.Disposable[] {
  return definitions.map((def) =>
    vscode.commands.registerCommand(def.id, async (...args: unknown[]) => {
      try {
        return await def.run(ctx, ...args);
      } catch (error) {
        if (isJobError(error)) {
          ctx.log.info(`${def.id} refused: ${error.message}`);
          noteRefusal(error.message);
          return undefined;
        }
        ctx.log.error(`${def.id} failed`, error);
        void vscode.window.showErrorMessage(`Job Queue: ${(error as Error).message}`);
        return undefined;
      }
    }),
  );
}

/** Tells the user why nothing happened, and returns undefined. */
export function refuse(message: string): undefined {
  noteRefusal(message);
  return undefined;
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
