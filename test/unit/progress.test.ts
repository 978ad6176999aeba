import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputTail } from '../../src/core/outputTail';
import { estimateEta, latestProgress, median, parseProgressLine } from '../../src/core/progress';
import { can } from '../../src/core';
import { tempDir } from './helpers';

describe('progress parsing', () => {
  const cases: Array<[string, number | undefined]> = [
    ['::progress 42', 42],
    ['::progress 250', 100],
    ['Downloading 37%', 37],
    ['building 12.5 % done', 12.5],
    [' 42%|████▍     | 42/100 [00:01<00:02, 30.0it/s]', 42],
    ['epoch 3/10', 30],
    ['[7/8] Linking CXX executable app', 87.5],
    ['(1 / 4)', 25],
    ['no progress here', undefined],
    ['see src/app/main.ts and 2024/11/22', undefined],
    ['ratio 5/0', undefined],
    ['12/10 is not progress', undefined],
    ['150% of budget', undefined],
  ];
  for (const [line, expected] of cases) {
    it(`reads ${JSON.stringify(line)} as ${expected}`, () => assert.equal(parseProgressLine(line), expected));
  }

  it('takes the most recent line that says something', () => {
    assert.equal(latestProgress(['10%', '20%', 'done with step', '']), 20);
    assert.equal(latestProgress(['nothing']), undefined);
  });
});

describe('ETA', () => {
  it('comes from the rate once there is progress', () => {
    assert.deepEqual(estimateEta({ percent: 25, elapsedMs: 10_000, typicalDurationMs: 1 }), { etaMs: 30_000, etaSource: 'rate' });
  });
  it('falls back to the median of earlier runs', () => {
    assert.deepEqual(estimateEta({ percent: undefined, elapsedMs: 4_000, typicalDurationMs: 10_000 }), { etaMs: 6_000, etaSource: 'history' });
    assert.deepEqual(estimateEta({ percent: undefined, elapsedMs: 40_000, typicalDurationMs: 10_000 }), { etaMs: 0, etaSource: 'history' });
  });
  it('is unknown with neither', () => {
    assert.deepEqual(estimateEta({ percent: undefined, elapsedMs: 4_000, typicalDurationMs: undefined }), {});
    assert.deepEqual(estimateEta({ percent: 0.5, elapsedMs: 4_000, typicalDurationMs: undefined }), {});
  });
  it('median', () => {
    assert.equal(median([]), undefined);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
  });
});

describe('output tail', () => {
  it('reads only a bounded window of a large file and reports changes once', async () => {
    const file = path.join(tempDir(), 'out.log');
    const big = Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    fs.writeFileSync(file, big);
    const tail = new OutputTail(file, { windowBytes: 4096, maxLines: 50 });
    const read = await tail.readIfChanged();
    assert.equal(read!.lines.length, 50);
    assert.equal(read!.lines[49], 'line 199999');
    assert.ok(read!.lines.every((l) => /^line \d+$/.test(l)), 'no torn first line');
    assert.equal(await tail.readIfChanged(), undefined);
    fs.appendFileSync(file, 'step 1\rstep 2\rstep 3\n');
    assert.deepEqual((await tail.readIfChanged())!.lines.slice(-3), ['step 1', 'step 2', 'step 3']);
  });
});

describe('lifecycle rules', () => {
  it('cancel only queued/running/paused; retry only finished', () => {
    for (const s of ['queued', 'running', 'paused'] as const) assert.ok(can('cancel', s));
    for (const s of ['completed', 'failed', 'cancelled', 'interrupted'] as const) {
      assert.ok(!can('cancel', s));
      assert.ok(can('retry', s));
    }
    for (const s of ['queued', 'running', 'paused'] as const) assert.ok(!can('retry', s));
    assert.ok(can('pause', 'running') && !can('pause', 'paused') && can('resume', 'paused'));
  });
});
