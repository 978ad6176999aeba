// Add Job's steps as one multi-step input: command line → optional label → folder (only with several
// workspace folders). The flow is here, without VS Code, so it can be driven by a script in tests;
// addJob.ts gives it the real input box and quick pick.
//
// Back goes to the previous step with what was typed there. Escape on the command line cancels;
// once a command line is entered, Escape never throws it away: on the label (or folder) step it
// queues the job with what is filled in so far — the label as typed, the folder preselected.

export type StepResult =
  | { kind: 'next'; value: string }
  | { kind: 'back' }
  /** Escape (the input was closed): `value` is what the step held then. */
  | { kind: 'escape'; value: string };

export interface StepInfo {
  step: number;
  totalSteps: number;
  /** Whether the step shows a Back button. */
  canGoBack: boolean;
}

export interface FolderChoice { name: string; path: string }

export interface AddJobUi {
  commandLine(info: StepInfo & { value: string }): Promise<StepResult>;
  label(info: StepInfo & { value: string; last: boolean }): Promise<StepResult>;
  folder(info: StepInfo & { folders: readonly FolderChoice[]; value: string }): Promise<StepResult>;
}

export interface AddJobAnswers { command: string; label?: string; cwd?: string }

export interface AddJobStart {
  /** The workspace folders; a folder step only when there are several. */
  folders: readonly FolderChoice[];
  /** The command line offered first (the last one entered). */
  lastCommand?: string;
  /** The folder preselected: the last one used when it is still open, else this one (the active editor's). */
  lastFolder?: string;
  activeFolder?: string;
  /** With no folder open. */
  home: string;
}

type Step = 'command' | 'label' | 'folder';

export async function askForJob(ui: AddJobUi, start: AddJobStart): Promise<AddJobAnswers | undefined> {
  const steps: Step[] = start.folders.length > 1 ? ['command', 'label', 'folder'] : ['command', 'label'];
  const paths = start.folders.map((f) => f.path);
  let command = start.lastCommand ?? '';
  let label = '';
  let folder = [start.lastFolder, start.activeFolder].find((f) => f !== undefined && paths.includes(f)) ?? paths[0] ?? start.home;
  let index = 0;
  for (;;) {
    const step = steps[index]!;
    const info: StepInfo = { step: index + 1, totalSteps: steps.length, canGoBack: index > 0 };
    const result = step === 'command'
      ? await ui.commandLine({ ...info, value: command })
      : step === 'label'
        ? await ui.label({ ...info, value: label, last: index === steps.length - 1 })
        : await ui.folder({ ...info, folders: start.folders, value: folder });
    if (result.kind === 'back') {
      index = Math.max(0, index - 1);
      continue;
    }
    if (step === 'command') {
      if (result.kind === 'escape') return undefined;
      command = result.value;
    } else if (step === 'label') {
      label = result.value;
    } else if (paths.includes(result.value)) {
      folder = result.value;
    }
    if (result.kind === 'escape' || ++index >= steps.length) break;
  }
  command = command.trim();
  if (!command) return undefined;
  return { command, ...(label.trim() ? { label: label.trim() } : {}), cwd: folder };
}
