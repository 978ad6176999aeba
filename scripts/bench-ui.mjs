// The UI at scale, measured inside a real VS Code (code-server), with the same harness as the
// integration tier (scripts/test-integration.mjs): 10,000 queued `true` jobs, auto-run on,
// `jobQueue.maxParallelJobs` 8, the Jobs view open in the workbench.
//   - extension host (test/integration/scale.bench.ts): event-loop delay while jobs finish
//     (perf_hooks.monitorEventLoopDelay), the finish rate, what the tree's data provider costs;
//   - workbench (here, through chromium): from the click that opens the Jobs view / expands the Queue
//     group to the Queue rows being in the DOM — with fresh rows under load, not the ones cached
//     before the group was collapsed.
//
//   node scripts/bench-ui.mjs [--quick] [--json <file>] [--if-installed]
// Last comes a CPU profile of the extension host under the same load (apart from the measured
// stretches); KEEP=1 keeps it in the run folder (control/extension-host.cpuprofile).
// --if-installed: when the harness (code-server, Node 24, chromium) is not installed yet, say so and
// stop (exit 0, `{ skipped }` in the JSON) instead of installing it: `npm run bench` uses this.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { CACHE, CHROMIUM, CODE_SERVER_VERSION, NODE_VERSION, describeFailure, ensureTools } from './harness/ensure-tools.mjs';
import { startCodeServer } from './harness/code-server.mjs';
import { launchBrowser, remoteUri, workbenchUrl } from './harness/browser.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const QUEUED = quick ? 5000 : 10_000;
const LOAD_SECONDS = quick ? 8 : 25;
const HIDDEN_SECONDS = quick ? 5 : 15;
const MAX_PARALLEL = 8;
const SETTLE_MS = 1000;

