// The running-job card under a person's hands, while two jobs print ten lines a second each: every
// button is pressed as a person presses it (pointer to its centre, down, 400 ms, up) while the card
// updates under the pointer, and acts every time — Pause, Resume, Show Log, Cancel + Return to Queue,
// and Cancel of the job sent again. Keyboard focus on a card button survives 3 s of streaming output,
// selected output text survives an update, the output follows its end unless scrolled up, and the
// card is shown in the High Contrast theme.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert } from './lib.mjs';

const STREAM_A = 'for i in $(seq 1 1200); do echo "alpha $i/1200"; sleep 0.1; done';
const STREAM_B = 'for i in $(seq 1 1200); do echo "beta $i/1200"; sleep 0.1; done';

/**
 * Watches the card's document: output changes (and whether one lands while the mouse button is
 * down), which button the mouse went down and came up on, and which buttons were clicked. A new
 * webview (the card hidden and shown again) gets a new probe.
 */
async function installProbe(card) {
  await card.locator('body').evaluate(() => {
    if (window.__probe) return;
    const probe = { held: false, outputChanges: 0, outputChangesWhileHeld: 0, downOnMarked: false, upOnMarked: false, clicks: [] };
    window.__probe = probe;
    const inOutput = (node) => (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest('.output') != null;
    new MutationObserver((records) => {
      const n = records.filter((r) => inOutput(r.target)).length;
      probe.outputChanges += n;
      if (probe.held) probe.outputChangesWhileHeld += n;
    }).observe(document.getElementById('app'), { subtree: true, childList: true, characterData: true });
    const buttonOf = (event) => event.composedPath().find((n) => n instanceof Element && n.localName === 'vscode-button');
    document.addEventListener('mousedown', (e) => {
      probe.held = true;
      probe.outputChangesWhileHeld = 0;
      probe.downOnMarked = buttonOf(e)?.__marked === true;
    }, true);
    document.addEventListener('mouseup', (e) => {
      probe.held = false;
      probe.upOnMarked = buttonOf(e)?.__marked === true;
    }, true);
    document.addEventListener('click', (e) => probe.clicks.push(buttonOf(e)?.dataset.action ?? null), true);
  });
}

const probeOf = (card) => card.locator('body').evaluate(() => ({ ...window.__probe, clicks: [...window.__probe.clicks] }));

/**
 * Presses `button` like a person while the card streams, and proves the press was a real one: the
 * card's output changed while the mouse button was down, the button under the pointer at mouse-up
 * is the very element it went down on (not rebuilt), and exactly one click on it reached the card.
 * With `leavesCard` (Show Log opens the log's terminal, which takes the focus) only what
 * can be seen before mouse-up is checked; the caller checks that it acted.
 */
async function press(wb, card, button, action, { leavesCard = false } = {}) {
  const HOLD_MS = 400;
  await installProbe(card);
  await button.evaluate((el) => {
    for (const b of document.querySelectorAll('vscode-button')) delete b.__marked;
    el.__marked = true;
    window.__probe.clicks = [];
  });
  let held;
  await wb.pressLikeAPerson(button, {
    holdMs: HOLD_MS,
    whileHeld: async () => {
      await wb.page.waitForTimeout(HOLD_MS - 50);
      held = await probeOf(card);
    },
  });
  assert(held.held && held.downOnMarked, `${action}: the mouse button went down on it`);
  assert(held.outputChangesWhileHeld > 0, `${action}: the card's output updated while the mouse button was down (${held.outputChangesWhileHeld} changes)`);
  if (leavesCard) return;
  const probe = await probeOf(card);
  assert(probe.upOnMarked, `${action}: the mouse button came up on the same button element it went down on`);
  assert(probe.clicks.length === 1 && probe.clicks[0] === action, `${action}: one click on it reached the card (${JSON.stringify(probe.clicks)})`);
}

/** No refusal is shown anywhere on the card. */
async function noRefusal(card, what) {
  const shown = await card.locator('.notice:not([hidden])').allTextContents();
  assert(shown.length === 0, `${what}: the card shows no refusal (${JSON.stringify(shown)})`);
}

export default async function card(ctx) {
  const { wb, page } = ctx;
  // Two slots, so a second job keeps the card streaming while the first is paused.
  fs.mkdirSync(path.join(ctx.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ctx.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'jobQueue.maxParallelJobs': 2 }, null, 2));

  await wb.openContainer('Job Queue');
  await wb.addJob(STREAM_A, 'Stream A');
  await wb.addJob(STREAM_B, 'Stream B');
  await wb.runCommand('Job Queue: Send Job');
  await wb.treeRow('Running (1/2)').waitFor();
  await wb.runCommand('Job Queue: Send Job');
  await wb.treeRow('Running (2/2)').waitFor();

  await wb.runCommand('Job Queue: Show Running Job');
  let card = wb.webview();
  await card.locator('h1.slots', { hasText: 'Running (2 of 2 slots)' }).waitFor({ timeout: 20_000 });
  const sectionA = () => card.locator('section.card').filter({ hasText: 'Stream A' });
  const sectionB = () => card.locator('section.card').filter({ hasText: 'Stream B' });
  await sectionA().locator('.output .line', { hasText: /alpha \d+\/1200/ }).first().waitFor({ timeout: 20_000 });
  await sectionB().locator('.output .line', { hasText: /beta \d+\/1200/ }).first().waitFor({ timeout: 20_000 });
  const idA = await sectionA().getAttribute('data-job-id');
  const idB = await sectionB().getAttribute('data-job-id');
  const firstRun = await sectionA().getAttribute('data-attempt');
  // One identity: "Job #<id> · <label>"; no "Running Job #n", no queue position.
  await sectionA().locator('h2.title', { hasText: `Job #${idA} · Stream A` }).waitFor();
  const cardText = await card.locator('#app').textContent();
  assert(!/Running Job #/.test(cardText ?? ''), 'the card never numbers running jobs like ids');
  await installProbe(card);

  // ---- the keyboard: focus on a card button survives 3 s of streaming output -----------------------
  await card.locator('h1.slots').click();
  await page.keyboard.press('Tab');
  const focused = await card.locator('body').evaluate(() => {
    const el = document.activeElement;
    if (!el || el.localName !== 'vscode-button') return { tag: el?.localName ?? null };
    el.__focusMark = true;
    window.__probe.outputChanges = 0;
    return { tag: el.localName, action: el.dataset.action, job: el.closest('[data-job-id]')?.dataset.jobId };
  });
  assert(focused.tag === 'vscode-button', `Tab from the heading focuses a card button (${JSON.stringify(focused)})`);
  await page.waitForTimeout(3000);
  const still = await card.locator('body').evaluate(() => ({
    same: document.activeElement?.__focusMark === true,
    active: document.activeElement?.localName,
    changes: window.__probe.outputChanges,
  }));
  assert(still.changes > 0, `the output streamed meanwhile (${still.changes} changes)`);
  assert(still.same, `after 3 s of streaming output the focus is still on the ${focused.action} button (now on ${still.active})`);

  // ---- selected output text survives an update --------------------------------------------------------
  const selected = await sectionB().locator('.output').evaluate((output) => {
    const lines = output.querySelectorAll('.line');
    const from = lines[lines.length - 4];
    const to = lines[lines.length - 3];
    const range = document.createRange();
    range.setStart(from, 0);
    range.setEnd(to, to.childNodes.length);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    window.__probe.outputChanges = 0;
    return selection.toString();
  });
  assert(/beta \d+\/1200\s*beta \d+\/1200/.test(selected), `two output lines are selected (${JSON.stringify(selected)})`);
  await page.waitForTimeout(1200);
  const after = await card.locator('body').evaluate(() => ({ text: getSelection().toString(), changes: window.__probe.outputChanges }));
  assert(after.changes > 0, 'the output updated while the text was selected');
  assert(after.text === selected, `the selection survives the update (${JSON.stringify(after.text)})`);

  // ---- the output follows its end, unless the user scrolled up to read ---------------------------------
  const outputB = sectionB().locator('.output');
  const atBottom = () => outputB.evaluate((o) => o.scrollHeight - o.scrollTop - o.clientHeight < 8);
  assert(await atBottom(), 'the output starts at its end');
  // Each check waits for output to arrive (not just for time to pass), so "stays put" and "follows"
  // are about lines that really came in while the view was scrolled.
  const outputArrives = async (what) => {
    await card.locator('body').evaluate(() => { window.__probe.outputChanges = 0; });
    for (let i = 0; i < 50 && (await card.locator('body').evaluate(() => window.__probe.outputChanges)) < 2; i++) await page.waitForTimeout(100);
    assert((await card.locator('body').evaluate(() => window.__probe.outputChanges)) >= 2, `output arrived while ${what}`);
  };
  await outputB.evaluate((o) => { o.scrollTop = 0; });
  await outputArrives('scrolled up');
  assert(!(await atBottom()), 'scrolled up to read, the output stays put while lines arrive');
  await outputB.evaluate((o) => { o.scrollTop = o.scrollHeight; });
  await outputArrives('back at the end');
  assert(await atBottom(), 'back at the end, it follows again');

  // ---- Pause, pressed like a person while the card streams ----------------------------------------
  await press(wb, card, sectionA().locator('vscode-button[data-action="pause"]'), 'pause');
  await sectionA().locator('.status', { hasText: 'Paused' }).waitFor({ timeout: 5000 });
  await sectionA().locator('vscode-button[data-action="resume"]:not([disabled])').waitFor({ timeout: 5000 });
  await wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Stream A' }).filter({ hasText: 'paused' }).first().waitFor();
  await noRefusal(card, 'pause');

  // The card in the High Contrast theme (theme colours only), Stream A paused, Stream B streaming.
  const background = () => card.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  const before = await background();
  await wb.setColorTheme('Dark High Contrast', { workbenchClass: 'hc-black' });
  let hc = before;
  for (let i = 0; i < 50 && hc === before; i++) {
    await page.waitForTimeout(100);
    hc = await background();
  }
  const [r, g, b] = hc.match(/\d+/g).map(Number);
  assert(r + g + b < 30, `the card turned black with the High Contrast theme (${before} → ${hc})`);
  await wb.screenshot('10-card-high-contrast', { forDocs: true });

  // ---- Resume (Stream B keeps the card updating) ----------------------------------------------------
  await press(wb, card, sectionA().locator('vscode-button[data-action="resume"]'), 'resume');
  await sectionA().locator('.status', { hasText: 'Running' }).waitFor({ timeout: 5000 });
  await sectionA().locator('vscode-button[data-action="pause"]:not([disabled])').waitFor({ timeout: 5000 });
  await noRefusal(card, 'resume');

  // ---- Show Log: the job's log opens as a terminal in the Terminal panel, named after the run --------
  await press(wb, card, sectionA().locator('vscode-button[data-action="showLog"]'), 'showLog', { leavesCard: true });
  await page.locator('.part.panel').getByText(/Job #\d+ · Stream A/).first().waitFor({ timeout: 10_000 });
  await page.locator('.terminal-wrapper.active .xterm').first().waitFor({ timeout: 10_000 });
  // (The terminal draws its text with WebGL, not into the page: what it shows is not read here; the
  // integration tests check the text variant and the terminal's name.)
  // The terminal took the focus and half the window: hide the panel and bring the card back, as it was.
  await wb.runCommand('View: Hide Panel');
  await page.locator('.terminal-wrapper.active .xterm').first().waitFor({ state: 'hidden', timeout: 10_000 });
  await wb.runCommand('Job Queue: Show Running Job');
  card = wb.webview();
  await sectionA().locator('.output .line', { hasText: /alpha/ }).first().waitFor({ timeout: 20_000 });
  await noRefusal(card, 'showLog');

  // ---- Cancel + Return to Queue: the job is back in the Queue ---------------------------------------
  await press(wb, card, sectionA().locator('vscode-button[data-action="cancelAndRequeue"]'), 'cancelAndRequeue');
  await card.locator(`section.card[data-job-id="${idA}"]`).waitFor({ state: 'detached', timeout: 15_000 });
  await wb.treeRow('Queue (1)').waitFor();
  await card.locator('h1.slots', { hasText: 'Running (1 of 2 slots)' }).waitFor();
  await noRefusal(card, 'cancelAndRequeue');

  // ---- sent again, then Cancel: the history shows it cancelled -------------------------------------
  await wb.runCommand('Job Queue: Send Job');
  await sectionA().locator('.output .line', { hasText: /alpha/ }).first().waitFor({ timeout: 20_000 });
  const secondRun = await sectionA().getAttribute('data-attempt');
  assert(secondRun !== firstRun, `the card shows the new run (run ${firstRun} → ${secondRun})`);
  await press(wb, card, sectionA().locator('vscode-button[data-action="cancel"]'), 'cancel');
  await card.locator(`section.card[data-job-id="${idA}"]`).waitFor({ state: 'detached', timeout: 15_000 });
  const cancelledRows = wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Stream A' }).filter({ hasText: 'cancelled' });
  for (let i = 0; i < 50 && (await cancelledRows.count()) < 2; i++) await page.waitForTimeout(200);
  assert((await cancelledRows.count()) === 2, `the history shows both runs of Stream A cancelled (${await cancelledRows.count()})`);
  await noRefusal(card, 'cancel');

  // Stream B is still on the card, untouched by all of it; end it.
  await sectionB().locator('.status', { hasText: 'Running' }).waitFor();
  await wb.pressLikeAPerson(card.locator(`section.card[data-job-id="${idB}"] vscode-button[data-action="cancel"]`));
  await card.locator('.empty-state', { hasText: 'No job running' }).waitFor({ timeout: 15_000 });
}
