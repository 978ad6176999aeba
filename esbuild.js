// Builds every bundle of the project. Three shipped entry points (extension: node/cjs with `vscode`
// external; the terminal command: node/cjs; webview: browser/esm), plus test and benchmark bundles that never ship.
//   node esbuild.js               development build of the extension and the webview (sourcemaps);
//                                 the TEST build: it carries the test-only commands (src/vscode/testHooks.ts)
//   node esbuild.js --production  the PRODUCT build for the .vsix: minified, without the test-only code
//   --dist=<dir>                  where the shipped bundles go (default dist/; npm run package stages elsewhere)
//   node esbuild.js --watch       rebuild on change
//   node esbuild.js --tests       also unit + integration test bundles under out/test
//   node esbuild.js --bench       benchmark bundle under dist-bench
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const dist = [...args].find((a) => a.startsWith('--dist='))?.slice('--dist='.length) || 'dist';

// `JOB_QUEUE_TEST_HOOKS` is a compile-time constant: false in the product build, so the test-only
// commands and their module are dropped from dist/extension.js, not merely left unregistered.
const node = {
  platform: 'node', format: 'cjs', target: 'node20', bundle: true, sourcemap: !production, minify: production, logLevel: 'warning',
  define: { JOB_QUEUE_TEST_HOOKS: production ? 'false' : 'true' },
};

function filesUnder(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f));
}

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: path.join(dist, 'extension.js'), external: ['vscode'] },
  // The terminal command (`jobq`), run by the shim the extension writes, with VS Code's own runtime (ELECTRON_RUN_AS_NODE).
  { ...node, entryPoints: ['src/cli/jobq.ts'], outfile: path.join(dist, 'cli.js') },
  {
    platform: 'browser', format: 'esm', target: 'es2022', bundle: true, sourcemap: !production, minify: production, logLevel: 'warning',
    entryPoints: { main: 'webview-ui/main.ts' }, outdir: path.join(dist, 'webview'), loader: { '.css': 'css' },
  },
];
if (args.has('--tests')) {
  if (production) throw new Error('--tests needs the test build: drop --production');
  builds.push({ ...node, sourcemap: true, entryPoints: filesUnder('test/unit', '.ts').filter((f) => !f.endsWith('helpers.ts')), outdir: 'out/test/unit', packages: 'external' });
  builds.push({ ...node, sourcemap: true, entryPoints: filesUnder('test/integration', '.ts'), outdir: 'out/test/integration', external: ['vscode', 'mocha'] });
  builds.push({ ...node, sourcemap: true, entryPoints: filesUnder('test/slurm', '.ts').filter((f) => !f.endsWith('slurmKit.ts')), outdir: 'out/test/slurm', packages: 'external' });
}
if (args.has('--bench')) {
  builds.push({ ...node, sourcemap: true, entryPoints: filesUnder('bench', '.ts'), outdir: 'dist-bench', packages: 'external' });
}

async function main() {
  // Entry points that do not exist yet are skipped, so a partial tree still builds its tests.
  const present = builds.filter((b) => (Array.isArray(b.entryPoints) ? b.entryPoints : Object.values(b.entryPoints)).every((f) => fs.existsSync(f)) && (Array.isArray(b.entryPoints) ? b.entryPoints.length > 0 : true));
  if (watch) {
    for (const b of present) await (await esbuild.context(b)).watch();
    console.log('[esbuild] watching');
    return;
  }
  await Promise.all(present.map((b) => esbuild.build(b)));
}

main().catch((e) => { console.error(e); process.exit(1); });
