// The owner's live run details (a Slurm job's state, reason, node), published beside the queue's
// files so that a follower window shows them too (it has no run of its own to ask). Written
// coalesced (at most once a second) and only when they changed; the elapsed time, which changes at
// every poll, is left out (a follower counts it from the run's start like the owner's card does).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import type { RunDetails } from '../runner/types';
import { CoalescingWriter } from './coalescingWriter';

export const RUN_DETAILS_FILE = 'run-details.json';

const RunDetailsSchema = z.object({
  summary: z.string(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
});
const RunDetailsFileSchema = z.record(z.string(), RunDetailsSchema);

/** Fields that change at every poll: publishing them would rewrite the file (and reload followers) each second. */
const VOLATILE = new Set(['Elapsed']);

export class RunDetailsFile {
  private readonly file: string;
  private readonly writer: CoalescingWriter;
  private last = '';
  private ids = new Set<string>();

  constructor(dir: string, onError: (error: unknown) => void) {
    this.file = path.join(dir, RUN_DETAILS_FILE);
    this.writer = new CoalescingWriter(this.file, onError, 1000, 'publish the running jobs\' details');
  }

  /** The owner: the details of its running jobs now (jobs without details are left out). */
  publish(details: ReadonlyMap<string, RunDetails>): void {
    const record = Object.fromEntries([...details].map(([id, d]) => [id, { summary: d.summary, fields: d.fields.filter((f) => !VOLATILE.has(f.label)) }]));
    const text = JSON.stringify(record);
    if (text === this.last) return;
    this.last = text;
    this.ids = new Set(details.keys());
    this.writer.schedule(() => ({ data: text }));
  }

  /** Whether the last publication holds this job (its end must then withdraw it). */
  published(jobId: string): boolean {
    return this.ids.has(jobId);
  }

  /** A follower: what the owner last published (a missing or damaged file: none). */
  read(): Map<string, RunDetails> {
    try {
      const parsed = RunDetailsFileSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      return new Map(parsed.success ? Object.entries(parsed.data) : []);
    } catch {
      return new Map();
    }
  }
}
