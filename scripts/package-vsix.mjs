// npm run package: the product build and the .vsix a user installs (dist-vsix/job-queue.vsix).
//
// The product build (esbuild --production: minified, without the test-only commands) is made in a
// staging copy of the repo, never in dist/: dist/ holds the test build that the integration tier and
// F5 run from this checkout, and a package made meanwhile must not swap it under them. In the stage,
// .vscodeignore decides what ships: the bundles, media, the README and the pictures it shows.
//
// README pictures: VS Code's extension page renders the README with only http(s) images allowed (a
// relative `docs/images/x.png` is stripped, whatever the .vsix holds; checked in VS Code 1.139). So
// vsce rewrites the README's relative links to where the repository is served: from package.json's
// `repository` when it is on GitHub/GitLab (vsce's own rule), or from JOB_QUEUE_README_BASE_URL
// (e.g. https://raw.example.org/job-queue/main). With neither, the links stay relative and this
// says that the extension's page will not show them. The pictures ship in the .vsix either way.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VSIX = path.join(repo, 'dist-vsix', 'job-queue.vsix');
const VSCE = path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');

// Build outputs, dependencies and scratch: never part of the stage (the rest is a few MB).
const NOT_STAGED = new Set(['.git', 'node_modules', 'dist', 'dist-vsix', 'dist-bench', 'out', 'test-results', '.harness']);

/** vsce's options for the README's relative links (see the header). */
function readmeLinkOptions(manifest) {
  const base = process.env.JOB_QUEUE_README_BASE_URL;
  if (base) return { args: ['--baseContentUrl', base, '--baseImagesUrl', base] };
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url ?? '';
  if (/github(\.com\/|:)|gitlab(\.com\/|:)/.test(repository)) return { args: [] };
  return {
    args: ['--no-rewrite-relative-links'],
    note: `README images stay relative: VS Code's extension page shows only https images, so they will not show there. ` +
      `Set package.json's repository to the public GitHub/GitLab repository, or JOB_QUEUE_README_BASE_URL to where docs/images is served.`,
  };
}

/** What the .vsix would contain (vsce ls), as paths relative to the stage. */
function shippedFiles(stage) {
  const r = spawnSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce ls failed:\n${r.stderr}`);
  return new Set(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
}

/** Every relative image the README shows must be in the package. */
function checkReadmeImages(stage, shipped) {
  const readme = fs.readFileSync(path.join(stage, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]).filter((src) => !/^[a-z][\w+.-]*:/i.test(src));
  const missing = images.map((src) => path.posix.normalize(src.replace(/^\.\//, ''))).filter((src) => !shipped.has(src));
  if (missing.length) throw new Error(`README shows images the .vsix would not contain (see .vscodeignore): ${missing.join(', ')}`);
}

/**
 * Every bundle the product build wrote must ship: the extension loads some only when used (the
 * terminal command's dist/cli.js, which a .vscodeignore once left out — jobq then ran nothing).
 */
function checkBundlesShipped(stage, shipped) {
  const dist = path.join(stage, 'dist');
  const bundles = fs.readdirSync(dist, { recursive: true }).map(String)
    .filter((f) => !f.endsWith('.map') && fs.statSync(path.join(dist, f)).isFile())
    .map((f) => path.posix.join('dist', f.split(path.sep).join('/')));
  const missing = bundles.filter((f) => !shipped.has(f));
  if (missing.length) throw new Error(`the product build wrote bundles the .vsix would not contain (see .vscodeignore): ${missing.join(', ')}`);
}

/** Packages the extension; writes `out` atomically (an install running meanwhile never reads half a file). */
export function packageVsix({ out = VSIX } = {}) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-package-'));
  const step = (cmd, args, cwd) => {
    const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  };
  try {
    fs.cpSync(repo, stage, { recursive: true, filter: (src) => !NOT_STAGED.has(path.relative(repo, src).split(path.sep)[0]) });
    // Built with the repo's node_modules, written into the stage.
    step(process.execPath, ['esbuild.js', '--production', `--dist=${path.join(stage, 'dist')}`], repo);
    const shipped = shippedFiles(stage);
    checkReadmeImages(stage, shipped);
    checkBundlesShipped(stage, shipped);
    const links = readmeLinkOptions(JSON.parse(fs.readFileSync(path.join(stage, 'package.json'), 'utf8')));
    if (links.note) console.warn(`[package] ${links.note}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    step(process.execPath, [VSCE, 'package', '--no-dependencies', ...links.args, '-o', tmp], stage);
    fs.renameSync(tmp, out);
    return out;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(packageVsix());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
