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
  if (shown.length > KEPT) shown.shift();
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

/** An action that runs one of our commands (they report their own failures). */
export function commandAction(title: string, command: string, ...args: unknown[]): NoticeAction {
  return { title, run: () => vscode.commands.executeCommand(command, ...args) };
}
