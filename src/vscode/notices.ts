// Every notification the extension shows goes through `notify`: one place that (1) keeps the last
// ones shown, because toasts cannot be read back from the VS Code API (integration tests and
// diagnostics ask for them), and (2) runs the chosen action without letting a rejected promise
// escape: a notification is fire-and-forget for its caller.
import * as vscode from 'vscode';

export type NoticeSeverity = 'info' | 'warning' | 'error';

export interface NoticeAction {
  readonly title: string;
  run(): unknown;
}

export interface ShownNotice {
  /** Increases by one per notification: tests ask for the ones after a point. */
  readonly seq: number;
  readonly severity: NoticeSeverity;
  readonly message: string;
  readonly actions: readonly string[];
}

const KEPT = 30;
const shown: ShownNotice[] = [];
/** The actions of the notifications kept, by seq: a test presses one as a person would (testHooks). */
const shownActions = new Map<number, readonly NoticeAction[]>();
let seq = 0;
let reportFailure: (message: string, error: unknown) => void = (message, error) => console.error(message, error);

/** The notifications shown most recently, oldest first. */
export function recentNotices(): ShownNotice[] {
  return [...shown];
}

/** Where a failing action is reported (the extension's log once it exists). */
export function setNoticeFailureSink(sink: (message: string, error: unknown) => void): void {
  reportFailure = sink;
}

/** Shows a notification and runs the action the user picks; never rejects. */
export async function notify(severity: NoticeSeverity, message: string, actions: readonly NoticeAction[] = []): Promise<void> {
  shown.push({ seq: ++seq, severity, message, actions: actions.map((a) => a.title) });
  shownActions.set(seq, actions);
  if (shown.length > KEPT) shownActions.delete(shown.shift()!.seq);
  const titles = actions.map((a) => a.title);
  try {
    const choice = severity === 'error'
      ? await vscode.window.showErrorMessage(message, ...titles)
      : severity === 'warning'
        ? await vscode.window.showWarningMessage(message, ...titles)
        : await vscode.window.showInformationMessage(message, ...titles);
    await actions.find((a) => a.title === choice)?.run();
  } catch (error) {
    reportFailure(`The action of the notification “${message.slice(0, 80)}” failed`, error);
  }
}

/**
 * Runs the action `title` of the kept notification `noticeSeq` — the very handler a person's click
 * runs. For the integration tests (a toast's button cannot be clicked through the API).
 */
export async function chooseNoticeAction(noticeSeq: number, title: string): Promise<boolean> {
  const action = shownActions.get(noticeSeq)?.find((a) => a.title === title);
  if (!action) return false;
  await action.run();
  return true;
}

/** An action that runs one of our commands (they report their own failures). */
export function commandAction(title: string, command: string, ...args: unknown[]): NoticeAction {
  return { title, run: () => vscode.commands.executeCommand(command, ...args) };
}
