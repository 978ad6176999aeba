// Set Start Time's input (also Add Job's and Retry with Changes' "at a time…"): the forms a person
// types, read in local time, and a plain message for anything else.
import * as assert from 'node:assert/strict';
import { parseStartTime, startTimeProblem } from '../../src/core/startTime';
import { localDateTime } from '../../src/vscode/tree/waitText';

/** 2026-03-10 14:20:30 local time. */
const NOW = new Date(2026, 2, 10, 14, 20, 30).getTime();
const at = (text: string) => {
  const parsed = parseStartTime(text, NOW);
  assert.ok(parsed.ok, `${text}: ${parsed.ok ? '' : parsed.message}`);
  return parsed.at;
};
const local = (...args: [number, number, number, number, number]) => new Date(...args).getTime();

describe('start time input', () => {
  it('HH:MM is today while it is ahead, else tomorrow', () => {
    assert.equal(at('16:05'), local(2026, 2, 10, 16, 5));
    assert.equal(at('9:00'), local(2026, 2, 11, 9, 0), 'already past today: tomorrow');
    assert.equal(at('14:20'), local(2026, 2, 11, 14, 20), 'this very minute has begun: tomorrow');
    assert.equal(at(' 00:00 '), local(2026, 2, 11, 0, 0));
  });

  it('YYYY-MM-DD HH:MM is that moment, if it is ahead', () => {
    assert.equal(at('2026-11-24 02:00'), local(2026, 10, 24, 2, 0));
    assert.equal(at('2026-03-10T15:00'), local(2026, 2, 10, 15, 0));
    assert.deepEqual(parseStartTime('2026-03-10 14:00', NOW), { ok: false, message: '2026-03-10 14:00 has already passed.' });
    assert.match(startTimeProblem('2026-02-30 10:00', NOW)!, /not a date and time that exists/);
    assert.match(startTimeProblem('2028-01-01 10:00', NOW)!, /more than a year ahead/);
  });

  it('+30m and +2h count from now', () => {
    assert.equal(at('+30m'), NOW + 30 * 60_000);
    assert.equal(at('+2h'), NOW + 2 * 3_600_000);
    assert.equal(at('+ 90 min'), NOW + 90 * 60_000);
    assert.match(startTimeProblem('+0m', NOW)!, /more than zero/);
  });

  it('empty clears the start time', () => {
    assert.deepEqual(parseStartTime('', NOW), { ok: true, at: undefined });
    assert.deepEqual(parseStartTime('   ', NOW), { ok: true, at: undefined });
  });

  it('anything else is refused with a plain message that shows the forms', () => {
    for (const text of ['tomorrow', '25:00', '12:60', '2pm', '+30', '+2d', '2026-11-24', '12:5']) {
      const problem = startTimeProblem(text, NOW);
      assert.ok(problem, `${text} is refused`);
      assert.match(problem, /not a|14:30/, `${text}: ${problem}`);
    }
    assert.equal(startTimeProblem('25:00', NOW), '25:00 is not a time of day (00:00 to 23:59).');
  });

  it('a start time offered for editing reads back as the same minute', () => {
    const later = local(2026, 5, 1, 8, 45);
    assert.equal(localDateTime(later), '2026-06-01 08:45');
    assert.equal(at(localDateTime(later)), later);
  });
});
