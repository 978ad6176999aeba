// Add Job's steps as one multi-step input: command line → optional label → folder (only with several
// workspace folders) → where it runs and its sbatch options (only with Slurm enabled). The flow is here, without VS Code, so it can be driven by a script in tests;
// addJob.ts gives it the real input box and quick pick.
//
// Back goes to the previous step with what was typed there. Escape on the command line cancels;
// once a command line is entered, Escape never throws it away: on the label (or folder) step it
// queues the job with what is filled in so far — the label as typed, the folder preselected.

import type { RunOn } from '../../core';
import { parseSbatchFlags } from '../../core/runner/slurm/sbatchFlags';

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
  /** `local` or `slurm`; offered only when Slurm is enabled. */
  where?(info: StepInfo & { value: 'local' | 'slurm'; last: boolean; defaults: string }): Promise<StepResult>;
  /** The job's own sbatch options over the defaults, as typed (validated by the step). */
  sbatchFlags?(info: StepInfo & { value: string; defaults: string }): Promise<StepResult>;
}

export interface AddJobAnswers { command: string; label?: string; cwd?: string; runOn?: RunOn }

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
  /** Slurm enabled: where to run is asked, starting from the last choice; `defaults` shows the settings' options. */
  slurm?: { lastWhere?: 'local' | 'slurm'; lastFlags?: string; defaults: string };
}

type Step = 'command' | 'label' | 'folder' | 'where' | 'sbatch';

export async function askForJob(ui: AddJobUi, start: AddJobStart): Promise<AddJobAnswers | undefined> {
  const paths = start.folders.map((f) => f.path);
  let command = start.lastCommand ?? '';
  let label = '';
  let folder = [start.lastFolder, start.activeFolder].find((f) => f !== undefined && paths.includes(f)) ?? paths[0] ?? start.home;
  let where: 'local' | 'slurm' = start.slurm?.lastWhere ?? 'local';
  let flags = start.slurm?.lastFlags ?? '';
  const slurm = start.slurm && ui.where && ui.sbatchFlags ? start.slurm : undefined;
  // The steps follow the answers: the sbatch options only once Slurm is chosen.
  const stepsNow = (): Step[] => [
    'command', 'label',
    ...(start.folders.length > 1 ? ['folder' as const] : []),
    ...(slurm ? ['where' as const, ...(where === 'slurm' ? ['sbatch' as const] : [])] : []),
  ];
  let index = 0;
  for (;;) {
    const steps = stepsNow();
    const step = steps[index]!;
    const info: StepInfo = { step: index + 1, totalSteps: steps.length, canGoBack: index > 0 };
    const result = step === 'command'
      ? await ui.commandLine({ ...info, value: command })
      : step === 'label'
        ? await ui.label({ ...info, value: label, last: index === steps.length - 1 })
        : step === 'folder'
          ? await ui.folder({ ...info, folders: start.folders, value: folder })
          : step === 'where'
            ? await ui.where!({ ...info, value: where, last: where === 'local', defaults: slurm!.defaults })
            : await ui.sbatchFlags!({ ...info, value: flags, defaults: slurm!.defaults });
    if (result.kind === 'back') {
      index = Math.max(0, index - 1);
      continue;
    }
    if (step === 'command') {
      if (result.kind === 'escape') return undefined;
      command = result.value;
    } else if (step === 'label') {
      label = result.value;
    } else if (step === 'folder') {
      if (paths.includes(result.value)) folder = result.value;
    } else if (step === 'where') {
      if (result.value === 'local' || result.value === 'slurm') where = result.value;
    } else {
      flags = result.value;
    }
    if (result.kind === 'escape' || ++index >= stepsNow().length) break;
  }
  command = command.trim();
  if (!command) return undefined;
  return { command, ...(label.trim() ? { label: label.trim() } : {}), cwd: folder, ...runOnOf(slurm ? where : 'local', flags) };
}

/** Where the job runs: nothing for here; Slurm with the typed options (already validated by the step; bad ones are dropped). */
function runOnOf(where: 'local' | 'slurm', flags: string): Pick<AddJobAnswers, 'runOn'> {
  if (where === 'local') return {};
  const parsed = parseSbatchFlags(flags);
  const options = parsed.ok && Object.keys(parsed.options).length > 0 ? parsed.options : undefined;
  return { runOn: { kind: 'slurm', ...(options ? { options } : {}) } };
}