function missingTools() {
  const missing = [];
  if (!fs.existsSync(path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`, '.installed'))) missing.push(`code-server ${CODE_SERVER_VERSION}`);
  if (!fs.existsSync(path.join(CACHE, `node-${NODE_VERSION}`, 'bin', 'node'))) missing.push(`Node ${NODE_VERSION}`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  return missing;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitForFile(file, what, timeoutMs, failed) {
  const end = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    const why = failed();
    if (why) throw new Error(`${what}: ${why}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---- the workbench side ------------------------------------------------------------------------

/**
 * A probe in the page: the time of the next mousedown, and the time the Queue group first shows a
 * row of a job newer than `minId` (0: any queue row). Rows carry their accessibility label,
 * "<position>. <title>, queued, Job #<id>…", which the tree sets on every queue row.
 */
async function installProbe(page) {
  await page.evaluate(() => {
    const probe = { armed: false, t0: 0, hit: 0, minId: 0 };
    globalThis.__jqProbe = probe;
    const queueIds = () => [...document.querySelectorAll('.monaco-list-row[role="treeitem"][aria-level="2"]')]
      .map((row) => /^\d+\. .*, queued, .*?Job #(\d+)/.exec(row.getAttribute('aria-label') ?? ''))
      .filter(Boolean).map((m) => Number(m[1]));
    globalThis.__jqQueueIds = queueIds;
    document.addEventListener('mousedown', () => {
      if (probe.armed && !probe.t0) probe.t0 = performance.now();
    }, true);
    new MutationObserver(() => {
      if (probe.armed && probe.t0 && !probe.hit && queueIds().some((id) => id > probe.minId)) probe.hit = performance.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  });
}

async function arm(page, minId) {
  await page.evaluate((min) => Object.assign(globalThis.__jqProbe, { armed: true, t0: 0, hit: 0, minId: min }), minId);
}

/** Clicks, then waits for the probe: milliseconds from the mousedown to the rows in the DOM. */
async function timeClick(page, locator, minId) {
  await arm(page, minId);
  await locator.click({ force: true });
  await page.waitForFunction(() => globalThis.__jqProbe.hit > 0, null, { timeout: 60_000, polling: 20 });
  const { t0, hit } = await page.evaluate(() => globalThis.__jqProbe);
  await page.evaluate(() => (globalThis.__jqProbe.armed = false));
  return hit - t0;
}

const queueIds = (page) => page.evaluate(() => globalThis.__jqQueueIds());
const activityItem = (page, label) => page.locator(`.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`).first();
const queueGroup = (page) => page.locator('.monaco-list-row[role="treeitem"][aria-level="1"]', { hasText: 'Queue (' }).first();

/** Collapses the Queue group, waits (jobs move on meanwhile under load), expands it: time to fresh rows. */
async function timeExpand(page, { fresh }) {
  const group = queueGroup(page);
  await group.waitFor();
  if ((await group.getAttribute('aria-expanded')) !== 'true') throw new Error('the Queue group is not expanded');
  const before = await queueIds(page);
  await group.locator('.monaco-tl-twistie').click({ force: true });
  await page.waitForFunction(() => globalThis.__jqQueueIds().length === 0, null, { timeout: 30_000, polling: 20 });
  await sleep(SETTLE_MS);
  return timeClick(page, group.locator('.monaco-tl-twistie'), fresh ? Math.max(0, ...before) : 0);
}

/** Shows the Explorer, waits, shows the Jobs view again: time to fresh rows. */
async function timeReopenView(page) {
  const before = await queueIds(page);
  await activityItem(page, 'Explorer').click();
  await page.waitForFunction(() => globalThis.__jqQueueIds().length === 0, null, { timeout: 30_000, polling: 20 });
  await sleep(SETTLE_MS);
  return timeClick(page, activityItem(page, 'Job Queue'), Math.max(0, ...before));
}

// ---- the run -----------------------------------------------------------------------------------

export async function benchUi() {
  const build = spawnSync(process.execPath, ['esbuild.js', '--tests'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const tools = ensureTools();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-bench-ui-'));
  const workspace = path.join(runDir, 'workspace');
  const controlDir = path.join(runDir, 'control');
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(controlDir, { recursive: true });
  const server = await startCodeServer(tools, {
    runDir, workspace, settings: { 'jobQueue.maxParallelJobs': MAX_PARALLEL, 'jobQueue.shell': '/bin/sh' },
  });
  let browser;
  const t0 = Date.now();
  try {
    browser = await launchBrowser(tools);
    const page = await browser.context.newPage();
    let exitCode;
    const noise = [];
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      const text = format(...logArgs);
      if (text.startsWith('[scale bench]')) console.log(text);
      else noise.push(`[${type}] ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => (exitCode = code));
    const failed = () => {
      const error = path.join(controlDir, 'error.txt');
      if (fs.existsSync(error)) return `the extension host side failed:\n${fs.readFileSync(error, 'utf8')}`;
      if (exitCode !== undefined) return `the extension host side exited (${exitCode}) early\n${noise.slice(-30).join('\n')}`;
      return undefined;
    };
    await page.goto(workbenchUrl(server.base, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.base, repo)],
      ['extensionTestsPath', remoteUri(server.base, path.join(repo, 'out', 'test', 'integration', 'scale.bench.js'))],
      ['extensionEnvironment', JSON.stringify({ JQ_BENCH_CONTROL: controlDir, JQ_BENCH_QUEUED: String(QUEUED), JQ_BENCH_SECONDS: String(LOAD_SECONDS), JQ_BENCH_HIDDEN_SECONDS: String(HIDDEN_SECONDS) })],
    ]));
    await page.waitForFunction(() => globalThis.driver !== undefined, null, { timeout: 90_000 });
    await page.evaluate(() => globalThis.driver.whenWorkbenchRestored());
    await installProbe(page);
    const done = (step) => fs.writeFileSync(path.join(controlDir, `${step}.done`), '');
    const workbench = { firstOpenMs: NaN, expandIdleMs: [], expandLoadMs: [], reopenViewLoadMs: [] };

    // Idle: 10,000 queued, nothing runs. The Jobs view has not been shown in this window yet.
    await waitForFile(path.join(controlDir, 'idle.json'), 'the queue to open', 120_000, failed);
    workbench.firstOpenMs = await timeClick(page, activityItem(page, 'Job Queue'), 0);
    for (let i = 0; i < 3; i++) workbench.expandIdleMs.push(await timeExpand(page, { fresh: false }));
    done('idle');

    // Load: jobs finish as fast as the engine runs them; the view stays open.
    await waitForFile(path.join(controlDir, 'load.json'), 'the load to start', 60_000, failed);
    for (let i = 0; i < 3; i++) {
      workbench.expandLoadMs.push(await timeExpand(page, { fresh: true }));
      workbench.reopenViewLoadMs.push(await timeReopenView(page));
    }
    done('load');
    // Then the same load with the Jobs view hidden: the Explorer instead.
    await waitForFile(path.join(controlDir, 'hide.json'), 'the hidden stretch', 60_000, failed);
    await activityItem(page, 'Explorer').click();
    await page.waitForFunction(() => globalThis.__jqQueueIds().length === 0, null, { timeout: 30_000, polling: 20 });
    done('hide');

    const host = await waitForFile(path.join(controlDir, 'result.json'), 'the result', (HIDDEN_SECONDS + 120) * 1000, failed);
    for (let i = 0; i < 100 && exitCode === undefined; i++) await sleep(100);
    return { ...host, workbench, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    if (process.env.KEEP === '1') console.log(`kept ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
}

function summary(r) {
  const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  const list = (xs) => xs.map((x) => f(x)).join(', ');
  const stretch = (name, w) => `  ${name}: ${w.finished} jobs finished in ${f(w.seconds, 1)} s = ${f(w.perSecond)}/s, extension host CPU ${f(w.cpuPercent)}%, load average ${f(w.loadAverage, 1)} on ${w.cores} cores; event-loop delay p50 ${f(w.eventLoopDelay.p50, 1)} ms, p90 ${f(w.eventLoopDelay.p90, 1)} ms, p99 ${f(w.eventLoopDelay.p99, 1)} ms, max ${f(w.eventLoopDelay.max, 1)} ms (${w.eventLoopDelay.samples} samples)`;
  return [
    `UI at scale: ${r.queued} queued \`${r.command}\` jobs, ${r.settings.maxParallelJobs} slots, shell ${r.settings.shell || 'default'} (extension host on Node ${r.node})`,
    `  opened the queue (_reopen) in ${f(r.openMs)} ms; one spawn blocks the extension host ${f(r.spawn.median, 1)} ms (median of ${r.spawn.n}, max ${f(r.spawn.max, 1)}; RSS ${f(r.spawn.rssMb)} MB)`,
    `  provider (every group's children + items), idle: median ${f(r.providerIdle.median, 1)} ms, max ${f(r.providerIdle.max, 1)} ms, ${r.providerIdle.queueRows} queue rows; under load: median ${f(r.providerLoad.median, 1)} ms, max ${f(r.providerLoad.max, 1)} ms`,
    stretch('load, Jobs view shown', r.visible),
    stretch('load, Jobs view hidden', r.hidden),
    `  workbench: first open of the Jobs view ${f(r.workbench.firstOpenMs)} ms; expand Queue idle ${list(r.workbench.expandIdleMs)} ms; under load ${list(r.workbench.expandLoadMs)} ms; Jobs view shown again under load ${list(r.workbench.reopenViewLoadMs)} ms`,
    `  extension host CPU profile under the same load (${r.profileSeconds} s), top self time:`,
    ...r.profile.map((p) => `    ${f(p.percent, 1).padStart(5)}%  ${p.frame}`),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const write = (value) => jsonOut && fs.writeFileSync(jsonOut, JSON.stringify(value, null, 2));
  const missing = missingTools();
  if (args.includes('--if-installed') && missing.length > 0) {
    const reason = `not installed: ${missing.join(', ')} (the first \`npm run test:integration\` or \`node scripts/bench-ui.mjs\` installs them)`;
    console.log(`UI at scale: skipped — ${reason}`);
    write({ skipped: reason });
    process.exit(0);
  }
  benchUi()
    .then((result) => {
      console.log(summary(result));
      write(result);
    })
    .catch((e) => {
      console.error(describeFailure(e));
      write({ failed: String(e?.message ?? e).split('\n')[0] });
      process.exit(1);
    });
}
