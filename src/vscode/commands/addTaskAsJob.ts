// Add Task as Job…: a workspace task queued whole — its command, folder, environment, own shell and
// problem matchers (taskSpec.ts), and the tasks it depends on queued first as the jobs it waits for
// (taskDependencies.ts). A background (watch) task is refused: it never ends.
import * as vscode from 'vscode';
import type { Job, JobSpecInput } from '../../core';
import { queuedJob, submitJob } from '../submitJob';
import { jobName } from '../tree/jobPresentation';
import { refuse, type CommandContext, type CommandDefinition } from './shared';
import { entriesByLabel, planTask, type PlannedStep, type TaskEntry } from './taskDependencies';
import { commandLineOf, folderOf, taskCommand, taskToSpec } from './taskSpec';

/** The tasks of one folder (or the workspace) as named in `dependsOn`: by label, or `source: name` for a contributed one. */
class TaskLookup {
  private readonly entries: Map<string, TaskEntry>;

  constructor(private readonly tasks: readonly vscode.Task[], private readonly scope: vscode.Task['scope']) {
    const folder = typeof scope === 'object' ? scope.uri : undefined;
    this.entries = entriesByLabel(vscode.workspace.getConfiguration('tasks', folder).get('tasks'));
  }

  /** The task named `name`, preferring one of the same folder. */
  find(name: string): vscode.Task | undefined {
    const named = this.tasks.filter((t) => t.name === name || `${t.source}: ${t.name}` === name);
    return named.find((t) => sameScope(t.scope, this.scope)) ?? named[0];
  }

  entry(name: string): TaskEntry | undefined {
    return this.entries.get(name);
  }

  runs(name: string): boolean {
    const task = this.find(name);
    return task !== undefined && taskCommand(task) !== undefined;
  }
}

function sameScope(a: vscode.Task['scope'], b: vscode.Task['scope']): boolean {
  return typeof a === 'object' && typeof b === 'object' ? a.uri.toString() === b.uri.toString() : a === b;
}

/** The lookup of each task's folder, tasks.json read once per folder. */
function lookupsOf(tasks: readonly vscode.Task[]): (task: vscode.Task) => TaskLookup {
  const byScope = new Map<string, TaskLookup>();
  return (task) => {
    const scope = task.scope ?? folderOf(task);
    const key = typeof scope === 'object' ? scope.uri.toString() : String(scope);
    let lookup = byScope.get(key);
    if (!lookup) byScope.set(key, (lookup = new TaskLookup(tasks, scope)));
    return lookup;
  };
}

/** A task that can be queued: one with a command Job Queue can run, or one that only groups others. */
function isQueueable(task: vscode.Task, lookup: TaskLookup): boolean {
  return taskCommand(task) !== undefined || lookup.entry(task.name)?.dependsOn !== undefined;
}

async function pickTask(tasks: readonly vscode.Task[], queueable: readonly vscode.Task[]): Promise<vscode.Task | undefined> {
  if (queueable.length === 0) {
    refuse(tasks.length
      ? `None of the ${tasks.length} tasks here is a shell or process task, which are the ones Job Queue can run.`
      : 'This workspace has no tasks. Define one in .vscode/tasks.json, or use Add Job… with a command line.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    queueable.map((task) => {
      const command = taskCommand(task);
      return { label: task.name, description: task.source, detail: command ? commandLineOf(command) : 'runs the tasks it depends on', task };
    }),
    { placeHolder: 'Queue which task?', matchOnDetail: true },
  );
  return picked?.task;
}

/**
 * Queues the planned steps in order, each after the jobs of the steps it waits for. Every step's spec
 * is made (and may be refused) before the first is queued, so a refusal queues nothing.
 */
function queueSteps(ctx: CommandContext, chosen: vscode.Task, steps: readonly PlannedStep[], lookup: TaskLookup): Job[] | undefined {
  const specs: JobSpecInput[] = [];
  for (const step of steps) {
    const spec = taskToSpec(lookup.find(step.name)!, lookup.entry(step.name));
    if (!spec) return refuse(`Task “${step.name}” is not a shell or process task Job Queue can run.`);
    if (!spec.ok) return refuse(spec.message);
    specs.push(spec.value);
  }
  if (steps.length > 1 && ctx.service.role.kind !== 'owner') {
    // A job passed to the window that runs the queue gets its id there, later: a chain cannot name it.
    return refuse(`Task “${chosen.name}” depends on other tasks; queue it from the window that runs this queue, where its jobs can wait for each other.`);
  }
  const ids = new Map<string, string>();
  const jobs: Job[] = [];
  steps.forEach((step, index) => {
    const after = step.after.map((name) => ids.get(name)!);
    const job = queuedJob(submitJob(ctx.service, ctx.log, specs[index]!, after.length ? { after: { ids: after, condition: 'success' } } : undefined));
    if (job) {
      ids.set(step.name, job.id);
      jobs.push(job);
    }
  });
  return jobs;
}

function queuedMessage(chosen: vscode.Task, jobs: readonly Job[]): string {
  const last = jobs.at(-1)!;
  const first = jobs.length > 1 ? ` after ${jobs.slice(0, -1).map((j) => jobName(j)).join(', ')}` : '';
  return `$(add) Queued task “${chosen.name}” as ${jobName(last)}${first}`;
}

/** Add Task as Job…: pick a workspace task, or name one; it and the tasks it depends on are queued. */
export const addTaskAsJob: CommandDefinition = {
  id: 'jobQueue.addTaskAsJob',
  async run(ctx, taskName?: unknown): Promise<Job | undefined> {
    if (!ctx.requireTrust()) return undefined;
    const tasks = await vscode.tasks.fetchTasks();
    const lookupOf = lookupsOf(tasks);
    const queueable = tasks.filter((task) => isQueueable(task, lookupOf(task)));
    let chosen: vscode.Task | undefined;
    if (typeof taskName === 'string') {
      chosen = queueable.find((t) => t.name === taskName);
      if (!chosen) return refuse(`No shell or process task named “${taskName}”.`);
    } else {
      chosen = await pickTask(tasks, queueable);
    }
    if (!chosen) return undefined;
    // Resolved now, against the editor and settings as they are when the task is queued.
    const lookup = lookupOf(chosen);
    const plan = planTask(chosen.name, lookup);
    if (!plan.ok) return refuse(plan.message);
    const jobs = queueSteps(ctx, chosen, plan.steps, lookup);
    if (!jobs?.length) return undefined;
    vscode.window.setStatusBarMessage(queuedMessage(chosen, jobs), 4000);
    return jobs.at(-1);
  },
};
