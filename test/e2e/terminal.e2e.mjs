// The terminal command in the INSTALLED extension (the packaged .vsix), as a person or a coding agent
// uses it: in a new integrated terminal, `jobq add` queues a job — held for approval, the row shows
// the shield (held for approval) and the notification says it came from the terminal — and `jobq wait` blocks until the
// job ends and exits with its exit code once the notification's Release let it run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert } from './lib.mjs';

/** Waits (bounded) until `file` exists and has a complete line; returns its text. */
async function fileLine(file, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.endsWith('\n')) return text.trim();
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${file}: ${JSON.stringify(text)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export default async function terminal(ctx) {
  const { wb, page, workspace } = ctx;
  await wb.openContainer('Job Queue');
  await wb.runCommand('Job Queue: Enable Auto-run');
  // A terminal opened after the extension started: it has `jobq` on PATH.
  await wb.runCommand('Terminal: Create New Terminal');
  const term = page.locator('.terminal-wrapper.active .xterm').first();
  await term.waitFor();
  await term.click();
  const added = path.join(workspace, 'added.txt');
  const waited = path.join(workspace, 'waited.txt');
  // One line, as an agent would run it: add, then wait for the job with the id add printed.
  await page.keyboard.type(`jobq add --label 'From the terminal' -- sh -c 'echo hello; exit 4' > ${added}; `
    + `jobq wait "$(grep -o '#[0-9]*' ${added} | tr -d '#')"; echo "exit=$?" > ${waited}`);
  await page.keyboard.press('Enter');

  const said = await fileLine(added, 'jobq add to answer');
  assert(/^Job #\d+ queued \(held for your approval in VS Code\)$/.test(said), `jobq add says the job is queued and held: ${said}`);
  await wb.treeRow('1. From the terminal').locator('.codicon-shield').waitFor({ timeout: 20_000 });
  assert(!fs.existsSync(waited), 'jobq wait blocks while the job waits for approval');

  const notice = await wb.showNotification(/From the terminal.*from the terminal is waiting for your approval/, { timeout: 20_000 });
  await wb.screenshot('13-terminal-approval');
  await wb.pressLikeAPerson(notice.locator('.monaco-button', { hasText: /^Release$/ }).first());
  await wb.closeNotifications().catch(() => undefined);

  assert((await fileLine(waited, 'jobq wait to return')) === 'exit=4', 'jobq wait exits with the job\'s own exit code');
  await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'From the terminal' }).filter({ hasText: 'exit 4' }).first().waitFor();
}
