// A job array (`--array=0-99%10`) is ONE queue job whose run is the whole array: Slurm runs its
// tasks (at most N at once with %N), each task's wrapper writes its own exit file (`<exit>.<task>`),
// and the run ends when every task has: completed if all exited 0, otherwise with the worst task's
// status (a signal over a non-zero exit over success; the highest code among equals). Cancel
// cancels the array (scancel of its id ends every task).
import type { RunExit } from '../types';
import { readExitFile } from './slurmFiles';

/** Slurm's own default MaxArraySize is 1001; a larger array is refused here before sbatch is asked. */
const MAX_TASKS = 100_000;

/** The task ids of an `--array` value ("0-5%2", "1,3,7-9", "0-15:4"), or why it cannot be read. */
export function arrayTaskIds(spec: string): number[] | { problem: string } {
  const [indexes, limit] = spec.split('%');
  if (limit !== undefined && !/^\d+$/.test(limit)) return { problem: `--array=${spec}: the limit after % must be a number` };
  const ids = new Set<number>();
  for (const part of (indexes ?? '').split(',')) {
    const range = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!range) return { problem: `--array=${spec}: “${part}” is not an index, a range (0-9) or a range with a step (0-9:2)` };
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (to < from || step < 1) return { problem: `--array=${spec}: “${part}” is an empty range` };
    for (let id = from; id <= to; id += step) {
      ids.add(id);
      if (ids.size > MAX_TASKS) return { problem: `--array=${spec}: more than ${MAX_TASKS} tasks` };
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** The value of the last `--array=` among sbatch's words (the last one wins, as in sbatch). */
export function arraySpecOf(argv: readonly string[]): string | undefined {
  return argv.filter((word) => word.startsWith('--array=')).at(-1)?.slice('--array='.length);
}

export function taskExitFile(exitFile: string, task: number): string {
  return `${exitFile}.${task}`;
}

function severity(exit: RunExit): number {
  if (exit.kind === 'signalled') return 3_000 + (exit.exitCode ?? 0);
  if (exit.kind === 'exited') return exit.exitCode === 0 ? 0 : 1_000 + exit.exitCode;
  return 2_000;
}

/** The array's status: its worst task's, ended when the last task ended. */
export function worstExit(exits: readonly RunExit[]): RunExit {
  const worst = exits.reduce((a, b) => (severity(b) > severity(a) ? b : a));
  return { ...worst, finishedAt: Math.max(...exits.map((e) => e.finishedAt)) };
}

/** What the tasks' exit files say so far (ended tasks are remembered: each file is read until it exists). */
export class ArrayProgress {
  readonly ended = new Map<number, RunExit>();

  constructor(readonly tasks: readonly number[], private readonly exitFile: string) {}

  /** Reads the exit files of the tasks not yet known to have ended; the array's end once all have. */
  look(): RunExit | undefined {
    for (const task of this.tasks) {
      if (this.ended.has(task)) continue;
      const exit = readExitFile(taskExitFile(this.exitFile, task));
      if (exit) this.ended.set(task, exit);
    }
    return this.ended.size === this.tasks.length ? worstExit([...this.ended.values()]) : undefined;
  }

  get missing(): number[] {
    return this.tasks.filter((task) => !this.ended.has(task));
  }

  /** "6 tasks: 3 done, 1 failed, 2 not ended" (the card and the tree). */
  describe(running: number): string {
    const failed = [...this.ended.values()].filter((e) => !(e.kind === 'exited' && e.exitCode === 0)).length;
    const done = this.ended.size - failed;
    const rest = this.tasks.length - this.ended.size;
    const parts = [`${done} done`, ...(failed > 0 ? [`${failed} failed`] : []), ...(running > 0 ? [`${running} running`] : []), ...(rest - running > 0 ? [`${rest - running} waiting`] : [])];
    return `${this.tasks.length} tasks: ${parts.join(', ')}`;
  }
}
