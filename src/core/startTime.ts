// A start time as the user types it (Set Start Time…, Add Job, Retry with Changes, jobq add --at/--delay), in core
// (no VS Code) so the terminal command and the unit tests read it too: `14:30` (today, or tomorrow once that time has passed today),
// `2026-11-24 02:00`, `+30m` / `+2h`, and empty for "no start time". Local time throughout, as the
// tree shows start times ("starts at 02:00"); a job's own start time is offered for editing as
// waitText's localDateTime, which this reads back.

export type StartTimeParse = { ok: true; at: number | undefined } | { ok: false; message: string };

export const START_TIME_HELP = 'Type 14:30 (today, or tomorrow once past), 2026-11-24 02:00, +30m or +2h; empty: no start time.';

/** The longest delay accepted, so a slip (`+300000m`) is refused rather than parking a job for years. */
const MAX_AHEAD_MS = 366 * 24 * 3_600_000;

const CLOCK = /^(\d{1,2}):(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/;
const RELATIVE = /^\+\s*(\d{1,6})\s*(m|min|mins|minutes?|h|hr|hrs|hours?)$/i;

function clockOk(hours: number, minutes: number): boolean {
  return hours <= 23 && minutes <= 59;
}

export function parseStartTime(text: string, now = Date.now()): StartTimeParse {
  const value = text.trim();
  if (!value) return { ok: true, at: undefined };
  const relative = RELATIVE.exec(value);
  if (relative) {
    const amount = Number(relative[1]);
    const ms = amount * (relative[2]!.toLowerCase().startsWith('h') ? 3_600_000 : 60_000);
    if (amount === 0) return { ok: false, message: 'A delay must be more than zero (e.g. +30m).' };
    if (ms > MAX_AHEAD_MS) return { ok: false, message: 'That is more than a year ahead.' };
    return { ok: true, at: now + ms };
  }
  const clock = CLOCK.exec(value);
  if (clock) {
    const [hours, minutes] = [Number(clock[1]), Number(clock[2])];
    if (!clockOk(hours, minutes)) return { ok: false, message: `${value} is not a time of day (00:00 to 23:59).` };
    const at = new Date(now);
    at.setHours(hours, minutes, 0, 0);
    // Already past today: the next time the clock shows it (setDate keeps the wall-clock time across DST).
    if (at.getTime() <= now) at.setDate(at.getDate() + 1);
    return { ok: true, at: at.getTime() };
  }
  const dated = DATE_TIME.exec(value);
  if (dated) {
    const [year, month, day, hours, minutes] = dated.slice(1).map(Number) as [number, number, number, number, number];
    const at = new Date(year, month - 1, day, hours, minutes, 0, 0);
    // new Date rolls 2026-02-30 over to March: a date that does not exist is refused, not moved.
    if (!clockOk(hours, minutes) || at.getFullYear() !== year || at.getMonth() !== month - 1 || at.getDate() !== day) {
      return { ok: false, message: `${value} is not a date and time that exists.` };
    }
    if (at.getTime() <= now) return { ok: false, message: `${value} has already passed.` };
    if (at.getTime() - now > MAX_AHEAD_MS) return { ok: false, message: 'That is more than a year ahead.' };
    return { ok: true, at: at.getTime() };
  }
  return { ok: false, message: `“${value.slice(0, 40)}” is not a start time. ${START_TIME_HELP}` };
}

/** The input box's check: undefined when the text is a start time, else what is wrong. */
export function startTimeProblem(text: string, now = Date.now()): string | undefined {
  const parsed = parseStartTime(text, now);
  return parsed.ok ? undefined : parsed.message;
}
