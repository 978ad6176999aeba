import * as os from 'node:os';
import * as vscode from 'vscode';
import { JobError, JobSpecSchema, type Job, type JobSpecInput, type ScheduleInput } from '../../core';
import { withDefaults } from '../../core/environment';
import { COMMON_MATCHERS } from '../problems/matcherChoices';
import { readEnvironmentSettings } from '../settings';
import { settingsEnvironment } from '../settingsEnvironment';
import { variableContext } from './taskSpec';
import { callerSource } from '../callerSource';
import { queuedJob, submitJob } from '../submitJob';
import { isOurNode } from '../tree/nodes';
import { jobName } from '../tree/jobPresentation';
import { askForJob, type AddJobStart, type AddJobUi } from './addJobSteps';
import { inputStep, pickStep } from './quickInputSteps';
import { startTimeProblem } from '../../core/startTime';
import { START_TIME_PLACEHOLDER, START_TIME_PROMPT, candidateItem, conditionItems, dependencyCandidates, laneItems, whenItems } from './waitChoices';
import { formatSbatchFlags, parseSbatchFlags } from '../../core/runner/slurm/sbatchFlags';
import type { CommandContext, CommandDefinition } from './shared';

const LAST_COMMAND = 'jobQueue.addJob.lastCommand';
const LAST_FOLDER = 'jobQueue.addJob.lastFolder';
const LAST_WHERE = 'jobQueue.addJob.lastWhere';
const LAST_SBATCH = 'jobQueue.addJob.lastSbatchOptions';
const LAST_MATCHER = 'jobQueue.addJob.lastProblemMatcher';

/** Where the last command line and folder are kept when the session gave no workspace state. */
const inMemory = new Map<string, unknown>();
const memoryState: Pick<vscode.Memento, 'get' | 'update'> = {
  get: <T>(key: string, fallback?: T) => (inMemory.has(key) ? inMemory.get(key) as T : fallback) as T,
  update: (key: string, value: unknown) => {
    inMemory.set(key, value);
    return Promise.resolve();
  },
};

function remembered(ctx: CommandContext): Pick<vscode.Memento, 'get' | 'update'> {
  return ctx.workspaceState ?? memoryState;
}

/** Add Job's steps in the workbench; the jobs to wait for are read from the queue when that step shows. */
const uiFor = (ctx: CommandContext): AddJobUi => ({
  commandLine: (info) => inputStep({
    ...info,
    name: 'command',
    prompt: 'Command line. It runs in a shell in the workspace folder; output, progress (42% or ::progress 42) and the exit code are recorded.',
    placeholder: 'e.g. npm test, make -j8, python train.py --epochs 10',
    required: 'Enter a command line to run.',
  }),
  label: (info) => inputStep({
    ...info,
    name: 'label',
    prompt: info.last
      ? 'Label (optional): a short name for the job. Enter queues the job — so does Escape, keeping what you typed.'
      : 'Label (optional): a short name for the job. Enter: the next step; Escape queues the job as it is.',
    placeholder: 'e.g. Build, Nightly tests (empty: the command line is shown)',
  }),
  folder: (info) => pickStep({
    ...info,
    name: 'folder',
    placeholder: 'Run the job in which folder? (Escape: the one selected)',
    items: info.folders.map((f) => ({ label: f.name, description: f.path, value: f.path })),
  }),
  matcher: (info) => pickStep({
    ...info,
    name: 'matcher',
    placeholder: `Put its errors in the Problems panel with which problem matcher? (${info.last ? 'Enter queues the job; ' : ''}Escape: the one selected)`,
    items: [{ label: '$(circle-slash) None', value: '' }, ...COMMON_MATCHERS.map((m) => ({ label: m.name, description: m.description, value: m.name }))],
  }),
  where: (info) => pickStep({
    ...info,
    name: 'where',
    placeholder: 'Run the job where? (Escape: the one selected)',
    items: whereItems(info.defaults).map(({ where, ...item }) => ({ ...item, value: where })),
  }),
  sbatchFlags: (info) => inputStep({ ...info, name: 'sbatch', ...sbatchFlagsInput(info.defaults) }),
  lane: (info) => pickStep({
    ...info,
    name: 'lane',
    placeholder: 'Run the job in which lane? (Escape: the one selected)',
    items: laneItems(ctx.service.getLanes()),
  }),
  when: (info) => pickStep({
    ...info,
    name: 'when',
    placeholder: 'When should it run? (Enter or Escape: the one selected)',
    items: whenItems(info.canWaitForJobs),
  }),
  afterJobs: (info) => pickStep({
    ...info,
    name: 'after',
    many: true,
    placeholder: 'Run it after which jobs? (pick one or more; none: its turn)',
    items: dependencyCandidates(ctx.service).map((job) => candidateItem(job, new Set())),
  }),
  afterCondition: (info) => pickStep({ ...info, name: 'condition', placeholder: 'After their success, or after any end?', items: conditionItems(info.value) }),
  startTime: (info) => inputStep({ ...info, name: 'time', prompt: START_TIME_PROMPT, placeholder: START_TIME_PLACEHOLDER, validate: (value) => startTimeProblem(value) }),
});

