// What the card's requests do, once the guard has let them through: the same paths the tree's menus
// and the palette take (performRowAction, the Show Job Log and Retry Job commands), and the card's
// own two (open a link it was given, dismiss the last result). Each returns why not, or undefined.
import * as vscode from 'vscode';
import type { JobService } from '../../core';
import { personGesture } from '../commands/gesture';
import { findRow, performRowAction } from '../commands/rowActions';
import type { CardLinkRequest, CardRequest } from '../../shared/runningJobProtocol';
import { UNTRUSTED } from '../untrusted';
import { LIFECYCLE_ACTION } from './cardGuard';
import type { LastResult } from './cardResult';
import type { LinkTable, LinkTarget } from './outputLinks';

export interface CardRequestContext {
  readonly service: JobService;
  readonly lastResult: LastResult;
  readonly links: LinkTable;
  /** The runs the card last rendered (job id → attempt). */
  readonly shown: ReadonlyMap<string, number>;
  isFile(absolute: string): Promise<boolean>;
  /** The column the card is in: a link opens in another one, so the card stays in view. */
  readonly cardColumn: vscode.ViewColumn | undefined;
}

/** Does what the card asked; returns why not when it was refused without an error. */
export async function performCardRequest(ctx: CardRequestContext, message: CardRequest): Promise<string | undefined> {
  const { service } = ctx;
  switch (message.type) {
    case 'sendNextJob': {
      if (!vscode.workspace.isTrusted) return UNTRUSTED;
      const result = service.sendNextJob();
      return result.outcome === 'refused' ? result.message : undefined;
    }
    case 'dismissResult':
      ctx.lastResult.dismiss();
      return undefined;
    case 'openLink':
      return openLink(ctx, message);
    case 'action':
      break;
  }
  switch (message.action) {
    case 'pauseJob':
    case 'resumeJob':
    case 'cancelJob':
    case 'cancelAndRequeue': {
      // The same path as the tree's menus and the palette: the run the card showed, the row's rule, then the engine.
      const job = service.getJob(message.jobId);
      if (!job) return 'This job no longer exists.';
      await performRowAction(service, LIFECYCLE_ACTION[message.action], { kind: 'running', job });
      return undefined;
    }
    case 'showLog': {
      // Through the command, which keeps the editor following the end of a running job's log.
      if (!service.getJob(message.jobId)?.logPath) return 'This job has no log yet.';
      const opened = await vscode.commands.executeCommand<string | undefined>('jobQueue.showLog', message.jobId);
      return opened === undefined ? 'The log could not be opened.' : undefined;
    }
    case 'retryJob': {
      // Through Retry Job with the run itself (id, attempt, end), as the history row's menu does.
      if (!vscode.workspace.isTrusted) return UNTRUSTED;
      const job = service.getJob(message.jobId);
      if (job?.finishedAt === undefined) return 'This run is not in the history.';
      const ref = { id: job.id, attempt: job.attempt, finishedAt: job.finishedAt };
      if (!findRow(service, ref)) return 'This run is not in the history.';
      // The person pressed Retry on our own card: a gesture, so the new job is theirs (not held for approval).
      const retried = await vscode.commands.executeCommand<unknown>('jobQueue.retryJob', personGesture(ref));
      return retried === undefined ? 'The job was not retried.' : undefined;
    }
  }
}

/** Opens the target the host recorded for this link id on that run: never a path from the webview. */
async function openLink(ctx: CardRequestContext, message: CardLinkRequest): Promise<string | undefined> {
  const link = ctx.shown.get(message.jobId) === message.attempt ? ctx.links.get(message.link, message.jobId, message.attempt) : undefined;
  if (!link) return 'This link is no longer on the card.';
  if (!(await ctx.isFile(link.target.file))) return `${vscode.workspace.asRelativePath(link.target.file)} no longer exists.`;
  await showTarget(link.target, ctx.cardColumn);
  return undefined;
}

async function showTarget(target: LinkTarget, cardColumn: vscode.ViewColumn | undefined): Promise<void> {
  const position = new vscode.Position(target.line - 1, (target.column ?? 1) - 1);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(target.file));
  // Clamped by the document: a line past its end lands on the last line.
  const at = document.validatePosition(position);
  await vscode.window.showTextDocument(document, {
    selection: new vscode.Range(at, at),
    preview: true,
    viewColumn: cardColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One,
  });
}
