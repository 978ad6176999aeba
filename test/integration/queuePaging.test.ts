// The Queue group pages like the history: its first 100 rows and a "Show N more…" row, so a queue
// of 10,000 jobs costs the view a page, not the whole queue (docs/benchmarks.md, the UI at scale).
// Positions stay those of the whole queue.
import * as assert from 'node:assert/strict';
import type { JobQueueApi } from '../../src/api';
import { activateExtension, run } from './helpers';

type TreeRow = { group: string; label: string; description: string; contextValue: string; id: string };

let api: JobQueueApi;

async function queueRows(): Promise<TreeRow[]> {
  return (await run<TreeRow[]>('_describeTree')).filter((r) => r.group === 'queue');
}

async function reset(): Promise<void> {
  await run('disableAutoRun');
  await run('pauseQueue');
  for (const job of api.getSnapshot().running) await run('cancelJob', job.id);
  await run('cancelAllQueued', { confirm: false });
  await run('clearHistory', { confirm: false });
  await run('resumeQueue');
}

describe('The Queue group pages in', function () {
  this.timeout(60_000);

  before(async () => {
    api = await activateExtension();
    await reset();
    await run('pauseQueue');
  });

  after(reset);

  it('shows the first 100 jobs with their positions, then "Show more…"; the next page keeps counting', async () => {
    const ids = Array.from({ length: 105 }, (_, i) => api.enqueue({ command: `echo ${i}`, label: `page ${i + 1}` })!.id);
    const first = await queueRows();
    assert.equal(first.length, 101, '100 rows and a "Show more…" row');
    assert.deepEqual(first.slice(0, 100).map((r) => r.label), ids.slice(0, 100).map((_, i) => `${i + 1}. page ${i + 1}`));
    assert.deepEqual(first.slice(0, 100).map((r) => r.id), ids.slice(0, 100).map((id) => `queue:${id}`));
    const more = first[100]!;
    assert.equal(more.id, 'queue:more');
    assert.match(more.label, /^Show 5 more…$/);
    assert.match(more.description, /^5 more queued$/);
    assert.equal(more.contextValue, '', 'no job actions on the "Show more…" row');

    await run('showMoreQueued');
    const all = await queueRows();
    assert.deepEqual(all.map((r) => r.label), ids.map((_, i) => `${i + 1}. page ${i + 1}`), 'every job, positions in queue order, no "Show more…" row');
  });

  it('positions follow the queue: a job moved from beyond the page shows at its new place', async () => {
    const last = api.getSnapshot().queued.at(-1)!;
    await run('moveToTop', last.id);
    const rows = await queueRows();
    assert.equal(rows[0]!.id, `queue:${last.id}`);
    assert.match(rows[0]!.label, /^1\. /);
    assert.deepEqual(rows.map((r) => Number(/^(\d+)\. /.exec(r.label)?.[1])), rows.map((_, i) => i + 1), 'positions count 1, 2, 3… down the group');
  });
});
