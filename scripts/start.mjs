// npm start: run the extension. With desktop VS Code on PATH (`code`), as a development extension;
// otherwise in the bundled code-server (a real VS Code in the browser), with the freshly packaged
// .vsix installed the way a user installs it. Prints the URL to open; Ctrl-C stops it.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './harness/ensure-tools.mjs';
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
  const tools = ensureTools();
  const vsix = packageVsix();
  // A stable run folder: the queue you build up survives `npm start` restarts.
  const runDir = path.join(process.env.JOB_QUEUE_START_DIR ?? path.join(os.homedir(), '.cache', 'job-queue-harness', 'start'));
  fs.mkdirSync(runDir, { recursive: true });
  installExtension(tools, runLayout(runDir), vsix);
  const port = Number(process.env.PORT ?? 8080);
  const server = await startCodeServer(tools, { runDir, workspace: folder, port, smokeTestDriver: false });
  console.log(`\nJob Queue is running in VS Code (code-server): open ${server.base}?folder=${encodeURIComponent(folder)}\nPress Ctrl-C to stop.\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}
