// npm run test:integration [-- --grep <pattern>]
// Runs the mocha suite in test/integration INSIDE the extension host of a real VS Code (code-server),
// exactly as @vscode/test-electron would: the workbench loads the repo as a development extension
// and runs out/test/integration/index.js. Exit code = the suite's. KEEP=1 keeps the run folder.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { describeFailure, ensureTools } from './harness/ensure-tools.mjs';
import { startCodeServer } from './harness/code-server.mjs';
import { launchBrowser, remoteUri, workbenchUrl } from './harness/browser.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = Number(process.env.JOB_QUEUE_TEST_TIMEOUT_MS ?? 15 * 60_000);

export async function runIntegration({ grep, resultFile } = {}) {
  const build = spawnSync(process.execPath, ['esbuild.js', '--tests'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const tools = ensureTools();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-integration-'));
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.txt'), 'Job Queue integration test workspace\n');
  const result = resultFile ?? path.join(runDir, 'result.json');
  const extensionEnv = {
    JOB_QUEUE_TEST_RESULT: result,
    JOB_QUEUE_TEST_WORKSPACE: workspace,
    ...(grep ? { JOB_QUEUE_TEST_GREP: grep } : {}),
  };
  const server = await startCodeServer(tools, { runDir, workspace });
  let browser;
  const t0 = Date.now();
  try {
    browser = await launchBrowser(tools);
    const page = await browser.context.newPage();
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    // The workbench forwards every console message of the extension host and the window: print the
    // suite's (console.log) and keep the rest for when something goes wrong.
    const noise = [];
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...args);
      if (process.env.VERBOSE === '1') console.log(`<${type}> ${text}`);
      // The suite's own output arrives as `info`; the workbench's chatter starts with `[component]`.
      else if ((type === 'info' || type === 'log') && !/^\s*\[/.test(text)) console.log(text);
      else noise.push(`[${type}] ${text}`);
    });
    process.once('exit', (code) => code !== 0 && noise.length && console.error(`--- workbench messages ---\n${noise.slice(-40).join('\n')}`));
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    page.on('pageerror', (e) => console.error('[workbench error]', e.message));
    await page.goto(workbenchUrl(server.base, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.base, repo)],
      ['extensionTestsPath', remoteUri(server.base, path.join(repo, 'out', 'test', 'integration', 'index.js'))],
      ['extensionEnvironment', JSON.stringify(extensionEnv)],
    ]));
    const timer = setTimeout(() => {
      console.error(`integration tests: no result after ${TIMEOUT_MS / 1000} s (see ${server.layout.logFile})`);
      finish(124);
    }, TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    console.log(`integration tests exited with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const counts = fs.existsSync(result) ? JSON.parse(fs.readFileSync(result, 'utf8')) : { passes: 0, failures: code === 0 ? 0 : 1 };
    return { code, ...counts };
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    if (process.env.KEEP === '1') console.log(`kept ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const grepAt = args.indexOf('--grep');
  runIntegration({ grep: grepAt >= 0 ? args[grepAt + 1] : undefined, resultFile: process.env.JOB_QUEUE_TEST_RESULT })
    .then((r) => process.exit(r.code === 0 && !r.failures ? 0 : 1))
    .catch((e) => {
      console.error(describeFailure(e));
      process.exit(1);
    });
}
