// Loaded by VS Code as extensionTestsPath (code-server here, desktop VS Code via @vscode/test-cli):
// runs every compiled *.test.js next to it with mocha and reports the totals.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, grep: process.env.JOB_QUEUE_TEST_GREP });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = { passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0 };
      console.log(`${stats.passes} passed, ${stats.failures} failed`);
      const resultFile = process.env.JOB_QUEUE_TEST_RESULT;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(stats));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
