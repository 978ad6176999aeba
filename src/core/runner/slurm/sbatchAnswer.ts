// What sbatch's answer means for a submission: submitted (its id), maybe taken (the answer was lost
// on the way back: the job is looked for by its tag, never guessed either way), or not submitted
// (refused by Slurm, or a controller that could not be reached — said as which it was).
import { slurmMessage, type CommandResult } from './slurmCommands';
import { parseSubmittedId } from './squeue';

/** sbatch's words for a controller it could not reach (not a refusal of the job; nothing reached it). */
const UNREACHABLE = /unable to contact slurm controller|connect(ion)? (failure|refused)/i;
/** An answer lost on the way back: the controller may have taken the job. */
const MAYBE_TAKEN = /socket timed out|zero bytes were transmitted/i;

export type SbatchAnswer = { kind: 'submitted'; id: string } | { kind: 'maybeTaken' } | { kind: 'notSubmitted'; reason: string };

export function judgeSbatchAnswer(result: CommandResult): SbatchAnswer {
  const id = result.ok ? parseSubmittedId(result.stdout) : undefined;
  if (id) return { kind: 'submitted', id };
  const message = slurmMessage(result);
  if (result.failure === 'timeout' || result.ok || MAYBE_TAKEN.test(message)) return { kind: 'maybeTaken' };
  return { kind: 'notSubmitted', reason: UNREACHABLE.test(message) ? `Could not start: the Slurm controller could not be reached (${message})` : `Slurm refused the job: ${message}` };
}
