// What the card and the tree show about a Slurm run: built from its last squeue row and what the
// runner knows (unreachable, pause method). Pure, so it is tested without a cluster.
import type { RunDetails } from '../types';
import type { SqueueRow } from './squeue';

export interface PauseMethod {
  method: 'scontrol suspend' | 'STOP/CONT signals';
  why: string;
}

export interface DetailsInput {
  slurmId: string | undefined;
  row: SqueueRow | undefined;
  /** sbatch asked, no answer yet. */
  submitting: boolean;
  unreachableSince: number | undefined;
  unreachableWhy: string | undefined;
  pauseMethod: PauseMethod | undefined;
  /** We hold it (paused while pending). */
  heldByUs: boolean;
  /** The sbatch options its script's #SBATCH lines gave, described. */
  fromScript?: string;
  /** A job array's tasks, described ("6 tasks: 3 done, 2 running, 1 waiting"). */
  array?: string;
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString();
}

export function slurmDetails(input: DetailsInput): RunDetails {
  const { row } = input;
  const id = input.slurmId ?? row?.id;
  const head = id ? `Slurm ${id}` : 'Slurm';
  let state = input.submitting && !row ? 'submitting' : row?.state ?? 'waiting for squeue';
  if (row?.state === 'PENDING' && row.reason && row.reason !== 'None') state += ` (${row.reason})`;
  else if (row && row.nodes && row.state !== 'PENDING') state += ` on ${row.nodes}`;
  if (row && row.restarts > 0) state += ` · requeued ${row.restarts}×`;
  if (input.array) state += ` · ${input.array}`;
  const summary = input.unreachableSince !== undefined
    ? `${head} · Slurm unreachable since ${clock(input.unreachableSince)}`
    : `${head} · ${state}`;
  const fields: Array<{ label: string; value: string }> = [];
  fields.push({ label: 'Slurm job', value: id ?? (input.submitting ? 'being submitted' : 'not known yet') });
  fields.push({ label: 'State', value: row?.state ?? (input.submitting ? 'submitting' : 'unknown') });
  if (input.unreachableSince !== undefined) {
    fields.push({ label: 'Controller', value: `unreachable since ${clock(input.unreachableSince)}${input.unreachableWhy ? ` (${input.unreachableWhy})` : ''}` });
  }
  if (row?.state === 'PENDING' && row.reason && row.reason !== 'None') fields.push({ label: 'Reason', value: row.reason });
  if (row?.nodes) fields.push({ label: 'Node', value: row.nodes });
  if (row) fields.push({ label: 'Elapsed', value: row.elapsed }, { label: 'Time limit', value: row.timeLimit });
  if (row && row.restarts > 0) fields.push({ label: 'Restarts', value: `${row.restarts} (requeued or preempted by Slurm)` });
  if (input.array) fields.push({ label: 'Array', value: input.array });
  if (input.fromScript) fields.push({ label: '#SBATCH', value: input.fromScript });
  if (input.heldByUs) fields.push({ label: 'Pause method', value: 'scontrol hold (it was still pending)' });
  else if (input.pauseMethod) fields.push({ label: 'Pause method', value: `${input.pauseMethod.method} — ${input.pauseMethod.why}` });
  return { summary, fields };
}

/** The same details, as one comparable string (listeners hear of changes only). */
export function detailsKey(details: RunDetails): string {
  return details.summary + '\n' + details.fields.map((f) => `${f.label}=${f.value}`).join('\n');
}
