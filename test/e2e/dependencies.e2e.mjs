// Holds and dependencies the way a person uses them: Run After… from a queued job's context menu
// (pick the job it waits for, then "After success"), and the dependent starts only after its
// dependency completes; a job another tool adds lands held for approval, the notification says so,
// and its Release button lets it run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { assert } from './lib.mjs';

/** The queue's storage folder (the one with queue.json) under the run's user data. */
function findStorage(root) {
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) {
      const found = findStorage(full);
      if (found) return found;
    } else if (entry.name === 'queue.json' && full.includes('job-queue')) {
      return root;
    }
  }
  return undefined;
}

/** What another tool does through the API, written as a request to the window that runs the queue (its inbox). */
function submitFromATool(storageDir, spec) {
  const dir = path.join(storageDir, 'inbox');
  fs.mkdirSync(dir, { recursive: true });
  const request = { v: 1, requestId: randomUUID(), at: Date.now(), from: 'e2e', spec };
  const final = path.join(dir, `${request.at}-${request.requestId}.json`);
  fs.writeFileSync(`${final}.tmp`, JSON.stringify(request));
  fs.renameSync(`${final}.tmp`, final);
}

export default async function dependencies(ctx) {
  const { wb, page, layout } = ctx;
  // Two slots: a free slot is there for the dependent, so only its dependency can hold it back.
  fs.mkdirSync(path.join(ctx.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ctx.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'jobQueue.maxParallelJobs': 2 }, null, 2));
  await wb.openContainer('Job Queue');
  // The dependent is first in the queue: without its dependency, auto-run would start it first.
  await wb.addJob('echo dependent ran', 'Dependent');
  await wb.addJob('sleep 4; echo dependency done', 'Dependency');

  // Run After… from the context menu: pick "Dependency", then "After success".
  await wb.contextMenu('1. Dependent', 'Run After');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /Run Job #\d+ after/ }).waitFor();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dependency' }).first().click();
  await page.locator('.quick-input-list .monaco-list-row[aria-checked="true"]', { hasText: 'Dependency' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'After success' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  // The row shows that it waits (the watch icon).
  await wb.treeRow('1. Dependent').locator('.codicon-watch').waitFor();
  await wb.screenshot('11-run-after');

  // Auto-run: the dependency starts; the dependent stays queued while it runs.
  await wb.runCommand('Job Queue: Enable Auto-run');
  // One dispatch round takes every job that may start: with a slot free, the dependent would be
  // running beside its dependency now if it did not wait.
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Running (1/2)' }).first().waitFor();
  assert(await wb.treeRow('1. Dependent').isVisible(), 'the dependent is still queued while its dependency runs');
  // Then the dependency completes and the dependent runs.
  await wb.treeRow('Queue (0)').waitFor({ timeout: 20_000 });
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Dependent' }).filter({ hasNotText: '1.' }).first().waitFor();

  // A job another tool adds lands held for approval: the notification's Release lets it run.
  const storageDir = findStorage(path.join(layout.runDir, 'user-data'));
  assert(storageDir, 'the queue has a storage folder');
  submitFromATool(storageDir, { command: 'echo approved', label: 'From a tool', source: { kind: 'api', extensionId: 'e2e.tool' } });
  await wb.treeRow('1. From a tool').locator('.codicon-shield').waitFor({ timeout: 20_000 });
  // A job queued behind it runs and completes (auto-run is on), while the held one stays put.
  await wb.addJob('echo sentinel', 'Sentinel');
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Sentinel' }).filter({ hasNotText: /\d+\. Sentinel/ }).first().waitFor({ timeout: 20_000 });
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: /Running \(\d+\/\d+\)/ }).first().waitFor({ state: 'hidden', timeout: 20_000 });
  assert(await wb.treeRow('1. From a tool').isVisible(), 'a job held for approval does not run, even with auto-run');
  const notice = await wb.showNotification(/From a tool.*from e2e\.tool is waiting for your approval/, { timeout: 20_000 });
  await wb.screenshot('12-approval-notification');
  await wb.pressLikeAPerson(notice.locator('.monaco-button', { hasText: /^Release$/ }).first());
  await wb.closeNotifications().catch(() => undefined);
  await wb.treeRow('Queue (0)').waitFor({ timeout: 20_000 });
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'From a tool' }).filter({ hasNotText: '1.' }).first().waitFor();
}
