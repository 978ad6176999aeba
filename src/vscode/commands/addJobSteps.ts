// Add Job's steps as one multi-step input: command line → optional label → folder (only with several
// workspace folders) → its problem matcher (only when the command line runs a tool that has one, or
// the last job had one) → where it runs and its sbatch options (only with Slurm enabled) → its lane
// (only with more than one lane) → when it should run (its turn, held, after other jobs — which, and
// after their success or any end —, or at a time). The flow is here, without VS Code, so it can be
// driven by a script in tests; addJob.ts gives it the real input box and quick pick. A step the UI
// does not provide is not asked.
//
// Back goes to the previous step with what was typed there. Escape on the command line cancels;
// once a command line is entered, Escape never throws it away: on any later step it queues the job
// with what is filled in so far — the label as typed, the choices preselected, a start time only if
// what was typed is one.

import { DEFAULT_LANE, type DependencyCondition, type RunOn, type ScheduleInput } from '../../core';
import { parseSbatchFlags } from '../../core/runner/slurm/sbatchFlags';
import { mayUseMatcher, suggestedMatcher } from '../problems/matcherChoices';
import { parseStartTime } from '../../core/startTime';

/** How the new job waits: its turn (the default), held until released, after other jobs, at a time. */
export type WhenChoice = 'turn' | 'hold' | 'after' | 'at';
const WHEN_CHOICES: readonly string[] = ['turn', 'hold', 'after', 'at'];

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
  /** A problem matcher's name, or '' for none; `last`: Enter queues the job. */
  matcher?(info: StepInfo & { value: string; last: boolean }): Promise<StepResult>;
  /** `local` or `slurm`; offered only when Slurm is enabled. */
  where?(info: StepInfo & { value: 'local' | 'slurm'; last: boolean; defaults: string }): Promise<StepResult>;
  /** The job's own sbatch options over the defaults, as typed (validated by the step). */
  sbatchFlags?(info: StepInfo & { value: string; defaults: string }): Promise<StepResult>;
  /** The lane's name; offered only with more than one lane. */
  lane?(info: StepInfo & { value: string; lanes: readonly string[] }): Promise<StepResult>;
  /** A WhenChoice; `canWaitForJobs`: whether there are jobs to wait for (else "after" is not offered). */
  when?(info: StepInfo & { value: WhenChoice; canWaitForJobs: boolean }): Promise<StepResult>;
  /** The jobs it waits for, as ids joined by commas. */
  afterJobs?(info: StepInfo & { value: string }): Promise<StepResult>;
  /** `success` or `any`. */
  afterCondition?(info: StepInfo & { value: DependencyCondition }): Promise<StepResult>;
  /** A start time as typed (startTimeText.ts; validated by the step). */
  startTime?(info: StepInfo & { value: string }): Promise<StepResult>;
}

export interface AddJobAnswers { command: string; label?: string; cwd?: string; runOn?: RunOn; problemMatchers?: string[]; schedule?: ScheduleInput }

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
  /** The problem matcher of the last job added with Add Job: the matcher step is offered again (none preselected unless suggested). */
  lastMatcher?: string;
  /** Slurm enabled: where to run is asked, starting from the last choice; `defaults` shows the settings' options. */
  slurm?: { lastWhere?: 'local' | 'slurm'; lastFlags?: string; defaults: string };
  /** The configured lanes (`default` first); the lane step only with more than one. */
  lanes?: readonly string[];
  /** Whether there are jobs the new one could wait for. */
  canWaitForJobs?: boolean;
  /** The clock a typed start time counts from (tests). */
  now?: () => number;
}

type Step = 'command' | 'label' | 'folder' | 'matcher' | 'where' | 'sbatch' | 'lane' | 'when' | 'afterJobs' | 'afterCondition' | 'startTime';

/** The answers of the waiting steps so far. */
interface WaitAnswers { lane: string; when: WhenChoice; afterIds: string; condition: DependencyCondition; startText: string }

