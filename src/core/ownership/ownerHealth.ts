// Whether the owner could open the queue. A host that holds the lock but failed to restore the
// queue (a write error while recording what became of the running jobs, say) keeps the lock and
// tries again on its timer; meanwhile it says so in `owner.health`, so other windows and `jobq` can
// tell "the owner is there but cannot open the queue" from "nobody runs it". No file: healthy. The
// file names the instance it is about, so one left by a host that died says nothing about the next.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { writeFileAtomicSync } from '../store/atomicFile';
import { readLockText } from './lockFiles';
import type { OwnerInfo } from './role';

export const HEALTH_NAME = 'owner.health';

export const OwnerHealthSchema = z.object({
  v: z.literal(1),
  /** The lock holder this is about. */
  instance: z.string(),
  state: z.literal('openFailed'),
  /** What failed, in plain words (a storageFailed message names the file and the cause). */
  reason: z.string(),
  since: z.number(),
});
export type OwnerHealth = z.infer<typeof OwnerHealthSchema>;

/** Best effort: on a disk too full for even this small file, only the owner's own window can tell. */
export function reportOpenFailed(dir: string, owner: OwnerInfo, reason: string): void {
  const health: OwnerHealth = { v: 1, instance: owner.instance, state: 'openFailed', reason, since: Date.now() };
  try {
    writeFileAtomicSync(path.join(dir, HEALTH_NAME), JSON.stringify(health), 'say that the queue could not be opened');
  } catch {
    // The window that failed shows the failure itself; the others see a live owner.
  }
}

export function clearOpenFailed(dir: string): void {
  try {
    fs.rmSync(path.join(dir, HEALTH_NAME), { force: true });
  } catch {
    // A stale health file names an instance: it never describes another owner.
  }
}

/** Why `owner` could not open the queue, or undefined when it did (or says nothing). */
export function openFailure(dir: string, owner: OwnerInfo): string | undefined {
  try {
    const text = readLockText(path.join(dir, HEALTH_NAME));
    if (text === 'none') return undefined;
    const parsed = OwnerHealthSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.instance === owner.instance ? parsed.data.reason : undefined;
  } catch {
    return undefined;
  }
}
