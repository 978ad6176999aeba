// npm run test:e2e [-- <scenario name>]
// The packaged .vsix, installed into code-server as a user would, driven through the real
// workbench with Debian's chromium. Each test/e2e/*.e2e.mjs exports `default async (ctx) => {}`;
// ctx gives the workbench helpers and `restart()` (same user data: a reload of the whole server).
// A scenario may also export `setUp({ runDir, workspace })`, run before code-server starts: it may
// return `env` (added to code-server's environment, so the extension host sees it) and `tearDown()`
// (always run at the end, after code-server has stopped) — e.g. to bring a service up and down.
// Screenshots go to test-results/e2e/; with SCREENSHOTS=1 they also refresh docs/images/.
// A scenario that fails is run once more (E2E_RETRIES, default 1) only to tell a deterministic
// failure from a flaky one: either way it counts as failed; one that passes on a retry is `flaky`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeFailure, ensureTools } from './harness/ensure-tools.mjs';
import { installExtension, startCodeServer } from './harness/code-server.mjs';
import { launchBrowser, workbenchUrl } from './harness/browser.mjs';
import { packageVsix } from './package-vsix.mjs';
import { Workbench } from '../test/e2e/lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIO_TIMEOUT_MS = 6 * 60_000;

async function runScenario(tools, vsix, file) {
  const name = path.basename(file, '.e2e.mjs');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `jq-e2e-${name}-`));
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const shotsDir = path.join(repo, 'test-results', 'e2e', name);
  fs.rmSync(shotsDir, { recursive: true, force: true });
  const layout = { runDir };
  installExtension(tools, (await import('./harness/code-server.mjs')).runLayout(runDir), vsix);
  const scenarioModule = await import(pathToFileURL(file).href);
  let fixture;
  try {
    fixture = (await scenarioModule.setUp?.({ runDir, workspace })) ?? {};
  } catch (error) {
    console.error(`  ✘ ${name}: its setUp failed: ${error.stack ?? error}`);
    return false;
  }
  const env = fixture.env ?? {};
  let server;
  try {
    server = await startCodeServer(tools, { runDir, workspace, env });
  } catch (error) {
    await fixture.tearDown?.();
    throw error;
  }
  // A persistent profile, as a person's browser has: the workbench's layout (open editors, the
  // running-job card) lives in the browser and must survive a restart too.
  const profileDir = path.join(runDir, 'browser-profile');
  let browser;
  try {
    browser = await launchBrowser(tools, { profileDir });
  } catch (error) {
    await server.stop();
    await fixture.tearDown?.();
    throw error;
  }
  let page = browser.context.pages()[0] ?? await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const wb = new Workbench(page, { shotsDir, docsImagesDir: process.env.SCREENSHOTS === '1' ? path.join(repo, 'docs', 'images') : undefined });
  const ctx = {
    wb, page, workspace, layout,
    url: () => workbenchUrl(server.base, workspace),
    /** Stops code-server and the browser, starts both again on the same user data. */
    async restart() {
      await browser.close();
      await server.stop();
      // Same port: the workspace's storage folder is keyed by its URI, authority (host:port) included.
      server = await startCodeServer(tools, { runDir, workspace, port: server.port, env });
      browser = await launchBrowser(tools, { profileDir });
      page = browser.context.pages()[0] ?? await browser.context.newPage();
      wb.page = page;
      ctx.page = page;
      await wb.open(ctx.url());
    },
  };
  const t0 = Date.now();
  try {
    await wb.open(ctx.url());
    const scenario = scenarioModule.default;
    let timer;
    await Promise.race([
      scenario(ctx),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`)), SCENARIO_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    console.log(`  ✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    console.error(`  ✘ ${name}: ${error.stack ?? error}`);
    await wb.screenshot('failure').catch(() => undefined);
    if (errors.length) console.error(`    workbench errors: ${errors.slice(-5).join(' | ')}`);
    console.error(`    screenshots: ${shotsDir}; server log: ${path.join(runDir, 'code-server.log')}`);
    return false;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    await fixture.tearDown?.();
    if (process.env.KEEP !== '1') fs.rmSync(runDir, { recursive: true, force: true });
  }
}

export async function runE2e(filter) {
  const tools = ensureTools();
  // Packaged once, into this run's own folder: every scenario installs exactly the same .vsix, even
  // if someone packages in this checkout meanwhile.
  const vsixDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-e2e-vsix-'));
  const vsix = packageVsix({ out: path.join(vsixDir, 'job-queue.vsix') });
  const dir = path.join(repo, 'test', 'e2e');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.mjs') && (!filter || f.includes(filter))).sort();
  let passes = 0;
  let failures = 0;
  const flaky = [];
  // UI runs on a shared, noisy machine, so a failed scenario is run again from scratch — not to
  // rescue it, only to say which kind of failure it was. A pass on a retry is reported as flaky and
  // still counts as failed: `npm test` (and .ci/run) fail on it.
  const retries = Number(process.env.E2E_RETRIES ?? 1);
  try {
    for (const f of files) {
      const name = path.basename(f, '.e2e.mjs');
      if (await runScenario(tools, vsix, path.join(dir, f))) {
        passes++;
        continue;
      }
      failures++;
      let passedOnRetry = false;
      for (let attempt = 1; attempt <= retries && !passedOnRetry; attempt++) {
        console.warn(`  ↻ ${name}: failed; running it again from scratch to tell a flaky scenario from a broken one (counted as failed either way)`);
        passedOnRetry = await runScenario(tools, vsix, path.join(dir, f));
      }
      if (passedOnRetry) {
        flaky.push(name);
        console.error(`  ⚠ ${name}: FLAKY — failed, then passed on a retry; counted as failed`);
      } else if (retries > 0) {
        console.error(`  ✘ ${name}: failed on every try — a deterministic failure`);
      }
    }
  } finally {
    fs.rmSync(vsixDir, { recursive: true, force: true });
  }
  console.log(`e2e: ${passes} passed, ${failures} failed${flaky.length ? ` (${flaky.length} flaky: ${flaky.join(', ')})` : ''}`);
  return { passes, failures, flaky: flaky.length, flakyNames: flaky };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runE2e(process.argv[2])
    .then((r) => {
      if (process.env.JOB_QUEUE_TEST_RESULT) fs.writeFileSync(process.env.JOB_QUEUE_TEST_RESULT, JSON.stringify(r));
      process.exit(r.failures === 0 && r.passes > 0 ? 0 : 1);
    })
    .catch((e) => {
      console.error(describeFailure(e));
      process.exit(1);
    });
}
