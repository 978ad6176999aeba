// squeue's answer, parsed. One call lists every job of the user in every state (`-t all`, which also
// shows ended jobs until Slurm forgets them after MinJobAge); our jobs are picked out by their name
// (the tag) here, client-side. Not --json: in 22.05 it ignores -j and its shape changes by version.

export interface SqueueRow {
  id: string;
  name: string;
  state: string;
  restarts: number;
  nodes: string;
  elapsed: string;
  timeLimit: string;
  /** Why it is pending ("Priority", "Resources"); "None" otherwise. Last: it may hold anything. */
  reason: string;
  /** A job array: its tasks' rows merged into this one (its state is the array's), and how many tasks run. */
  array?: { running: number };
}

/**
 * The fields asked for, `|`-separated (`-O` so the restart count is there too). An array task's
 * JobID is its own id: ArrayJobID and ArrayTaskID ("N/A" for a job that is no array) tie it to its array.
 */
export const SQUEUE_FORMAT = 'JobID:|,ArrayJobID:|,ArrayTaskID:|,Name:|,State:|,RestartCnt:|,NodeList:|,TimeUsed:|,TimeLimit:|,Reason:';

export function squeueArgs(user: string): string[] {
  return ['-h', '-t', 'all', '-u', user, '-O', SQUEUE_FORMAT];
}

/** States after which a job runs no more (its record stays until MinJobAge). */
const ENDED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'SPECIAL_EXIT', 'REVOKED']);
/** States in which the job's processes exist (polled fast). */
const ACTIVE = new Set(['RUNNING', 'COMPLETING', 'SUSPENDED', 'CONFIGURING', 'STOPPED', 'SIGNALING', 'STAGE_OUT', 'RESIZING']);

export function isEndedState(state: string): boolean {
  return ENDED.has(state);
}

export function isActiveState(state: string): boolean {
  return ACTIVE.has(state);
}

/** Rows of jobs whose name starts with `prefix`, by name (a name seen twice: the newest job wins). */
export function parseSqueue(stdout: string, prefix: string): Map<string, SqueueRow> {
  const rows = new Map<string, SqueueRow>();
  for (const line of stdout.split('\n')) {
    if (!line.includes(prefix)) continue; // cheap first cut: most lines of a busy user are not ours
    const parts = line.split('|');
    if (parts.length < 10) continue;
    const [rawId, arrayJobId, arrayTaskId, name, state, restarts, nodes, elapsed, timeLimit] = parts.map((p) => p.trim());
    if (!name!.startsWith(prefix) || !/^\d+/.test(rawId!)) continue;
    const task = arrayTaskId && arrayTaskId !== 'N/A' ? `${arrayJobId}_${arrayTaskId}` : undefined;
    const row: SqueueRow = {
      id: task ?? rawId!,
      name: name!,
      state: state!.replace(/\+$/, ''),
      restarts: Number.parseInt(restarts!, 10) || 0,
      nodes: nodes === '(null)' ? '' : nodes!,
      elapsed: elapsed!,
      timeLimit: timeLimit!,
      reason: parts.slice(9).join('|').trim(),
    };
    const seen = rows.get(row.name);
    if (row.id.includes('_')) rows.set(row.name, mergeArrayTask(seen, row));
    else if (!seen || Number.parseInt(row.id, 10) > Number.parseInt(seen.id, 10)) rows.set(row.name, row);
  }
  return rows;
}

/** The array's state from its tasks': active while one runs, pending while one waits, else ended (the worst). */
function arrayState(a: string, b: string): string {
  const rank = (state: string) => (isActiveState(state) ? 3 : !isEndedState(state) ? 2 : state === 'COMPLETED' ? 0 : 1);
  return rank(b) > rank(a) ? b : a;
}

/** One task's row (`4711_3`, or `4711_[4-5%2]` for those still pending) merged into the array's row. */
function mergeArrayTask(array: SqueueRow | undefined, task: SqueueRow): SqueueRow {
  const id = task.id.split('_')[0]!;
  const running = isActiveState(task.state) ? 1 : 0;
  if (!array || Number(id) > Number(array.id)) return { ...task, id, array: { running } };
  if (Number(id) < Number(array.id)) return array; // an older submission under the same tag
  const nodes = [...new Set([array.nodes, task.nodes].filter(Boolean))].join(',');
  const state = arrayState(array.state, task.state);
  const reason = state === task.state && state !== array.state ? task.reason : array.reason;
  return { ...array, state, nodes, reason, restarts: Math.max(array.restarts, task.restarts), array: { running: (array.array?.running ?? 0) + running } };
}

/** `sbatch --parsable` prints `id` or `id;cluster`. */
export function parseSubmittedId(stdout: string): string | undefined {
  const match = /^\s*(\d+)(;\S+)?\s*$/m.exec(stdout);
  return match?.[1];
}
