// A task's `dependsOn` as queue dependencies. VS Code runs a task's dependencies first — all at once
// (`dependsOrder: parallel`, its default) or one after another (`sequence`) — and the task only when
// they succeeded. As jobs: each task that runs a command is queued once, after the jobs that must end
// before it (condition `success`, as VS Code does); a task that only groups others (no command of its
// own) queues nothing and is "done" when its last ones are. Also read from tasks.json: the named
// problem matchers, which VS Code's task API does not hand over. No vscode import: the caller reads
// tasks.json (through the `tasks` configuration) and says which tasks have a command.
import * as z from 'zod/mini';

/** The part of a tasks.json entry VS Code's task API does not hand over; the rest is VS Code's business. */
export const TaskEntrySchema = z.object({
  label: z.optional(z.string()),
  /** The name before `label` (tasks.json version 0.1.0). */
  taskName: z.optional(z.string()),
  dependsOn: z.optional(z.union([z.string(), z.array(z.unknown())])),
  dependsOrder: z.optional(z.enum(['parallel', 'sequence'])),
  /** A name (`$tsc`), an inline matcher, or a list of them. */
  problemMatcher: z.optional(z.unknown()),
});
export type TaskEntry = z.infer<typeof TaskEntrySchema>;

/** The matchers an entry names (`"$tsc"`, `["$tsc", {…}]`): only a named one can be handed to VS Code again. */
export function namedMatchers(entry: TaskEntry | undefined): string[] {
  const matcher = entry?.problemMatcher;
  const list: unknown[] = Array.isArray(matcher) ? matcher : matcher === undefined ? [] : [matcher];
  return list.filter((m): m is string => typeof m === 'string');
}

/** One job to queue: the task `name`, after the earlier steps named in `after` (by task name). */
export interface PlannedStep {
  name: string;
  after: string[];
}

export type TaskPlan = { ok: true; steps: PlannedStep[] } | { ok: false; message: string };

export interface TaskGraph {
  /** The tasks.json entry of a task, by its label; undefined for a task not defined there (a contributed one). */
  entry(name: string): TaskEntry | undefined;
  /** Whether the task has a command Job Queue can run (shell or process). */
  runs(name: string): boolean;
}

/** The tasks.json entries, by label: entries that are not objects or have no label are left out. */
export function entriesByLabel(raw: unknown): Map<string, TaskEntry> {
  const byLabel = new Map<string, TaskEntry>();
  for (const item of Array.isArray(raw) ? raw : []) {
    const parsed = TaskEntrySchema.safeParse(item);
    const name = parsed.success ? (parsed.data.label ?? parsed.data.taskName) : undefined;
    if (parsed.success && name !== undefined && !byLabel.has(name)) byLabel.set(name, parsed.data);
  }
  return byLabel;
}

class PlanRefusal extends Error {}

/**
 * The jobs to queue for task `root`, its dependencies first, each after what it waits for. Refused,
 * with a sentence, for a cycle, a dependency named by its definition rather than its label, or one
 * that is not a shell or process task.
 */
export function planTask(root: string, graph: TaskGraph): TaskPlan {
  const steps: PlannedStep[] = [];
  /** What a task already planned is done after (its own job, or its last ones): a diamond is queued once. */
  const ends = new Map<string, string[]>();
  const visiting: string[] = [];

  const plan = (name: string, inherited: string[]): string[] => {
    const known = ends.get(name);
    if (known) return known;
    if (visiting.includes(name)) {
      throw new PlanRefusal(`Task “${root}” cannot be queued as a job: its dependencies go round in a circle (${[...visiting.slice(visiting.indexOf(name)), name].map((n) => `“${n}”`).join(' → ')}).`);
    }
    visiting.push(name);
    const entry = graph.entry(name);
    const dependencies = dependencyNames(name, entry?.dependsOn, root);
    let waits: string[];
    if (entry?.dependsOrder === 'sequence') {
      // One after another: each starts when the one before it ended (and the first, when what this task waits for did).
      waits = dependencies.reduce((previous, dependency) => plan(dependency, previous), inherited);
    } else {
      const all = dependencies.flatMap((dependency) => plan(dependency, inherited));
      waits = dependencies.length ? [...new Set(all)] : inherited;
    }
    visiting.pop();
    let done = waits;
    if (graph.runs(name)) {
      steps.push({ name, after: waits });
      done = [name];
    } else if (dependencies.length === 0) {
      throw new PlanRefusal(name === root
        ? `Task “${root}” has no shell or process command and no dependencies, so there is nothing to queue.`
        : `Task “${root}” depends on “${name}”, which is not a shell or process task Job Queue can run.`);
    }
    ends.set(name, done);
    return done;
  };

  try {
    plan(root, []);
    return { ok: true, steps };
  } catch (error) {
    if (error instanceof PlanRefusal) return { ok: false, message: `${error.message} Run it with Tasks: Run Task instead.` };
    throw error;
  }
}

function dependencyNames(name: string, dependsOn: TaskEntry['dependsOn'], root: string): string[] {
  if (dependsOn === undefined) return [];
  const list = typeof dependsOn === 'string' ? [dependsOn] : dependsOn;
  return list.map((item) => {
    if (typeof item === 'string') return item;
    throw new PlanRefusal(`Task “${root}” cannot be queued as a job: “${name}” names a dependency by its definition (${JSON.stringify(item)}), which Job Queue cannot look up; name it by its label.`);
  });
}
