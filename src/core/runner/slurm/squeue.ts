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
}

/** The fields asked for, `|`-separated (`-O` so the restart count is there too). */
export const SQUEUE_FORMAT = 'JobID:|,Name:|,State:|,RestartCnt:|,NodeList:|,TimeUsed:|,TimeLimit:|,Reason:';

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
    if (parts.length < 8) continue;
    const [id, name, state, restarts, nodes, elapsed, timeLimit] = parts.map((p) => p.trim());
    if (!name!.startsWith(prefix) || !/^\d+/.test(id!)) continue;
    const row: SqueueRow = {
      id: id!,
      name: name!,
      state: state!.replace(/\+$/, ''),
      restarts: Number.parseInt(restarts!, 10) || 0,
      nodes: nodes === '(null)' ? '' : nodes!,
      elapsed: elapsed!,
      timeLimit: timeLimit!,
      reason: parts.slice(7).join('|').trim(),
    };
    const seen = rows.get(row.name);
    if (!seen || Number.parseInt(row.id, 10) > Number.parseInt(seen.id, 10)) rows.set(row.name, row);
  }
  return rows;
}

/** `sbatch --parsable` prints `id` or `id;cluster`. */
export function parseSubmittedId(stdout: string): string | undefined {
  const match = /^\s*(\d+)(;\S+)?\s*$/m.exec(stdout);
  return match?.[1];
}
