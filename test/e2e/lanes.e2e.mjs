// Lanes the way a person uses them: with two lanes configured the Queue shows a group per lane;
// Add Job asks the lane; the gpu lane paused from its group's inline button keeps its job waiting
// (the row says so) while a job in the default lane runs; Resume Lane lets it run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert } from './lib.mjs';

export function setUp({ workspace }) {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'jobQueue.lanes': { gpu: 1 } }, null, 2));
  return {};
}

/** The lane's group row in the Queue (its label is the lane's name; its description says its use). */
function laneRow(wb, lane) {
  // The row's text is its label then its description, with no space between: `gpu0 of 1 slot busy…`.
  return wb.page.locator('.monaco-list-row[role="treeitem"]').filter({ hasText: new RegExp(`^\\s*${lane}\\d+ of \\d+ slot`) }).first();
}

export default async function lanes(ctx) {
  const { wb, page } = ctx;
  await wb.openContainer('Job Queue');
  await wb.addJob('echo on the gpu', 'GPU job', { lane: 'gpu' });
  await laneRow(wb, 'gpu').waitFor();
  await laneRow(wb, 'default').waitFor();

  // Pause Lane: the inline button on the lane's row (shown on hover).
  const gpu = laneRow(wb, 'gpu');
  await gpu.hover();
  // Pressed like a person (down, 400 ms, up) while the tree updates.
  await wb.pressLikeAPerson(gpu.locator('.actions .action-label[aria-label^="Pause Lane"]'));
  await laneRow(wb, 'gpu').filter({ hasText: 'paused' }).waitFor();

  await wb.addJob('echo in the default lane', 'Default job', { lane: 'default' });
  await wb.runCommand('Job Queue: Enable Auto-run');
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'History (1)' }).first().waitFor();
  const waiting = page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'GPU job' }).first();
  assert(/its lane is paused/.test((await waiting.textContent()) ?? ''), 'the gpu job waits, and its row says why');
  await wb.screenshot('12-lane-paused');

  // Resume Lane from the same row: the gpu job runs.
  const paused = laneRow(wb, 'gpu');
  await paused.hover();
  await wb.pressLikeAPerson(paused.locator('.actions .action-label[aria-label^="Resume Lane"]'));
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'History (2)' }).first().waitFor();
}
