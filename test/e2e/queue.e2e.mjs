// A person's first session: add jobs from the palette, send one, watch it on the running-job card,
// return it to the queue from the card, retry a failure from the tree's context menu, pause the queue
// from the title bar, restart VS Code and find everything again — the running job included.

/**
 * Waits on state, not on a timing window: polls `locator`'s text until `parse(text)` gives a value
 * that `accept` takes, and returns that value (progress only ever has to get past a point, however
 * fast or slow the machine gets there).
 */
async function until(locator, parse, accept, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let text;
  for (;;) {
    text = await locator.textContent({ timeout: 5_000 }).catch(() => undefined);
    const value = text == null ? undefined : parse(text.trim());
    if (value !== undefined && accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last seen: ${JSON.stringify(text)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const percentOf = (text) => (/^(\d+)%$/.exec(text) ? Number(text.slice(0, -1)) : undefined);
const secondsOf = (text) => {
  const m = /(\d\d):(\d\d):(\d\d)/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
};

export default async function queueWalkthrough(ctx) {
  const { wb } = ctx;
  await wb.openContainer('Job Queue');
  await wb.page.locator('.welcome-view-content', { hasText: 'No jobs yet' }).waitFor();
  await wb.screenshot('01-empty-queue');

  // Add two jobs through the command palette, as a person would.
  await wb.runCommand('Job Queue: Add Job');
  await wb.answerInput('for i in $(seq 1 600); do echo "step $i/600"; sleep 0.3; done', { title: 'Add Job (1/3)' });
  await wb.answerInput('Build', { title: 'Add Job (2/3)' });
  await wb.chooseItem('Its turn', { title: 'Add Job (3/3)' });
  await wb.treeRow('1. Build').waitFor();
  await wb.runCommand('Job Queue: Add Job');
  await wb.answerInput('echo "checking…"; exit 3', { title: 'Add Job (1/3)' });
  await wb.answerInput('Flaky test', { title: 'Add Job (2/3)' });
  await wb.chooseItem('Its turn', { title: 'Add Job (3/3)' });
  await wb.treeRow('2. Flaky test').waitFor();
  await wb.treeRow('Queue (2)').waitFor();
  await wb.screenshot('02-queue-with-positions', { forDocs: true });

  // Send Job from the view's title bar: the top job runs.
  await wb.viewTitleAction('Send Job');
  await wb.treeRow('Running (1/1)').waitFor();
  await wb.treeRow('1. Flaky test').waitFor();

  // The running-job card: progress and elapsed time move.
  await wb.runCommand('Job Queue: Show Running Job');
  const card = wb.webview();
  await card.locator('[data-job-id] h2', { hasText: 'Job #1 · Build' }).waitFor();
  await card.locator('.label', { hasText: 'Build' }).waitFor();
  await until(card.locator('.elapsed'), secondsOf, (s) => s >= 2, 'the card\'s elapsed time to reach 2 s');
  const shown = await until(card.locator('.percent'), percentOf, () => true, 'the card to show progress');
  await until(card.locator('.percent'), percentOf, (p) => p > shown, `the card's progress to move past ${shown}%`);
  await card.locator('.eta', { hasText: /ETA ~\d\d:\d\d:\d\d/ }).waitFor();
  await card.locator('.output', { hasText: 'step' }).waitFor();
  await wb.screenshot('03-running-job-card', { forDocs: true });

  // Cancel + Return to Queue, from the card: the same job goes to the bottom of the queue.
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="cancelAndRequeue"]'));
  await card.locator('.empty-state', { hasText: 'No job running' }).waitFor();
  await card.locator('.queue-count', { hasText: '2 jobs queued' }).waitFor();
  await wb.treeRow('2. Build').waitFor();
  await wb.treeRow('1. Flaky test').waitFor();

  // Send the flaky job from the card's empty state; it fails with exit code 3.
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="send"]'));
  await wb.treeRow('exit 3').waitFor({ timeout: 20_000 });
  await wb.expectNotification('failed (exit code 3)');

  // Retry from the history row's context menu: a new job at the bottom of the queue.
  await wb.contextMenu(['Flaky test', 'exit 3'], 'Retry Job');
  await wb.treeRow('2. Flaky test').waitFor();
  await wb.screenshot('04-history-and-retry', { forDocs: true });

  // Retry on the history row of an EARLIER run (Build's cancelled run; Build itself is queued again):
  // a new job from that run, at the bottom. Then remove it again, so the rest of the walk is unchanged.
  await wb.contextMenu(['Build', 'cancelled'], 'Retry Job');
  await wb.treeRow('3. Build').waitFor();
  await wb.treeRow('Queue (3)').waitFor();
  await wb.contextMenu('3. Build', 'Remove from Queue');
  await wb.treeRow('Queue (2)').waitFor();

  // Start the long job, then pause the queue from the title bar (running jobs keep running); the
  // toggle flips to Resume Queue.
  await wb.viewTitleAction('Send Job');
  await wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Build' }).filter({ hasText: /\d+% · \d\d:\d\d:\d\d/ }).first().waitFor({ timeout: 20_000 });
  await wb.viewTitleAction('Pause Queue');
  await wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Queue (1)' }).filter({ hasText: 'paused' }).waitFor();
  await wb.page.locator('a[aria-label^="Resume Queue"]').first().waitFor();

  // Restart code-server (the extension host dies with it). The job keeps running on its own and is
  // adopted again; the queue, the paused flag, the history and the card come back.
  await ctx.restart();
  await wb.openContainer('Job Queue');
  await wb.treeRow('Running (1/1)').waitFor({ timeout: 30_000 });
  await wb.treeRow('1. Flaky test').waitFor();
  await wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Queue (1)' }).filter({ hasText: 'paused' }).waitFor();
  await wb.treeRow('exit 3').waitFor();
  const card2 = wb.webview();
  await card2.locator('[data-job-id] .label', { hasText: 'Build' }).waitFor({ timeout: 30_000 });
  // Moving: two increases in a row. The first new value could still be a catch-up after the restart;
  // a second one can only come from the adopted job's live output.
  const first = await until(card2.locator('.percent'), percentOf, () => true, 'the adopted job\'s progress on the card');
  const second = await until(card2.locator('.percent'), percentOf, (p) => p > first, `the adopted job's progress to move past ${first}%`);
  await until(card2.locator('.percent'), percentOf, (p) => p > second, `the adopted job's progress to move past ${second}%`);
  await wb.screenshot('05-after-restart', { forDocs: true });

  // The adopted job answers its controls: cancel it from the card.
  await wb.pressLikeAPerson(card2.locator('vscode-button[data-action="cancel"]'));
  await card2.locator('.empty-state .queue-count', { hasText: '1 job queued · Queue paused' }).waitFor();
  await wb.viewTitleAction('Resume Queue');
  await wb.page.locator('a[aria-label^="Pause Queue"]').first().waitFor();
}