export async function askForJob(ui: AddJobUi, start: AddJobStart): Promise<AddJobAnswers | undefined> {
  const paths = start.folders.map((f) => f.path);
  let command = start.lastCommand ?? '';
  let label = '';
  let folder = [start.lastFolder, start.activeFolder].find((f) => f !== undefined && paths.includes(f)) ?? paths[0] ?? start.home;
  let where: 'local' | 'slurm' = start.slurm?.lastWhere ?? 'local';
  let flags = start.slurm?.lastFlags ?? '';
  /** The matcher chosen; undefined until the step is answered (then what the command line suggests is offered). */
  let matcher: string | undefined;
  const offersMatcher = (): boolean => ui.matcher !== undefined && (mayUseMatcher(command) || !!start.lastMatcher);
  const matcherNow = (): string => matcher ?? suggestedMatcher(command) ?? '';
  const slurm = start.slurm && ui.where && ui.sbatchFlags ? start.slurm : undefined;
  const lanes = start.lanes && start.lanes.length > 1 && ui.lane ? start.lanes : undefined;
  const wait: WaitAnswers = { lane: DEFAULT_LANE, when: 'turn', afterIds: '', condition: 'success', startText: '' };
  // The steps follow the answers: the sbatch options only once Slurm is chosen, which jobs to wait
  // for only once "after other jobs" is.
  const stepsNow = (): Step[] => [
    'command', 'label',
    ...(start.folders.length > 1 ? ['folder' as const] : []),
    ...(offersMatcher() ? ['matcher' as const] : []),
    ...(slurm ? ['where' as const, ...(where === 'slurm' ? ['sbatch' as const] : [])] : []),
    ...(lanes ? ['lane' as const] : []),
    ...waitSteps(ui, wait.when),
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
          : step === 'matcher'
            ? await ui.matcher!({ ...info, value: matcherNow(), last: index === steps.length - 1 })
          : step === 'where'
            ? await ui.where!({ ...info, value: where, last: where === 'local', defaults: slurm!.defaults })
            : step === 'sbatch'
              ? await ui.sbatchFlags!({ ...info, value: flags, defaults: slurm!.defaults })
              : await askWaitStep(ui, step, info, wait, lanes ?? [], start.canWaitForJobs ?? false);
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
    } else if (step === 'matcher') {
      matcher = result.value;
    } else if (step === 'where') {
      if (result.value === 'local' || result.value === 'slurm') where = result.value;
    } else if (step === 'sbatch') {
      flags = result.value;
    } else {
      takeWaitAnswer(step, result.value, wait, lanes ?? []);
    }
    if (result.kind === 'escape' || ++index >= stepsNow().length) break;
  }
  command = command.trim();
  if (!command) return undefined;
  const schedule = scheduleOf(wait, start.now?.() ?? Date.now());
  // Only a matcher the person saw and kept: Escape before the step queues the job without one.
  const problemMatchers = offersMatcher() && matcher ? [matcher] : undefined;
  return {
    command, ...(label.trim() ? { label: label.trim() } : {}), cwd: folder, ...(problemMatchers ? { problemMatchers } : {}),
    ...runOnOf(slurm ? where : 'local', flags), ...(schedule ? { schedule } : {}),
  };
}

/** The waiting steps the UI provides: "when", then which jobs and the condition, or the time. */
function waitSteps(ui: AddJobUi, when: WhenChoice): Step[] {
  if (!ui.when) return [];
  if (when === 'after' && ui.afterJobs && ui.afterCondition) return ['when', 'afterJobs', 'afterCondition'];
  if (when === 'at' && ui.startTime) return ['when', 'startTime'];
  return ['when'];
}

function askWaitStep(ui: AddJobUi, step: Step, info: StepInfo, wait: WaitAnswers, lanes: readonly string[], canWaitForJobs: boolean): Promise<StepResult> {
  switch (step) {
    case 'lane': return ui.lane!({ ...info, value: wait.lane, lanes });
    case 'when': return ui.when!({ ...info, value: wait.when, canWaitForJobs });
    case 'afterJobs': return ui.afterJobs!({ ...info, value: wait.afterIds });
    case 'afterCondition': return ui.afterCondition!({ ...info, value: wait.condition });
    default: return ui.startTime!({ ...info, value: wait.startText });
  }
}

/** Keeps a waiting step's answer; a value the step does not offer is ignored (the choice stays). */
function takeWaitAnswer(step: Step, value: string, wait: WaitAnswers, lanes: readonly string[]): void {
  if (step === 'lane' && lanes.includes(value)) wait.lane = value;
  else if (step === 'when' && WHEN_CHOICES.includes(value)) wait.when = value as WhenChoice;
  else if (step === 'afterJobs') wait.afterIds = value;
  else if (step === 'afterCondition' && (value === 'success' || value === 'any')) wait.condition = value;
  else if (step === 'startTime') wait.startText = value;
}

/** How the job waits, from the answers: nothing for its turn in the default lane. */
function scheduleOf(wait: WaitAnswers, now: number): ScheduleInput | undefined {
  const ids = wait.afterIds.split(',').map((id) => id.trim()).filter(Boolean);
  const at = wait.when === 'at' ? parseStartTime(wait.startText, now) : undefined;
  const schedule: ScheduleInput = {
    ...(wait.lane !== DEFAULT_LANE ? { lane: wait.lane } : {}),
    ...(wait.when === 'hold' ? { hold: true } : {}),
    ...(wait.when === 'after' && ids.length > 0 ? { after: { ids, condition: wait.condition } } : {}),
    ...(at?.ok && at.at !== undefined ? { notBefore: at.at } : {}),
  };
  return Object.keys(schedule).length > 0 ? schedule : undefined;
}

/** Where the job runs: nothing for here; Slurm with the typed options (already validated by the step; bad ones are dropped). */
function runOnOf(where: 'local' | 'slurm', flags: string): Pick<AddJobAnswers, 'runOn'> {
  if (where === 'local') return {};
  const parsed = parseSbatchFlags(flags);
  const options = parsed.ok && Object.keys(parsed.options).length > 0 ? parsed.options : undefined;
  return { runOn: { kind: 'slurm', ...(options ? { options } : {}) } };
}
