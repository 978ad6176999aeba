// `npm run test:electron`: the same integration suite in desktop VS Code through @vscode/test-cli
// (@vscode/test-electron downloads VS Code, so this runs where that download is possible).
import { defineConfig } from '@vscode/test-cli';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-electron-'));

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  version: 'stable',
  workspaceFolder: workspace,
  env: { JOB_QUEUE_TEST_WORKSPACE: workspace },
  mocha: { ui: 'bdd', timeout: 60_000, color: true },
});
