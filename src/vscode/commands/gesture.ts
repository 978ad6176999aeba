// Who a command's argument comes from. VS Code lets any extension (or an agent tool that can run
// commands) call our commands with any argument, so an argument counts as a person's gesture only
// when it is an object our own UI made: a row the Jobs view showed (the workbench hands back the
// very instance), or a token our notifications, dialogs and quick picks mint when a person clicks.
// A string id or a plain object proves nothing about who clicked: it is `external`, and the
// approval rule treats it like the API (a job held for approval is never released by it; a job
// spec passed as an argument lands held for approval).
import type { RunRef } from './runRef';

export type ArgumentOrigin = 'user' | 'external';

/** A person's click in our own notification, dialog or quick pick, on one job (its id) or one run of it. */
export interface PersonGesture { readonly kind: 'personGesture'; readonly ref: string | RunRef }

/** Only tokens minted here count: a look-alike object from elsewhere is not in this set. */
const minted = new WeakSet<object>();

/** Mint only in a handler that runs because a person clicked our own button or picked our item. */
export function personGesture(ref: string | RunRef): PersonGesture {
  const gesture: PersonGesture = Object.freeze({ kind: 'personGesture', ref });
  minted.add(gesture);
  return gesture;
}

export function isPersonGesture(value: unknown): value is PersonGesture {
  return typeof value === 'object' && value !== null && minted.has(value);
}
