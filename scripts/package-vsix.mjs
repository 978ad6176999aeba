// npm run package: a production build and the .vsix a user installs (dist-vsix/job-queue.vsix).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VSIX = path.join(repo, 'dist-vsix', 'job-queue.vsix');

export function packageVsix() {
  const step = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  };
  fs.rmSync(path.join(repo, 'dist'), { recursive: true, force: true });
  step(process.execPath, ['esbuild.js', '--production']);
  fs.mkdirSync(path.dirname(VSIX), { recursive: true });
  step(process.execPath, [path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', VSIX]);
  return VSIX;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(packageVsix());
}
