// npm start: run the extension. With desktop VS Code on PATH (`code`), as a development extension;
// otherwise in the bundled code-server (a real VS Code in the browser), with the freshly packaged
// .vsix installed the way a user installs it. Prints the URL to open; Ctrl-C stops it.
// Needs no browser here (you open the URL in yours). The first run builds code-server once (a few
// minutes; as root it apt-installs the build tools that needs, otherwise it names them and stops);
// after that the URL comes in well under a minute.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE, describeFailure, ensureTools } from './harness/ensure-tools.mjs';
import { installExtension, runLayout, startCodeServer } from './harness/code-server.mjs';
import { packageVsix } from './package-vsix.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.resolve(process.argv[2] ?? process.env.JOB_QUEUE_FOLDER ?? repo);

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && process.env.JOB_QUEUE_USE_CODE_SERVER !== '1') {
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
  console.log(`Opening ${folder} in VS Code with the extension in development mode…`);
  spawn('code', ['--extensionDevelopmentPath', repo, folder], { stdio: 'inherit', detached: true }).unref();
} else {
  try {
    await serve();
  } catch (error) {
    console.error(describeFailure(error));
    process.exit(1);
  }
}

async function serve() {
  const t0 = Date.now();
  const tools = ensureTools({ browser: false });
  const vsix = packageVsix();
  // A stable run folder: the queue you build up survives `npm start` restarts.
  const runDir = process.env.JOB_QUEUE_START_DIR ?? path.join(CACHE, 'start');
  fs.mkdirSync(runDir, { recursive: true });
  installExtension(tools, runLayout(runDir), vsix);
  const port = Number(process.env.PORT ?? 8080);
  const server = await startCodeServer(tools, { runDir, workspace: folder, port, smokeTestDriver: false });
  const url = `${server.base}?folder=${encodeURIComponent(folder)}`;
  console.log(`\nJob Queue is running in VS Code (code-server): open ${url}\n(ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; the extension's log: View → Output → Job Queue.) Press Ctrl-C to stop.\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}
