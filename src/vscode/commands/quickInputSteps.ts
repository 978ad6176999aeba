// The widgets of a multi-step input (Add Job): one input box or quick pick per step, with the step
// counter and a Back button, each resolving once with what happened (next, back, escape). The step
// on screen is kept for the tests that drive the real input (`_addJobStep`).
import * as vscode from 'vscode';
import type { StepResult } from './addJobSteps';

const TITLE = 'Add Job';

/** The Add Job step on screen ("label 2/3"), for the tests that drive the real input (none when closed). */
export const shownStep: { current: string | undefined } = { current: undefined };

/** A step ends once (accept, back, hide): it resolves, then drops its listeners and its widget. */
function stepLifetime(widget: vscode.QuickInput, resolve: (result: StepResult) => void, name: string): { subscriptions: vscode.Disposable[]; finish: (result: StepResult) => void } {
  let done = false;
  const subscriptions: vscode.Disposable[] = [];
  const shown = `${name} ${widget.step}/${widget.totalSteps}`;
  shownStep.current = shown;
  const finish = (result: StepResult) => {
    if (done) return;
    done = true;
    if (shownStep.current === shown) shownStep.current = undefined;
    resolve(result);
    subscriptions.forEach((s) => s.dispose());
    widget.dispose();
  };
  return { subscriptions, finish };
}

/** One input box per step, with the step counter and a Back button; resolves with what happened. */
export function inputStep(options: { title?: string; name: string; step: number; totalSteps: number; canGoBack: boolean; value: string; prompt: string; placeholder?: string; required?: string; validate?: (value: string) => string | undefined }): Promise<StepResult> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title ?? TITLE;
    box.step = options.step;
    box.totalSteps = options.totalSteps;
    box.value = options.value;
    box.valueSelection = [0, options.value.length];
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const { subscriptions, finish } = stepLifetime(box, resolve, options.name);
    const check = () => (options.required && !box.value.trim() ? options.required : options.validate?.(box.value));
    subscriptions.push(
      box.onDidChangeValue(() => (box.validationMessage = check())),
      box.onDidAccept(() => {
        const problem = check();
        if (problem) box.validationMessage = problem;
        else finish({ kind: 'next', value: box.value });
      }),
      box.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish({ kind: 'back' })),
      box.onDidHide(() => finish({ kind: 'escape', value: box.value })),
    );
    box.show();
  });
}

export type PickItem = vscode.QuickPickItem & { value: string };

/**
 * One quick pick per choice step, starting on `value`; Escape keeps `value`. `many`: several may be
 * picked — `value` and the answer are their values joined by commas.
 */
export function pickStep(options: { title?: string; name: string; step: number; totalSteps: number; canGoBack: boolean; value: string; placeholder: string; items: PickItem[]; many?: boolean }): Promise<StepResult> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<PickItem>();
    pick.title = options.title ?? TITLE;
    pick.step = options.step;
    pick.totalSteps = options.totalSteps;
    pick.placeholder = options.placeholder;
    pick.ignoreFocusOut = true;
    pick.canSelectMany = options.many ?? false;
    pick.matchOnDescription = true;
    pick.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    pick.items = options.items;
    if (options.many) {
      const chosen = new Set(options.value.split(','));
      pick.selectedItems = pick.items.filter((i) => chosen.has(i.value));
    } else {
      const preselected = pick.items.find((i) => i.value === options.value);
      if (preselected) pick.activeItems = [preselected];
    }
    const { subscriptions, finish } = stepLifetime(pick, resolve, options.name);
    subscriptions.push(
      pick.onDidAccept(() => finish({
        kind: 'next',
        value: options.many ? pick.selectedItems.map((i) => i.value).join(',') : pick.selectedItems[0]?.value ?? pick.activeItems[0]?.value ?? options.value,
      })),
      pick.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish({ kind: 'back' })),
      pick.onDidHide(() => finish({ kind: 'escape', value: options.value })),
    );
    pick.show();
  });
}
