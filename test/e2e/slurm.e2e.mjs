// Jobs sent to a real Slurm (slurmctld + slurmd on this machine, scripts/slurm/up.sh) from the
// palette, as a person does with `jobQueue.slurm.enabled`: Add Job → command → label → "Slurm
// cluster" → sbatch options. The job's row shows it PENDING (with Slurm's reason), then RUNNING on
// the node, while the card's progress moves; Pause on the card suspends it in Slurm (the row says
// SUSPENDED, the progress stands still), Resume runs it on; Cancel + Return to Queue cancels it in
// Slurm and puts the same job back in the queue; a window reload while a job runs finds the very same
// Slurm job again (adopted, not resubmitted), and when it ends its true exit code (3) is in the history;
// a job array shows its tasks on its row and card, and Cancel on the card cancels every task.
// Slurm is brought up before code-server starts (SLURM_CONF reaches the extension host through
// code-server's environment) and always brought down at the end.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const slurmRoot = process.env.SLURM_ROOT ?? '/tmp/jq-slurm';
const slurmEnv = { ...process.env, SLURM_ROOT: slurmRoot, SLURM_CONF: path.join(slurmRoot, 'etc', 'slurm.conf') };

function slurmScript(name) {
  const r = spawnSync('bash', [path.join(repo, 'scripts', 'slurm', name)], { env: slurmEnv, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** Slurm up before code-server starts; its SLURM_CONF in code-server's environment; Slurm offered in Add Job. */
export async function setUp({ workspace }) {
  const up = slurmScript('up.sh');
  if (!up.ok) {
    // Someone else's Slurm (another test run) is not ours to stop.
    if (!/already running/.test(up.out)) slurmScript('down.sh');
    throw new Error(`Slurm could not be brought up: ${up.out}`);
  }
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'jobQueue.slurm.enabled': true }, null, 2));
  return {
    env: { SLURM_CONF: slurmEnv.SLURM_CONF },
    tearDown: async () => {
      const down = slurmScript('down.sh');
      if (!down.ok) console.error(`    scripts/slurm/down.sh: ${down.out}`);
    },
  };
}

/** Slurm's own word on a job (`squeue -t all`): its state, or '' once it is forgotten. */
function slurmState(id) {
  const r = spawnSync('squeue', ['-h', '-t', 'all', '-j', id, '-o', '%T'], { env: slurmEnv, encoding: 'utf8' });
  return (r.stdout ?? '').trim();
}

/** Add Job from the palette, to Slurm: command → label → "Slurm cluster" → sbatch options. */
async function addSlurmJob(wb, command, label, sbatchOptions) {
  await wb.runCommand('Job Queue: Add Job');
  await wb.answerInput(command, { title: /Add Job \(1\/\d\)/ });
  await wb.answerInput(label, { title: /Add Job \(2\/\d\)/ });
  await wb.chooseItem('Slurm cluster', { title: /Add Job \(3\/\d\)/ });
  await wb.answerInput(sbatchOptions, { title: /Add Job \(4\/\d\)/ });
  await wb.chooseItem('Its turn', { title: /Add Job \(5\/\d\)/ });
  await wb.treeRow(label).waitFor();
}

