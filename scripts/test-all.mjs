// npm test: every tier in order — typecheck, lint, unit, integration (inside VS Code), e2e (the
// packaged .vsix driven through the real workbench), slurm (the Slurm backend on a real cluster). Goes on after a failure so every tier reports,
// then prints a table and the closing line `N passed, N failed`; exits non-zero on any failure.
// A flaky e2e scenario (failed, then passed on its retry) is in the table's `flaky` column and
// counts as failed: the run fails on it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.env.JOB_QUEUE_TIERS?.split(',');
const tiers = [];

function npmRun(script, env = {}) {
  const t0 = Date.now();
  const result = spawnSync('npm', ['run', '-s', script], { cwd: repo, stdio: 'inherit', env: { ...process.env, ...env } });
  return { ok: result.status === 0, seconds: (Date.now() - t0) / 1000 };
}

function counted(script, name) {
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jq-result-')), `${name}.json`);
  const { ok, seconds } = npmRun(script, { JOB_QUEUE_TEST_RESULT: resultFile });
  let passes = ok ? 1 : 0;
  let failures = ok ? 0 : 1;
  let flaky = [];
  if (fs.existsSync(resultFile)) {
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    passes = r.passes;
    // A tier that failed without a failing test (a crash, a timeout) still counts as one failure.
    failures = Math.max(r.failures, ok ? 0 : 1);
    flaky = r.flakyNames ?? [];
  }
  return { name, ok: ok && failures === 0, passes, failures, flaky, seconds };
}

function single(script, name) {
  const { ok, seconds } = npmRun(script);
  return { name, ok, passes: ok ? 1 : 0, failures: ok ? 0 : 1, flaky: [], seconds };
}

const plan = [
  ['typecheck', () => single('typecheck', 'typecheck')],
  ['lint', () => single('lint', 'lint')],
  ['unit', () => counted('test:unit', 'unit')],
  ['integration', () => counted('test:integration', 'integration')],
  ['e2e', () => counted('test:e2e', 'e2e')],
  // A real single-node Slurm, brought up and down by the tier itself; it fails (never skips) without one.
  ['slurm', () => counted('test:slurm', 'slurm')],
];

for (const [name, runTier] of plan) {
  if (only && !only.includes(name)) continue;
  console.log(`\n===== ${name} =====`);
  tiers.push(runTier());
}

// `failed` includes the flaky ones; a tier whose only failures are flaky says FLAKY.
const result = (t) => (t.ok ? 'ok' : t.flaky.length && t.flaky.length === t.failures ? 'FLAKY' : 'FAILED');
console.log('\n| tier | result | passed | failed | flaky | seconds |\n|---|---|---|---|---|---|');
for (const t of tiers) console.log(`| ${t.name} | ${result(t)} | ${t.passes} | ${t.failures} | ${t.flaky.length ? `${t.flaky.length} (${t.flaky.join(', ')})` : 0} | ${t.seconds.toFixed(1)} |`);
const passed = tiers.reduce((n, t) => n + t.passes, 0);
const failed = tiers.reduce((n, t) => n + t.failures, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(tiers.every((t) => t.ok) ? 0 : 1);
