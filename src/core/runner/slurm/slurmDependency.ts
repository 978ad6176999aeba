// A Slurm job submitted ahead of the jobs of ours it waits for: Slurm holds it with
// --dependency=afterok|afterany on their Slurm ids, which are known once their sbatch answered
// (their markers get the id; see slurmFiles.ts).
import { readMarker, type SlurmHandle } from './slurmFiles';

export interface SlurmWaitsFor {
  condition: 'success' | 'any';
  runs: SlurmHandle[];
}

/** How long a run waits for the Slurm ids of the runs it depends on (their sbatch may be in flight). */
const DEPENDENCY_ID_WAIT_MS = 120_000;
const LOOK_EVERY_MS = 100;

/**
 * `--dependency=afterok:<id>:<id>` once every run waited for has its Slurm id; or why not: ended
 * meanwhile (`cancelled`), or an id that never came (a refused or lost submission — that job fails,
 * and the engine pulls this one back).
 */
export async function dependencyOption(waitsFor: SlurmWaitsFor, cancelled: () => boolean): Promise<string | { cancelled: boolean; reason: string }> {
  const deadline = Date.now() + DEPENDENCY_ID_WAIT_MS;
  for (;;) {
    if (cancelled()) return { cancelled: true, reason: 'Ended before it was submitted to Slurm' };
    const markers = waitsFor.runs.map((run) => ({ run, marker: run.slurmId ? undefined : readMarker(run.marker) }));
    const refused = markers.find((m) => m.marker?.refused);
    if (refused) return { cancelled: false, reason: `Could not start: a job it waits for was refused by Slurm (${refused.run.tag})` };
    const ids = markers.map((m) => m.run.slurmId ?? m.marker?.slurmId);
    if (ids.every((id): id is string => id !== undefined)) return `--dependency=${waitsFor.condition === 'success' ? 'afterok' : 'afterany'}:${ids.join(':')}`;
    if (Date.now() > deadline) return { cancelled: false, reason: 'Could not start: a job it waits for never got a Slurm job id' };
    await new Promise((resolve) => setTimeout(resolve, LOOK_EVERY_MS));
  }
}