/** The sbatch options box (Add Job, Retry with Changes): typed like sbatch's own, checked as typed. */
export function sbatchFlagsInput(defaults: string): { prompt: string; placeholder: string; validate: (value: string) => string | undefined } {
  return {
    prompt: `sbatch options for this job, over the defaults (${defaults || 'none set'}). Empty: the defaults. Enter queues the job.`,
    placeholder: 'e.g. -p gpu -N 2 --time=2:00:00 --gres=gpu:1 --mem=16G',
    validate: (value) => {
      const parsed = parseSbatchFlags(value);
      return parsed.ok ? undefined : parsed.message;
    },
  };
}

/** The two places a job can run, as quick pick items. */
export function whereItems(defaults: string): Array<vscode.QuickPickItem & { where: 'local' | 'slurm' }> {
  return [
    { label: '$(device-desktop) This machine', description: 'a local process, in this queue\'s slots', where: 'local' },
    { label: '$(server-environment) Slurm cluster', description: defaults ? `sbatch ${defaults}` : 'sbatch with the cluster\'s defaults', detail: 'Next: the sbatch options for this job', where: 'slurm' },
  ];
}

/** With Slurm enabled: where the last job went and with which options, and the settings' defaults. */
function slurmStart(ctx: CommandContext, state: Pick<vscode.Memento, 'get'>): Pick<AddJobStart, 'slurm'> {
  const slurm = ctx.slurmSettings();
  if (!slurm.enabled) return {};
  const lastWhere = state.get<string>(LAST_WHERE);
  return {
    slurm: {
      ...(lastWhere === 'local' || lastWhere === 'slurm' ? { lastWhere } : {}),
      lastFlags: state.get<string>(LAST_SBATCH) ?? '',
      defaults: formatSbatchFlags(slurm.defaults),
    },
  };
}

/**
 * The spec with `jobQueue.envFile` and `jobQueue.env` (of the job's workspace folder) under its own
 * variables, merged now so the job's record says what it runs with. A setting that cannot be used
 * refuses the add; a spec the engine will refuse anyway is passed on as it is, to be refused there.
 */
export async function withSettingsEnvironment(spec: JobSpecInput): Promise<JobSpecInput> {
  const folder = typeof spec?.cwd === 'string' ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(spec.cwd)) : undefined;
  const settings = await settingsEnvironment(readEnvironmentSettings(folder?.uri), variableContext(folder));
  if (settings.kind === 'refused') throw new JobError('invalidArgument', `The job was not queued: ${settings.message}`);
  const own = JobSpecSchema.shape.env.safeParse(spec?.env);
  if (!own.success) return spec;
  const env = withDefaults(own.data, settings.vars);
  return env ? { ...spec, env } : spec;
}

/**
 * Add Job…: one multi-step input (command line → optional label → folder with several folders →
 * problem matcher for a build tool → where → lane → when it runs). From the title bar with a row focused, the workbench passes that row:
 * it is our own node, not a spec, so the steps open. Given a job spec and how it waits as arguments
 * (another extension, an agent's tool, a test), the job is the caller's, not the user's: it lands
 * held for approval like the API's (jobQueue.externalJobs); the engine checks both. Returns the job
 * when it was queued here; undefined when cancelled or passed to the window that runs the queue.
 */
export const addJob: CommandDefinition = {
  id: 'jobQueue.addJob',
  async run(ctx, spec?: unknown, waits?: unknown): Promise<Job | undefined> {
    if (!ctx.requireTrust()) return undefined;
    const state = remembered(ctx);
    // The engine validates the spec and refuses with a message that says what is wrong.
    if (spec !== undefined && !isOurNode(spec)) {
      const input = (typeof spec === 'object' && spec !== null ? { ...spec, source: callerSource() } : spec) as JobSpecInput;
      const job = queuedJob(submitJob(ctx.service, ctx.log, await withSettingsEnvironment(input), waits as ScheduleInput | undefined));
      if (job) await state.update(LAST_COMMAND, job.spec.command);
      return job;
    }
    const editor = vscode.window.activeTextEditor;
    const active = editor && vscode.workspace.getWorkspaceFolder(editor.document.uri);
    const answers = await askForJob(uiFor(ctx), {
      folders: (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath })),
      lastCommand: state.get<string>(LAST_COMMAND),
      lastFolder: state.get<string>(LAST_FOLDER),
      activeFolder: active?.uri.fsPath,
      home: os.homedir(),
      lastMatcher: state.get<string>(LAST_MATCHER),
      ...slurmStart(ctx, state),
      lanes: ctx.service.getLanes().map((lane) => lane.name),
      canWaitForJobs: dependencyCandidates(ctx.service).length > 0,
    });
    if (!answers) return undefined;
    await state.update(LAST_COMMAND, answers.command);
    if (answers.cwd) await state.update(LAST_FOLDER, answers.cwd);
    await state.update(LAST_MATCHER, answers.problemMatchers?.[0] ?? '');
    if (ctx.slurmSettings().enabled) {
      await state.update(LAST_WHERE, answers.runOn?.kind ?? 'local');
      await state.update(LAST_SBATCH, formatSbatchFlags(answers.runOn?.kind === 'slurm' ? answers.runOn.options : undefined));
    }
    const { schedule, ...given } = answers;
    const job = queuedJob(submitJob(ctx.service, ctx.log, await withSettingsEnvironment({ ...given, source: { kind: 'command' } }), schedule));
    if (job) vscode.window.setStatusBarMessage(`$(add) Queued ${jobName(job)}, position ${ctx.service.getQueuePosition(job.id) ?? '—'} in the queue`, 4000);
    return job;
  },
};
