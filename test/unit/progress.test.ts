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
    // Escape codes are not text: a coloured count or percentage is progress all the same.
    ['\x1b[32m42%\x1b[0m', 42],
    ['\x1b[1mepoch\x1b[0m \x1b[33m3\x1b[0m/\x1b[33m10\x1b[0m', 30],
    ['\x1b[38;5;196m[7/8]\x1b[0m Linking', 87.5],
    ['\x1b[38;2;0;255;0m::progress 64\x1b[0m', 64],
    ['\x1b[2K\x1b[1Gdownloading 55%', 55],
    ['\x1b]8;;https://example.com/1/2\x07link\x1b]8;;\x07 no progress', undefined],
    // A line redrawn with \r (tqdm, pip): its latest state.
    [' 10%|#   | 1/10\r 50%|##  | 5/10\r 70%|### | 7/10', 70],
    ['::progress 10\r::progress 20', 20],
    ['step 3/10\r\x1b[K', 30],
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
    // A line redrawn with \r is one line (the card collapses it as a terminal does).
    fs.appendFileSync(file, 'step 1\rstep 2\rstep 3\r\nnext\n');
    assert.deepEqual((await tail.readIfChanged())!.lines.slice(-2), ['step 1\rstep 2\rstep 3', 'next']);
  });

  it('keeps the latest redraws of a long progress line, and the start of any other long line', async () => {
    const file = path.join(tempDir(), 'out.log');
    const bar = Array.from({ length: 500 }, (_, i) => `\r${String(i).padStart(3)}/500`).join('');
    fs.writeFileSync(file, `${'x'.repeat(300)}\n${bar}`);
    const read = await new OutputTail(file, { maxLineLength: 100 }).readIfChanged();
    assert.equal(read!.lines[0], `${'x'.repeat(100)}…`);
    assert.ok(read!.lines[1]!.startsWith('\r') && read!.lines[1]!.endsWith('\r499/500'), JSON.stringify(read!.lines[1]));
    assert.ok(read!.lines[1]!.length <= 100);
    assert.equal(parseProgressLine(read!.lines[1]!), (499 / 500) * 100);
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
