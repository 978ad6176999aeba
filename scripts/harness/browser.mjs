// Debian's chromium driven by playwright-core (no browser download: these machines cannot).
import { chromium } from 'playwright-core';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** profileDir: a persistent profile (workspaceState/globalState live in the browser's IndexedDB). */
export async function launchBrowser(tools, { profileDir, viewport = { width: 1400, height: 900 } } = {}) {
  const options = { executablePath: tools.chromium, args: FLAGS, viewport };
  if (profileDir) {
    const context = await chromium.launchPersistentContext(profileDir, options);
    return { context, close: () => context.close() };
  }
  const browser = await chromium.launch(options);
  const context = await browser.newContext({ viewport });
  return { context, close: async () => { await context.close(); await browser.close(); } };
}

/** The workbench URL for a folder, with a `payload` of workbench options (extension tests, dev path). */
export function workbenchUrl(base, folder, payload = []) {
  const url = new URL(base);
  url.searchParams.set('folder', folder);
  url.searchParams.set('payload', JSON.stringify([['skipWelcome', 'true'], ...payload]));
  return url.toString();
}

/** `vscode-remote://host:port/abs/path` — how the workbench names a path on the code-server host. */
export function remoteUri(base, absolutePath) {
  return `vscode-remote://${new URL(base).host}${absolutePath}`;
}
