// Helpers to drive the real workbench like a person: palette, activity bar, tree rows, context
// menus, view-title actions, the webview, notifications, screenshots.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class Workbench {
  constructor(page, { shotsDir, docsImagesDir }) {
    this.page = page;
    this.shotsDir = shotsDir;
    this.docsImagesDir = docsImagesDir;
    fs.mkdirSync(shotsDir, { recursive: true });
  }

  async open(url) {
    await this.page.goto(url);
    await this.page.waitForFunction(() => globalThis.driver !== undefined, null, { timeout: 90_000 });
    await this.page.evaluate(() => globalThis.driver.whenWorkbenchRestored());
  }

  /** F1, type the command's title, pick it. */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Answers the open quick input with `text` and Enter; `title` waits for that step to show first. */
  async answerInput(text, { title } = {}) {
    if (title) await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    await this.page.keyboard.press('Enter');
  }

  /** Picks the row with `text` (string or RegExp) in the open quick pick; `title` waits for that step first. */
  async chooseItem(text, { title } = {}) {
    if (title) await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().click();
  }

  /**
   * Add Job from the palette, as a person fills it in: command line, label, the lane (when `lane` is
   * given: more than one lane), "Its turn"; then waits for its row unless `waitForRow` is false (a
   * window that follows another one shows the job only once the owner took it).
   */
  async addJob(command, label, { lane, waitForRow = true } = {}) {
    const steps = lane ? 4 : 3;
    await this.runCommand('Job Queue: Add Job');
    await this.answerInput(command, { title: `Add Job (1/${steps})` });
    await this.answerInput(label, { title: `Add Job (2/${steps})` });
    if (lane) await this.chooseItem(new RegExp(`^${lane}`), { title: `Add Job (3/${steps})` });
    await this.chooseItem('Its turn', { title: `Add Job (${steps}/${steps})` });
    if (waitForRow) await this.treeRow(label).waitFor();
  }

  /**
   * Developer: Reload Window, as a person runs it from the palette; resolves once the new page's
   * workbench is restored (a new extension host has started).
   */
  async reloadWindow() {
    await this.page.evaluate(() => { globalThis.__beforeReload = true; });
    await this.runCommand('Developer: Reload Window');
    await this.page.waitForFunction(() => globalThis.__beforeReload === undefined && globalThis.driver !== undefined, null, { timeout: 90_000 });
    await this.page.evaluate(() => globalThis.driver.whenWorkbenchRestored());
  }

  async openContainer(label) {
    const item = this.page.locator(`.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`).first();
    await item.waitFor();
    const expanded = await item.getAttribute('aria-expanded').catch(() => null);
    if (expanded !== 'true') await item.click();
  }

  treeRow(text) {
    return this.page.locator('.monaco-list-row[role="treeitem"]', { hasText: text }).first();
  }

  /**
   * Right-clicks the row and picks the menu item. The tree re-renders as jobs change state, so a
   * row can move under the pointer: if the menu that opens lacks the item, close it and try again.
   */
  async contextMenu(rowText, itemTitle) {
    const texts = Array.isArray(rowText) ? rowText : [rowText];
    let row = this.page.locator('.monaco-list-row[role="treeitem"]');
    for (const text of texts) row = row.filter({ hasText: text });
    for (let attempt = 1; ; attempt++) {
      await row.first().waitFor();
      // `force`: rows re-render as jobs change, which Playwright's "stable" check can wait out
      // forever; a wrong menu is caught below and retried.
      await row.first().click({ button: 'right', force: true });
      const item = this.page.locator('.monaco-menu .action-item', { hasText: itemTitle }).first();
      try {
        await item.waitFor({ timeout: 3000 });
        // Menu items act on mouse-up after a hover; hover, then let the keyboard confirm.
        await item.hover();
        await item.locator('a, .action-menu-item').first().focus().catch(() => undefined);
        await this.page.keyboard.press('Enter');
        await item.waitFor({ state: 'detached', timeout: 3000 });
        return;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (attempt >= 4) throw error;
      }
    }
  }

  /** A view's title-bar action, by its tooltip (command title). */
  async viewTitleAction(title) {
    const action = this.page.locator(`.pane-header .actions-container a[aria-label^="${title}"], .title-actions a[aria-label^="${title}"]`).first();
    await action.waitFor();
    await action.click();
  }

  /** The running-job card's document (two iframes deep). */
  webview() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** With the smoke-test driver no toasts show: read the Notification Center instead. */
  async expectNotification(text) {
    const center = this.page.locator('.notifications-center');
    if (!(await center.isVisible())) await this.runCommand('Notifications: Show Notifications');
    await this.page.locator('.notifications-center .notification-list-item', { hasText: text }).first().waitFor();
    await this.page.keyboard.press('Escape');
  }

  async screenshot(name, { forDocs = false } = {}) {
    const file = path.join(this.shotsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    if (forDocs && this.docsImagesDir) {
      fs.mkdirSync(this.docsImagesDir, { recursive: true });
      fs.copyFileSync(file, path.join(this.docsImagesDir, `${name}.png`));
    }
    return file;
  }

  /**
   * Presses `locator` the way a person does: the pointer moves to its centre, the button goes down,
   * stays down `holdMs` (400 by default), and comes up — not Playwright's instant click. Works inside
   * the webview too (bounding boxes are in the page's coordinates).
   */
  async pressLikeAPerson(locator, { holdMs = 400, whileHeld } = {}) {
    await locator.scrollIntoViewIfNeeded();
    const box = await locator.boundingBox();
    if (!box) throw new Error('pressLikeAPerson: the element is not on screen');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await this.page.mouse.down();
    // `whileHeld` (optional) runs during the hold, e.g. to look at the page before the button comes up.
    await Promise.all([this.page.waitForTimeout(holdMs), whileHeld?.()]);
    await this.page.mouse.up();
  }

  /**
   * Preferences: Color Theme, then the theme called `name` (e.g. "Dark High Contrast"); with
   * `workbenchClass` (e.g. "hc-black") waits until the workbench wears it.
   */
  async setColorTheme(name, { workbenchClass } = {}) {
    // Not runCommand: "Preferences: Browse Color Themes in Marketplace" can be the palette's first row.
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).filter({ hasNotText: 'Marketplace' }).first().click();
    // The theme picker replaces the palette: wait for it before typing into it (its list is virtual:
    // a theme far down is not rendered until the filter brings it up).
    const picker = this.page.locator('.quick-input-widget input[placeholder*="Color Theme"]');
    await picker.waitFor();
    await picker.fill(name);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await row.waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    if (workbenchClass) await this.page.locator(`.monaco-workbench.${workbenchClass}`).first().waitFor({ timeout: 10_000 });
  }

  // ---- a second window on the same folder --------------------------------------------------------

  /**
   * Another VS Code window on the same folder, as a person opens one in code-server: a new tab of the
   * same browser (same profile) on `url`; it gets its own extension host. Returns its Workbench;
   * `errors` collects the tab's page errors.
   */
  async openAnotherWindow(url) {
    const page = await this.page.context().newPage();
    const other = new Workbench(page, { shotsDir: this.shotsDir, docsImagesDir: this.docsImagesDir });
    other.errors = [];
    page.on('pageerror', (e) => other.errors.push(e.message));
    await other.open(url);
    return other;
  }

  /** Puts this window's tab in front, as a person switching tabs does. */
  async bringToFront() {
    await this.page.bringToFront();
  }

  /** The line a view shows above its tree (TreeView.message) with `text` (string or RegExp). */
  viewMessage(text) {
    return this.page.locator('.pane-body .message', { hasText: text }).first();
  }

  /**
   * Opens the Notification Center and waits (up to `timeout` ms) for a notification with `text`
   * (string or RegExp); leaves the center open, e.g. for a screenshot. closeNotifications() closes it.
   */
  async showNotification(text, { timeout } = {}) {
    const center = this.page.locator('.notifications-center');
    if (!(await center.isVisible())) {
      await this.runCommand('Notifications: Show Notifications');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
    const item = this.page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    await item.waitFor(timeout === undefined ? {} : { timeout });
    return item;
  }

  async closeNotifications() {
    const center = this.page.locator('.notifications-center');
    if (await center.isVisible()) {
      await this.page.keyboard.press('Escape');
      await center.waitFor({ state: 'hidden' });
    }
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
