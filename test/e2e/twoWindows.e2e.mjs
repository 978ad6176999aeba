// Two windows on one folder (two code-server tabs, each with its own extension host): the first to use
// the queue runs it; the other follows — it shows the same queue and says who runs it, refuses to act,
// and passes the jobs added in it to the window that runs the queue. When that window closes, the
// other one takes over and runs the queue.
import { assert } from './lib.mjs';

const FOLLOWER_LINE = 'This queue is run by another VS Code window';
const TAKEOVER_MS = 15_000;

const statusOtherWindow = (wb) => wb.page.locator('.statusbar-item', { hasText: 'other window' }).first();
const row = (wb, text) => wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: text });

/** The Jobs view shows the Running group only while a job runs. Call once the view shows the queue. */
async function assertNothingRunning(wb, where) {
  assert((await row(wb, /Running \(\d+\/\d+\)/).count()) === 0, `nothing runs (${where})`);
}

export default async function twoWindows(ctx) {
  const a = ctx.wb;
  let b;
  try {
    // (1) Window A adds the first job: A now runs the queue.
    await a.openContainer('Job Queue');
    await a.page.locator('.welcome-view-content', { hasText: 'No jobs yet' }).waitFor();
    await a.page.mouse.move(700, 450); // off the activity bar: no stale hover in the screenshots
    await a.addJob('sleep 600', 'owned-by-A', { waitForRow: false });
    await a.treeRow('1. owned-by-A').waitFor();
    await assertNothingRunning(a, 'A, after Add Job: auto-run is off');
    assert(!(await a.viewMessage(FOLLOWER_LINE).isVisible()), 'window A, which runs the queue, shows no follower line');
    await a.screenshot('01-A-runs-the-queue');

    // (2) Window B: a second tab on the same folder. It shows A's queue and says A runs it.
    b = await a.openAnotherWindow(ctx.url());
    await b.openContainer('Job Queue');
    await b.page.mouse.move(700, 450);
    await b.treeRow('1. owned-by-A').waitFor({ timeout: 30_000 }).catch(async (error) => {
      const ownEmptyQueue = await b.page.locator('.welcome-view-content', { hasText: 'No jobs yet' }).isVisible();
      throw ownEmptyQueue ? new Error('window B shows an empty queue of its own ("No jobs yet"), not the queue window A runs', { cause: error }) : error;
    });
    await b.viewMessage(FOLLOWER_LINE).waitFor();
    await statusOtherWindow(b).waitFor();
    await b.screenshot('02-B-follows-A');

    // (3) Send Job in B is refused, and nothing starts (in either window).
    await b.runCommand('Job Queue: Send Job');
    await b.showNotification('run by another VS Code window');
    await b.screenshot('03-B-send-refused');
    await b.closeNotifications();
    await b.treeRow('Queue (1)').waitFor();
    await b.treeRow('1. owned-by-A').waitFor();
    await assertNothingRunning(b, 'B, after its Send Job was refused');
    await a.bringToFront();
    await a.treeRow('Queue (1)').waitFor();
    await a.treeRow('1. owned-by-A').waitFor();
    await assertNothingRunning(a, 'A, after Send Job was refused in B');

    // (4) Add Job in B: passed to A, queued there, and shown in both windows.
    await b.bringToFront();
    await b.addJob('echo from-B', 'added-in-B', { waitForRow: false });
    await b.showNotification(/passed to the window that runs/i);
    await b.closeNotifications();
    await b.treeRow('2. added-in-B').waitFor();
    await b.treeRow('Queue (2)').waitFor();
    await b.viewMessage(FOLLOWER_LINE).waitFor();
    await b.screenshot('09-two-windows', { forDocs: true });
    await a.bringToFront();
    await a.treeRow('2. added-in-B').waitFor();
    await a.treeRow('Queue (2)').waitFor();
    await a.screenshot('04-A-got-the-job-from-B');

    // (5) Close A: B takes over (says so; the follower line goes) and its Send Job now runs the top job.
    await b.bringToFront();
    const closedAt = Date.now();
    await a.page.close();
    await b.viewMessage(FOLLOWER_LINE).waitFor({ state: 'hidden', timeout: TAKEOVER_MS });
    const tookOverMs = Date.now() - closedAt;
    await b.showNotification(/now runs the queue/i, { timeout: 5000 }); // said by the same takeover
    console.log(`    B took over ${(tookOverMs / 1000).toFixed(1)} s after A closed`);
    await statusOtherWindow(b).waitFor({ state: 'hidden', timeout: 5000 });
    await b.screenshot('05-B-took-over');
    await b.closeNotifications();

    await b.runCommand('Job Queue: Send Job');
    await b.treeRow('Running (1/1)').waitFor();
    await row(b, 'owned-by-A').filter({ hasNotText: /\d+\. owned-by-A/ }).first().waitFor(); // a running row: no queue position
    await b.treeRow('1. added-in-B').waitFor();
    await b.treeRow('Queue (1)').waitFor();
    await b.screenshot('06-B-runs-the-queue');

    // Leave no `sleep 600` behind: cancel it; it goes to the history as cancelled.
    await b.contextMenu('owned-by-A', 'Cancel Job');
    await row(b, 'owned-by-A').filter({ hasText: 'cancelled' }).first().waitFor({ timeout: 20_000 });
    await row(b, /Running \(\d+\/\d+\)/).first().waitFor({ state: 'hidden' });
  } catch (error) {
    // The harness shoots tab A only (and A may be closed by now): keep what both tabs show.
    if (!a.page.isClosed()) await a.screenshot('failure-A').catch(() => undefined);
    if (b) {
      await b.screenshot('failure-B').catch(() => undefined);
      if (b.errors.length) console.error(`    tab B workbench errors: ${b.errors.slice(-5).join(' | ')}`);
    }
    throw error;
  }
}
