// The controls a person reaches for while jobs run: drag to reorder, remove from the context menu,
// the status bar opening the card, Pause/Resume and Cancel on the card, Retry with Changes.
import { assert } from './lib.mjs';

export default async function controls(ctx) {
  const { wb, page } = ctx;
  await wb.openContainer('Job Queue');
  await wb.addJob('for i in $(seq 1 300); do echo "::progress $((i / 3))"; sleep 0.1; done', 'Train');
  await wb.addJob('echo quick', 'Quick');
  await wb.addJob('echo lint', 'Lint');

  // Drag "#3 Lint" onto "#1 Train": it takes Train's place.
  await wb.treeRow('3. Lint').dragTo(wb.treeRow('1. Train'));
  await wb.treeRow('1. Lint').waitFor();
  await wb.treeRow('2. Train').waitFor();

  // Remove from Queue, from the context menu.
  await wb.contextMenu('1. Lint', 'Remove from Queue');
  await wb.treeRow('1. Train').waitFor();
  await wb.treeRow('Queue (2)').waitFor();

  // Send Job from the palette; the status bar shows the running job; clicking it opens the card.
  await wb.runCommand('Job Queue: Send Job');
  const status = page.locator('.statusbar-item', { hasText: 'Train' }).first();
  await status.waitFor();
  await status.click();
  const card = wb.webview();
  await card.locator('.label', { hasText: 'Train' }).waitFor();
  await card.locator('.percent', { hasText: /^[1-9]\d?%$/ }).waitFor({ timeout: 20_000 });

  // Pause on the card: the job stops (badge and tree say so); Resume: it runs again.
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="pause"]'));
  await card.locator('.status', { hasText: 'Paused' }).waitFor();
  await wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Train' }).filter({ hasText: 'paused' }).first().waitFor();
  const frozen = await card.locator('.elapsed').textContent();
  await page.waitForTimeout(2200);
  assert((await card.locator('.elapsed').textContent()) === frozen, 'elapsed time stands still while paused');
  await wb.screenshot('06-paused-job');
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="resume"]'));
  await card.locator('.status', { hasText: 'Running' }).waitFor();

  // Cancel on the card: the run goes to the history as cancelled.
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="cancel"]'));
  await card.locator('.empty-state').waitFor();
  await wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Train' }).filter({ hasText: 'cancelled' }).first().waitFor();

  // Retry with Changes, from the history row: edit the command line before it is queued again.
  await wb.contextMenu(['Train', 'cancelled'], 'Retry with Changes');
  await wb.answerInput('echo "changed"', { title: 'Retry job' });
  await wb.chooseItem('Its turn', { title: 'Retry job' });
  await wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: '2. Train' }).filter({ hasText: 'echo "changed"' }).waitFor();
  await wb.screenshot('07-retry-with-changes');

  await cardFollowsTheme(wb);
  await wb.screenshot('08-dark-theme', { forDocs: true });
}

/** The card follows the workbench theme (it uses only --vscode-* colours). */
export async function cardFollowsTheme(wb) {
  const card = wb.webview();
  const background = () => card.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  const before = await background();
  await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
  await wb.page.waitForFunction(() => document.body.classList.contains('vs-dark') || document.querySelector('.monaco-workbench.vs-dark'), null, { timeout: 10_000 });
  let after = before;
  for (let i = 0; i < 50 && after === before; i++) {
    await wb.page.waitForTimeout(100);
    after = await background();
  }
  assert(luminance(before) > 0.5 && luminance(after) < 0.5, `the card turned dark with the theme (${before} → ${after})`);
}
