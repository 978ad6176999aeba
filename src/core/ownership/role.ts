// Who runs this queue. One host (a VS Code window's extension host) owns a storage folder at a time;
// any other host on the same folder follows it: it shows the owner's queue and history, refuses
// actions with a plain message, and forwards new jobs through the owner's inbox.
import * as z from 'zod/mini';

/** The identity written in the lock file: a pid alone can be reused, a pid plus its start time cannot. */
export const OwnerInfoSchema = z.object({
  v: z.literal(1),
  pid: z.int().check(z.positive()),
  startToken: z.string(),
  /** Distinguishes two services in one process (tests, or two folders of one host). */
  instance: z.string().check(z.minLength(1)),
  /** What the user is told: e.g. "VS Code window (pid 1234)". */
  label: z.string(),
  since: z.number(),
});
export type OwnerInfo = z.infer<typeof OwnerInfoSchema>;

export type QueueRole =
  | { kind: 'owner' }
  | { kind: 'follower'; owner: OwnerInfo };

export function describeOwner(owner: OwnerInfo): string {
  return `${owner.label} (pid ${owner.pid}, since ${new Date(owner.since).toLocaleTimeString()})`;
}

export function notOwnerMessage(owner: OwnerInfo): string {
  return `This queue is run by another VS Code window — ${describeOwner(owner)}. Act on it there; jobs added here are passed to it.`;
}

/** What the window whose open failed says (and refuses actions with) until a retry succeeds. */
export function openFailedMessage(reason: string): string {
  return `This window could not open the job queue: ${reason} Nothing runs until it can; it tries again every few seconds. If this keeps failing, fix the cause and reload the window.`;
}

/** What the other windows are told about an owner that holds the folder but could not open it. */
export function ownerOpenFailedMessage(owner: OwnerInfo, reason: string): string {
  return `The VS Code window that runs this queue — ${describeOwner(owner)} — cannot open it: ${reason} It tries again by itself; if this keeps failing, reload that window.`;
}
