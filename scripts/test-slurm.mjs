// npm run test:slurm — the real-Slurm tier: brings up a single-node Slurm (scripts/slurm/up.sh:
// Debian's slurm-wlm + munge, installed with apt when missing), builds the tests, runs the mocha
// suite in test/slurm AS AN ORDINARY USER (so the pause path real users get, STOP/CONT, is the one
// tested; as root, a user `jqslurm` is made for it), then stops Slurm (always, also on failure).
// Prints `N passed, N failed`; exits non-zero on any failure. Never skips: a Slurm that cannot be
// brought up fails the tier, saying why.
// The tests cannot stop slurmctld themselves (root's daemon): they ask through a folder
// (JQ_SLURM_CONTROL) that this script, running as root, serves while they run.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const slurmRoot = process.env.SLURM_ROOT ?? '/tmp/jq-slurm';
const slurmConf = path.join(slurmRoot, 'etc', 'slurm.conf');
const isRoot = process.getuid?.() === 0;
const TEST_USER = 'jqslurm';
const resultOut = process.env.JOB_QUEUE_TEST_RESULT;

function sh(script, args = []) {
  const r = spawnSync('bash', [path.join(repo, 'scripts', 'slurm', script), ...args], { env: { ...process.env, SLURM_ROOT: slurmRoot }, encoding: 'utf8' });
  return { ok: r.status === 0, code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

function finish(passes, failures, why) {
  if (why) console.error(`\ntest:slurm: ${why}`);
  if (resultOut) fs.writeFileSync(resultOut, JSON.stringify({ passes, failures, pending: 0 }));
  console.log(`\n${passes} passed, ${failures} failed`);
  process.exit(failures === 0 && !why ? 0 : 1);
}

/** The ordinary user the tests run as (root: jqslurm, made when missing; else: whoever runs this). */
function testUser() {
  if (!isRoot) return undefined;
  if (spawnSync('id', ['-u', TEST_USER]).status !== 0) {
    const made = spawnSync('useradd', ['-m', '-s', '/bin/sh', TEST_USER], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`could not create the test user ${TEST_USER}: ${made.stderr}`);
  }
  const id = (flag) => Number(spawnSync('id', [flag, TEST_USER], { encoding: 'utf8' }).stdout.trim());
  return { name: TEST_USER, uid: id('-u'), gid: id('-g') };
}

/**
 * Where the ordinary user runs the tests from: the repo itself when it can read it, else a copy of
 * just what the run needs (a clone under /root, mode 700, is not readable by anyone else).
 */
function runnableRepo(user, work) {
  if (!user || spawnSync('runuser', ['-u', user.name, '--', 'test', '-r', path.join(repo, 'node_modules', 'mocha', 'package.json')]).status === 0) return repo;
  const staged = path.join(work, 'repo');
  console.log(`${user.name} cannot read ${repo}: running a copy of the built tests from ${staged}`);
  for (const part of ['package.json', 'node_modules', 'out/test/slurm', 'test/slurm/.mocharc.json', 'test/unit/reporter.cjs', 'scripts/slurm/sbatch-options.mjs']) {
    fs.mkdirSync(path.dirname(path.join(staged, part)), { recursive: true });
    fs.cpSync(path.join(repo, part), path.join(staged, part), { recursive: true, verbatimSymlinks: true });
  }
  spawnSync('chmod', ['-R', 'a+rX', staged]);
  return staged;
}

/** Serves the tests' requests to stop/start slurmctld (a file `<x>.request` → `<x>.done`). */
function serveControl(dir) {
  const seen = new Set();
  const timer = setInterval(() => {
    for (const f of fs.readdirSync(dir)) {
      if (!f.endsWith('.request') || seen.has(f)) continue;
      seen.add(f);
      const action = fs.readFileSync(path.join(dir, f), 'utf8').trim();
      const r = action === 'stop' || action === 'start' ? sh('ctld.sh', [action]) : { ok: false, out: `unknown action ${action}` };
      console.log(`      [root side] slurmctld ${action}: ${r.ok ? 'ok' : r.out}`);
      fs.writeFileSync(path.join(dir, f.replace(/\.request$/, '.done')), r.ok ? 'ok' : r.out || 'failed');
    }
  }, 50);
  return () => clearInterval(timer);
}

async function main() {
  const t0 = Date.now();
  const up = sh('up.sh');
  console.log(up.out);
  if (!up.ok) {
    // Exit 3: a cluster that is not ours is up (another run): never take it down from here.
    if (up.code !== 3) sh('down.sh');
    return finish(0, 1, `Slurm could not be brought up, so this tier fails (it never skips): ${up.out.split('\n').slice(-5).join(' | ')}`);
  }
  let passes = 0;
  let failures = 0;
  let why;
  try {
    const build = spawnSync(process.execPath, ['esbuild.js', '--tests'], { cwd: repo, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the test build failed');
    const user = testUser();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-slurm-tier-'));
    const control = path.join(work, 'control');
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(control);
    fs.mkdirSync(tmp);
    const result = path.join(work, 'result.json');
    if (user) for (const p of [work, control, tmp]) fs.chownSync(p, user.uid, user.gid);
    fs.chmodSync(work, 0o755);
    const env = {
      PATH: process.env.PATH,
      HOME: user ? `/home/${user.name}` : process.env.HOME,
      USER: user?.name ?? os.userInfo().username,
      LANG: 'C.UTF-8',
      TMPDIR: tmp,
      SHELL: '/bin/sh',
      SLURM_CONF: slurmConf,
      JQ_SLURM_CONTROL: control,
      JOB_QUEUE_TEST_RESULT: result,
    };
    const from = runnableRepo(user, work);
    const mocha = [process.execPath, path.join(from, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', 'test/slurm/.mocharc.json', ...process.argv.slice(2)];
    const argv = user ? ['runuser', '-u', user.name, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...mocha] : mocha;
    console.log(`running the Slurm tests as ${user?.name ?? os.userInfo().username} (${user ? 'made ordinary for the test' : 'this user'})`);
    const stopControl = serveControl(control);
    const code = await new Promise((resolve) => {
      const child = spawn(argv[0], argv.slice(1), { cwd: from, stdio: 'inherit', env: user ? process.env : { ...process.env, ...env } });
      child.once('exit', (c, s) => resolve(c ?? (s ? 128 : 1)));
    });
    stopControl();
    if (fs.existsSync(result)) {
      const r = JSON.parse(fs.readFileSync(result, 'utf8'));
      passes = r.passes;
      failures = Math.max(r.failures, code === 0 ? 0 : 1);
    } else {
      failures = 1;
      why = `the test run ended (code ${code}) without a result`;
    }
    fs.rmSync(work, { recursive: true, force: true });
  } catch (error) {
    failures = Math.max(failures, 1);
    why = error.message;
  } finally {
    const down = sh('down.sh');
    console.log(down.out);
  }
  console.log(`test:slurm took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  finish(passes, failures, why);
}

main().catch((error) => {
  // Only reached after up.sh succeeded (main handles its failure): the cluster is ours to stop.
  sh('down.sh');
  finish(0, 1, error.stack ?? String(error));
});
