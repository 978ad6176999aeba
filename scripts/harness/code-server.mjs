// Starts and stops a code-server (VS Code server + web workbench) for the test tiers and `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Folders of one code-server instance; reuse the same runDir to "restart" with the same state. */
export function runLayout(runDir) {
  return {
    runDir,
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    xdg: path.join(runDir, 'xdg'),
    tmp: path.join(runDir, 'tmp'),
    logFile: path.join(runDir, 'code-server.log'),
  };
}

function serverEnv(tools, layout, extraEnv = {}) {
  return {
    ...process.env,
    PATH: `${tools.nodeBin}${path.delimiter}${process.env.PATH}`,
    // Keep ~ and /tmp clean: VS Code drops sockets and caches here.
    XDG_CONFIG_HOME: path.join(layout.xdg, 'config'),
    XDG_DATA_HOME: path.join(layout.xdg, 'data'),
    XDG_CACHE_HOME: path.join(layout.xdg, 'cache'),
    // Job Queue's per-user workspace registry (jobq from any shell) goes here too.
    XDG_STATE_HOME: path.join(layout.xdg, 'state'),
    TMPDIR: layout.tmp,
    ...extraEnv,
  };
}

function prepare(layout, settings) {
  for (const dir of [layout.userDataDir, layout.extensionsDir, layout.tmp, path.join(layout.userDataDir, 'User')]) fs.mkdirSync(dir, { recursive: true });
  const settingsFile = path.join(layout.userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      ...settings,
    }, null, 2));
  }
}

/** Installs a .vsix the way a user does (`code-server --install-extension`). */
export function installExtension(tools, layout, vsix) {
  prepare(layout, {});
  const result = spawnSync(tools.codeServer, ['--user-data-dir', layout.userDataDir, '--extensions-dir', layout.extensionsDir, '--install-extension', vsix, '--force'], {
    env: serverEnv(tools, layout), encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Starts code-server in its own process group and waits until it answers.
 * smokeTestDriver: REQUIRED for the workbench to honour extension-test payloads and to expose
 * `globalThis.driver`; it also hides notification toasts (read them in the Notification Center).
 */
export async function startCodeServer(tools, { runDir, port, workspace, env = {}, smokeTestDriver = true, settings = {} }) {
  const layout = runLayout(runDir);
  prepare(layout, settings);
  fs.mkdirSync(workspace, { recursive: true });
  port ??= await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', layout.userDataDir, '--extensions-dir', layout.extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', '--reconnection-grace-time', '3',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const out = fs.openSync(layout.logFile, 'a');
  const child = spawn(tools.codeServer, args, { env: serverEnv(tools, layout, env), stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const base = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}); see ${layout.logFile}`);
    try {
      const res = await fetch(`${base}healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${base}; see ${layout.logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(timer);
  };
  return { base, port, workspace, layout, child, stop };
}
