// The status bar item carries ONE icon — the state that matters most — and says the rest in words.
import * as assert from 'node:assert/strict';
import type { Job } from '../../src/core';
import { statusBarText } from '../../src/vscode/statusBarText';

const job = (id: string, extra: Partial<Job> = {}): Job => ({ id, spec: { command: `run ${id}`, label: `Job ${id}` }, status: 'running', attempt: 1, createdAt: 0, ...extra });
const base = { running: [] as Job[], queued: 0, paused: false, follower: false, percent: undefined };
const icons = (text: string | undefined): string[] => text?.match(/\$\([a-z~-]+\)/g) ?? [];

describe('status bar item: one icon', () => {
  it('nothing running or queued in the window that runs the queue: hidden', () => {
    assert.equal(statusBarText(base), undefined);
  });

  it('every combination of states shows exactly one icon, the most important one first', () => {
    assert.equal(statusBarText({ ...base, queued: 3 }), '$(list-ordered) 3 queued');
    assert.equal(statusBarText({ ...base, queued: 3, paused: true }), '$(debug-pause) paused · 3 queued');
    assert.equal(statusBarText({ ...base, running: [job('1')], queued: 2, paused: true, percent: 42.7 }), '$(sync~spin) Job 1 42% · paused · 2 queued');
    assert.equal(statusBarText({ ...base, running: [job('1', { status: 'paused' })] }), '$(sync~spin) Job 1 (paused)');
    assert.equal(statusBarText({ ...base, running: [job('1'), job('2')], queued: 1 }), '$(sync~spin) 2 running · 1 queued');
    assert.equal(statusBarText({ ...base, follower: true, running: [job('1')], paused: true }), '$(link) other window · Job 1 · paused');
    for (const running of [[], [job('1')], [job('1'), job('2')]]) {
      for (const paused of [false, true]) {
        for (const follower of [false, true]) {
          const text = statusBarText({ ...base, running, queued: 1, paused, follower });
          assert.equal(icons(text).length, 1, `one icon: ${text}`);
        }
      }
    }
  });

  it('a job title cannot add an icon', () => {
    const text = statusBarText({ ...base, running: [job('1', { spec: { command: 'x', label: '$(bug) sneaky' } })] });
    assert.equal(icons(text).length, 1, String(text));
  });
});
