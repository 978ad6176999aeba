// Commands only the integration tests use: what the Jobs view shows, the notifications shown
// (toasts cannot be read back through the API), the card's protocol endpoint, the user's own job
// queued as Add Job's steps would queue it, and reopening the
// queue on a storage folder the test prepared, which runs the same open-and-attach path as
// activation. They exist only in the test build (esbuild.js's JOB_QUEUE_TEST_HOOKS; the product
// build drops this module) and are registered only when VS Code runs the extension's tests
// (ExtensionMode.Test).
import * as vscode from 'vscode';
import type { JobSpecInput, ScheduleInput } from '../core';
import { withSettingsEnvironment } from './commands/addJob';
import { shownStep } from './commands/quickInputSteps';
import { queuedJob } from './submitJob';
import { chooseNoticeAction, recentNotices } from './notices';
import { recentRefusals } from './refusals';
import type { QueueSession } from './session';

export interface TestHookTarget {
  current(): QueueSession;
  /** Closes the open queue and opens the one in `storageDir` (the workspace's own when omitted). */
  reopen(storageDir: string | undefined): Promise<QueueSession>;
}

export function registerTestHooks(target: TestHookTarget): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('jobQueue._describeTree', () => target.current().tree.describe()),
    // A row's node as a menu passes it (a look-alike object from a test is not ours: commands/gesture.ts).
    vscode.commands.registerCommand('jobQueue._treeNode', (rowId: string) => target.current().tree.shownNode(rowId)),
    vscode.commands.registerCommand('jobQueue._recentRefusals', () => [...recentRefusals]),
    vscode.commands.registerCommand('jobQueue._recentNotices', () => recentNotices()),
    vscode.commands.registerCommand('jobQueue._chooseNoticeAction', (noticeSeq: number, title: string) => chooseNoticeAction(noticeSeq, title)),
    vscode.commands.registerCommand('jobQueue._addJobStep', () => shownStep.current),
    // The user's own job without walking Add Job's steps (a spec passed to jobQueue.addJob is the
    // caller's, held for approval): what the steps would queue, for tests about what happens next.
    vscode.commands.registerCommand('jobQueue._addJobAsUser', async (spec: object, schedule?: ScheduleInput) =>
      queuedJob(target.current().service.submit(await withSettingsEnvironment({ ...spec, source: { kind: 'command' } } as JobSpecInput), schedule))),
    vscode.commands.registerCommand('jobQueue._jobsViewMessage', () => target.current().viewMessage.message),
    vscode.commands.registerCommand('jobQueue._cardMessage', async (message: unknown) => {
      const { card } = target.current();
      await card.onMessage(message);
      return { ...card.stats, open: card.isOpen };
    }),
    vscode.commands.registerCommand('jobQueue._reopen', async (options?: { storageDir?: string }) => {
      const { service } = await target.reopen(options?.storageDir);
      return { storageDir: service.storageDir, role: service.role.kind, openReport: service.openReport };
    }),
  ];
}
