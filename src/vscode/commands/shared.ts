// What every command shares: the context it runs in, how it finds the jobs it acts on (a tree node
// and the multi-selection, a job id from another extension or a test, or a quick pick from the
// palette), and how a refusal reaches the user (the engine's own message, as a warning; a change
// that could not be saved, as an error).
import * as vscode from 'vscode';
import type { SlurmSettings } from '../settings';
import { jobTitle, type Job, type JobService } from '../../core';
import { refuse, reportError } from '../refusals';
import { rowAllows, rowKey, type JobRow, type RowAction } from '../tree/capabilities';
import { jobName } from '../tree/jobPresentation';
import { isJobNode, nodeRow, type JobsTree } from '../tree/jobsTree';
import { isOurNode } from '../tree/nodes';
import { isPersonGesture, type ArgumentOrigin } from './gesture';
import { asReference, findRow, laterState, paletteRows } from './rowActions';

export { recentRefusals, refuse } from '../refusals';

export interface CommandContext {
  readonly service: JobService;
  readonly tree: JobsTree;
  readonly log: vscode.LogOutputChannel;
  showRunningJobCard(): void;
  /** Keeps an editor showing a job's log at its end while the job writes it. */
  followLog(editor: vscode.TextEditor): void;
  /** Shows a run's log in the Terminal panel (its terminal again when it is open already). */
  showLogTerminal(run: Pick<Job, 'id' | 'attempt' | 'spec'> & { logPath: string }): vscode.Terminal;
  /** False (after telling the user why) when commands must not run here. */
  requireTrust(): boolean;
  /** Where Add Job remembers the last command line and folder (the workspace's state); in memory when absent. */
  readonly workspaceState?: vscode.Memento;
  /** `jobQueue.slurm.*` as they are now: whether Slurm is offered, and its default sbatch options. */
  slurmSettings(): SlurmSettings;
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
        reportError(error, def.id, ctx.log);
        return undefined;
      }
    }),
  );
}

interface RowPickOptions {
  /** What the command does: a row is offered (palette) and acted on only when it allows this. */
  action: RowAction;
  placeHolder: string;
}

function pickItem(service: JobService, row: JobRow): vscode.QuickPickItem & { row: JobRow } {
  const { job } = row;
  const position = row.kind === 'queued' ? service.getQueuePosition(job.id) : undefined;
  const again = laterState(service, row);
  const description = [
    job.status + (job.status === 'failed' && job.exitCode !== undefined ? ` (exit ${job.exitCode})` : ''),
    position !== undefined ? `position ${position} in the queue` : '',
    row.kind === 'finished' && job.attempt > 1 ? `run ${job.attempt}` : '',
    row.kind === 'finished' && job.finishedAt !== undefined ? new Date(job.finishedAt).toLocaleTimeString() : '',
    again ? `an earlier run: the job is ${again} again` : '',
  ].filter(Boolean).join(' · ');
  return { label: `${jobName(job)} — ${jobTitle(job)}`, description, detail: job.spec.label ? job.spec.command : undefined, row };
}

/** The rows a command acts on, and who chose them (see gesture.ts). */
export interface ResolvedRows { rows: JobRow[]; origin: ArgumentOrigin }

/**
 * The rows a command acts on: the clicked node (with the rest of the selection when it is part of
 * it), a job id or run reference, or — from the palette — a quick pick of the rows the action applies to.
 */
export async function resolveRows(ctx: CommandContext, args: unknown[], options: RowPickOptions): Promise<ResolvedRows> {
  const [first, second] = args;
  const rowOptions = { canPauseJobs: ctx.service.canPauseJobs };
  if (isPersonGesture(first)) {
    const row = findRow(ctx.service, first.ref);
    return { rows: row ? [row] : refuse(`There is no ${jobName(typeof first.ref === 'string' ? first.ref : first.ref.id)} to act on any more.`) ?? [], origin: 'user' };
  }
  if (isJobNode(first)) {
    const selection = Array.isArray(second) ? second.filter(isJobNode).map(nodeRow) : [];
    const clicked = nodeRow(first);
    const rows = selection.some((r) => rowKey(r) === rowKey(clicked)) ? selection : [clicked];
    // Multi-select: act on the selected rows the action applies to; a single row always goes
    // through, so the command can say why it is refused.
    return { rows: rows.length > 1 ? rows.filter((row) => rowAllows(row, options.action, rowOptions)) : rows, origin: 'user' };
  }
  const ref = asReference(first);
  if (ref !== undefined) {
    // An id or a run reference says nothing about who clicked: another extension may have passed it.
    const row = findRow(ctx.service, ref);
    const id = (typeof ref === 'string' ? ref : ref.id).slice(0, 40);
    if (!row) return { rows: refuse(typeof ref === 'string' ? `There is no ${jobName(id)}.` : `There is no run ${ref.attempt} of ${jobName(id)} in the history.`) ?? [], origin: 'external' };
    return { rows: [row], origin: 'external' };
  }
  // Something else passed by a caller (a look-alike row, a number): not a job this command can name.
  if (first !== undefined && !isOurNode(first)) return { rows: refuse(`${options.placeHolder} Pass a job id (like "12"), or choose the job in the Jobs view.`) ?? [], origin: 'external' };
  const candidates = paletteRows(ctx.service, options.action, rowOptions);
  if (candidates.length === 0) return { rows: refuse(`${options.placeHolder} None right now.`) ?? [], origin: 'user' };
  const picked = await vscode.window.showQuickPick(candidates.map((row) => pickItem(ctx.service, row)), {
    placeHolder: options.placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  // A row picked in our quick pick is a person's choice as much as a clicked row is.
  return { rows: picked ? [picked.row] : [], origin: 'user' };
}

/**
 * A command that acts on one or more rows; returns the result for one row, a list for several.
 * `args`: the command's own arguments; `origin`: whether a person chose the rows in our UI.
 */
export function jobCommand<T>(id: string, options: RowPickOptions & { run: (ctx: CommandContext, row: JobRow, args: readonly unknown[], origin: ArgumentOrigin) => T | Promise<T> }): CommandDefinition {
  return {
    id,
    async run(ctx, ...args) {
      const { rows, origin } = await resolveRows(ctx, args, options);
      const results: T[] = [];
      for (const row of rows) results.push(await options.run(ctx, row, args, origin));
      return rows.length === 1 ? results[0] : results;
    },
  };
}