/** Waits (up to `timeout` ms) until `read()` gives a value for which `ok` holds; returns it. */
async function waitUntil(page, what, read, ok, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} (last seen: ${JSON.stringify(last)})`);
    await page.waitForTimeout(100);
  }
}

export default async function slurm(ctx) {
  const { wb, page } = ctx;
  const rows = page.locator('.monaco-list-row[role="treeitem"]');
  const row = (label, text) => rows.filter({ hasText: label }).filter({ hasText: text }).first();
  // A row that does not come says what the tree showed instead.
  const see = async (label, text, { timeout = 20_000, state = 'visible' } = {}) => {
    try {
      await row(label, text).waitFor({ timeout, state });
    } catch (error) {
      const shown = await rows.allTextContents().catch(() => []);
      throw new Error(`${state === 'hidden' ? 'still' : 'not'} seen within ${timeout / 1000} s: a row “${label}” with ${text}; the tree shows: ${JSON.stringify(shown)}\n${error.message.split('\n')[0]}`);
    }
  };
  const slurmIdOf = async (label, text) => /Slurm (\d+)/.exec(await row(label, text).textContent())?.[1];

  await wb.openContainer('Job Queue');
  // Progress as `NN%` lines, 60 s in all; Slurm holds it back 8 s (--begin), so it is seen pending.
  await addSlurmJob(wb, 'for i in $(seq 1 600); do echo "$((i / 6))%"; sleep 0.1; done', 'Train', '--time=10 --begin=now+8');
  await see('1. Train', /Job #1 · on Slurm/);

  // Send Job: it is submitted to Slurm and waits there, with Slurm's reason.
  await wb.runCommand('Job Queue: Send Job');
  await see('Train', /Slurm \d+ · PENDING \(BeginTime\)/, { timeout: 15_000 });
  const trainId = await slurmIdOf('Train', 'PENDING');
  assert(trainId, 'the row names the Slurm job id');
  assert(slurmState(trainId) === 'PENDING', `Slurm itself has job ${trainId} pending (${slurmState(trainId)})`);
  await wb.screenshot('slurm-01-pending');
  // Then Slurm starts it on the node.
  await see('Train', new RegExp(`Slurm ${trainId} · RUNNING on \\S+`), { timeout: 20_000 });

  // The card: Slurm's details, and the progress read from the job's output file moves.
  const status = page.locator('.statusbar-item', { hasText: 'Train' }).first();
  await status.waitFor();
  await wb.pressLikeAPerson(status);
  const card = wb.webview();
  await card.locator('.label', { hasText: 'Train' }).waitFor();
  await card.locator('.backend .field', { hasText: 'Slurm job' }).filter({ hasText: trainId }).waitFor();
  const percent = async () => {
    const m = /^(\d+)%$/.exec(((await card.locator('.percent').textContent()) ?? '').trim());
    return m ? Number(m[1]) : -1;
  };
  const first = await waitUntil(page, 'the card to show progress', percent, (p) => p >= 0);
  const moved = await waitUntil(page, `the progress to move past ${first}%`, percent, (p) => p > first);
  await wb.screenshot('slurm-02-running-card');

  // Pause on the card (pressed like a person): Slurm suspends it; the progress stands still.
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="pause"]'));
  await card.locator('.status', { hasText: 'Paused' }).waitFor();
  await see('Train', new RegExp(`Slurm ${trainId} · SUSPENDED.* · paused`), { timeout: 15_000 });
  assert(slurmState(trainId) === 'SUSPENDED', `Slurm itself has job ${trainId} suspended (${slurmState(trainId)})`);
  const frozen = await percent();
  assert(frozen >= moved, `the card kept its progress when paused (${frozen}% after ${moved}%)`);
  // Ten progress lines a second would move it within 2 s if it still ran.
  await page.waitForTimeout(2000);
  assert((await percent()) === frozen, `the progress stands still while suspended (${frozen}% → ${await percent()}%)`);
  await wb.screenshot('slurm-03-paused');

  // Resume: it runs again, and the progress moves on.
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="resume"]'));
  await card.locator('.status', { hasText: 'Running' }).waitFor();
  await see('Train', new RegExp(`Slurm ${trainId} · RUNNING on \\S+ · (?!paused)`), { timeout: 15_000 });
  await waitUntil(page, `the progress to move on past ${frozen}% after Resume`, percent, (p) => p > frozen);

  // Cancel + Return to Queue: cancelled in Slurm, and the same job (#1) is back in the queue.
  await wb.pressLikeAPerson(card.locator('vscode-button[data-action="cancelAndRequeue"]'));
  await see('1. Train', /Job #1 · on Slurm/, { timeout: 20_000 });
  await see('Train', /Slurm \d+/, { state: 'hidden' });
  await waitUntil(page, `Slurm to cancel job ${trainId}`, () => slurmState(trainId), (s) => s === 'CANCELLED', 10_000);
  await wb.screenshot('slurm-04-returned');

  // A job that ends with exit status 3, sent from its context menu; the window reloads while it runs.
  await addSlurmJob(wb, 'for i in $(seq 1 100); do echo "$i%"; sleep 0.25; done; exit 3', 'Exit3', '--time=5');
  await see('2. Exit3', /Job #2 · on Slurm/);
  await wb.contextMenu('2. Exit3', 'Send Job');
  await see('Exit3', /Slurm \d+ · RUNNING on /, { timeout: 20_000 });
  const exitId = await slurmIdOf('Exit3', 'RUNNING');
  assert(exitId && exitId !== trainId, `the second job has its own Slurm id (${exitId})`);
  await wb.reloadWindow();
  await wb.openContainer('Job Queue');
  // Adopted: the very same Slurm job, still running, found again by the new extension host.
  await see('Exit3', new RegExp(`Job #2 · Slurm ${exitId} · RUNNING on `), { timeout: 30_000 });
  assert(slurmState(exitId) === 'RUNNING', `Slurm still runs job ${exitId} after the reload (${slurmState(exitId)})`);
  await wb.screenshot('slurm-05-adopted-after-reload');
  // It ends: its true exit code is in the history; the returned job still waits in the queue.
  await see('Exit3', /Job #2 · exit 3 · /, { timeout: 60_000 });
  assert(await row('1. Train', /Job #1 · on Slurm/).isVisible(), 'the returned job is still in the queue');
  assert(await page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Exit3' }).count() === 1, 'the job is listed once (not also running again or queued)');
  await wb.screenshot('slurm-06-exit-code');

  // A job array (4 tasks, at most 2 at once) added like any job: one row, its tasks counted on the
  // row and on the card; Cancel pressed on the card cancels every task in Slurm.
  await addSlurmJob(wb, 'sleep 60', 'Sweep', '--array=0-3%2 --time=5');
  await wb.contextMenu('2. Sweep', 'Send Job');
  await see('Sweep', /Slurm \d+ · RUNNING on \S+ · 4 tasks: 0 done, 2 running, 2 waiting/, { timeout: 20_000 });
  const sweepId = await slurmIdOf('Sweep', 'RUNNING');
  const sweepStatus = page.locator('.statusbar-item', { hasText: 'Sweep' }).first();
  await sweepStatus.waitFor();
  await wb.pressLikeAPerson(sweepStatus);
  const sweepCard = wb.webview();
  await sweepCard.locator('.label', { hasText: 'Sweep' }).waitFor();
  await sweepCard.locator('.backend .field', { hasText: 'Array' }).filter({ hasText: '4 tasks' }).waitFor();
  await wb.screenshot('slurm-07-array-card');
  await wb.pressLikeAPerson(sweepCard.locator('vscode-button[data-action="cancel"]'));
  await see('Sweep', /Slurm \d+/, { state: 'hidden', timeout: 20_000 });
  const tasks = () => spawnSync('squeue', ['-h', '-t', 'all', '-j', sweepId, '-o', '%T'], { env: slurmEnv, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  await waitUntil(page, `Slurm to cancel every task of array ${sweepId}`, tasks, (states) => states.length > 0 && states.every((s) => s === 'CANCELLED'), 15_000);
  await wb.screenshot('slurm-08-array-cancelled');
}
