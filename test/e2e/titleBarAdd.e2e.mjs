// The title bar's + (Add Job…) with a row of the Jobs view focused, pressed like a person: the
// workbench hands the focused row to the command, which must open Add Job's steps — not take the
// row for a job spec ("Invalid job: command: …"). Then the default keybinding Ctrl+Alt+J A.
import { assert } from './lib.mjs';

export default async function titleBarAdd(ctx) {
  const { wb, page } = ctx;
  await wb.openContainer('Job Queue');
  await wb.addJob('echo first', 'First job');

  // Focus the row, as a person clicking it does.
  const row = wb.treeRow('1. First job');
  await row.click();
  await page.locator('.monaco-list-row[role="treeitem"].focused', { hasText: 'First job' }).first().waitFor();

  // The + of the Jobs view's title bar: down, ~400 ms, up.
  // (In a container with one view its actions sit in the side bar's title; else in the view's header.)
  const plus = page.locator('.pane-header .actions-container a[aria-label^="Add Job"]:visible, .title-actions a[aria-label^="Add Job"]:visible').first();
  await plus.waitFor();
  await wb.pressLikeAPerson(plus);

  // Add Job's first step opens, and the job it makes is queued after the first one.
  await wb.answerInput('echo second', { title: 'Add Job (1/3)' });
  await wb.answerInput('Second job', { title: 'Add Job (2/3)' });
  await wb.chooseItem('Its turn', { title: 'Add Job (3/3)' });
  await wb.treeRow('2. Second job').waitFor();
  await wb.screenshot('title-bar-add-with-focused-row');

  // The default keybinding reaches Add Job too (nothing in the workbench takes the chord first).
  await wb.treeRow('2. Second job').click();
  await page.keyboard.press('Control+Alt+j');
  await page.keyboard.press('a');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Add Job (1/3)' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

  // No refusal was shown on the way.
  const invalid = await page.locator('.notification-list-item', { hasText: 'Invalid job' }).count();
  assert(invalid === 0, 'no "Invalid job" notification');
}
