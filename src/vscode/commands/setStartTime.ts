import * as z from 'zod/mini';
import { jobName } from '../tree/jobPresentation';
import { refuse } from '../refusals';
import { assertWaitAction, performWaitAction } from './rowActions';
import { jobCommand } from './shared';
import { parseStartTime } from '../../core/startTime';
import { askStartTime } from './waitChoices';

/** What a caller (a test, a keybinding) may pass instead of typing: epoch ms, the typed forms (`02:00`, `+30m`), or null to clear. */
const GivenStartTimeSchema = z.union([z.number().check(z.refine(Number.isFinite)), z.string(), z.null()]);

/** The start time given as an argument: `{ at }`, or a plain message saying why it is not one. */
function givenStartTime(value: unknown): { at: number | undefined } | { problem: string } {
  const parsed = GivenStartTimeSchema.safeParse(value);
  if (!parsed.success) return { problem: 'A start time is a time (02:00, 2026-11-24 02:00, +30m), epoch milliseconds, or null to clear it.' };
  if (parsed.data === null) return { at: undefined };
  if (typeof parsed.data === 'number') return parsed.data > Date.now() ? { at: parsed.data } : { problem: 'That start time has already passed.' };
  const typed = parseStartTime(parsed.data);
  return typed.ok ? { at: typed.at } : { problem: typed.message };
}

/**
 * Set Start Time…: a queued job is not started before the time typed (`02:00` today or tomorrow,
 * `2026-11-24 02:00`, `+30m`); empty clears it. With an argument (`id`, time) it asks nothing. A bad
 * time changes nothing and says why.
 */
export const setStartTime = jobCommand('jobQueue.setStartTime', {
  placeHolder: 'Give which queued job a start time?',
  action: 'startTime',
  async run(ctx, row, args, by) {
    assertWaitAction('startTime', row);
    // (id, time) from a caller; (node, selection) from the tree: then it asks.
    const given = args.length > 1 && !Array.isArray(args[1]) ? givenStartTime(args[1]) : undefined;
    if (given && 'problem' in given) return refuse(`${jobName(row.job)}: ${given.problem}`);
    const answer = given ?? await askStartTime(`Start ${jobName(row.job)} not before…`, row.job.notBefore);
    if (!answer) return undefined;
    return performWaitAction(ctx.service, 'startTime', row, answer.at !== undefined ? { by, notBefore: answer.at } : { by });
  },
});
