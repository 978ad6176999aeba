// What the terminal command's tests share: running `jobq` in-process (main() with a recording Io) or
// as the real bundle (dist/cli.js, a child process), and looking at the queue's inbox.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import type { Waits } from '../../src/cli/requests';

export interface CliRun { code: number; stdout: string; stderr: string }

/** Short waits: a test owner answers within a poll or two (its inbox is drained every 100 ms). */
export const TEST_WAITS: Waits = { replyMs: 5000, ownerMs: 300, pollMs: 20 };

/** `env`: the terminal's environment (default: this process's); JOB_QUEUE_DIR is set on top when `dir` is given. */
export async function jobq(dir: string | undefined, args: string[], cwd = process.cwd(), env: Readonly<Record<string, string | undefined>> = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (t) => (stdout += typeof t === 'string' ? t : Buffer.from(t).toString('utf8')),
    err: (t) => (stderr += t),
    // No queue folder: a plain shell whose registry is empty (never the user's real one).
    env: dir ? { ...env, JOB_QUEUE_DIR: dir } : { JOB_QUEUE_REGISTRY_DIR: path.join(os.tmpdir(), 'jq-no-registry') },
    cwd,
    parentPid: process.pid,
  }, TEST_WAITS);
  return { code, stdout, stderr };
}

/** The bundle the shim runs (built by `node esbuild.js`, which `npm run test:unit` runs first). */
export const CLI_BUNDLE = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** `jobq` as a separate process; asynchronous, so the owner in this process keeps answering meanwhile. */
export function jobqProcess(dir: string, args: string[], cwd = process.cwd()): Promise<CliRun> {
  return outcomeOf(spawn(process.execPath, [CLI_BUNDLE, ...args], { cwd, env: { ...process.env, JOB_QUEUE_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** What a child process (stdout and stderr piped) printed, and its exit code. */
export function outcomeOf(child: ChildProcessByStdio<null, Readable, Readable>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function inboxFiles(dir: string): string[] {
  try {
    return fs.readdirSync(path.join(dir, 'inbox'));
  } catch {
    return [];
  }
}

/** `Job #12 queued …` → "12". */
export function queuedId(run: CliRun): string {
  const match = /^Job #(\d+) queued/.exec(run.stdout);
  if (!match) throw new Error(`not queued: ${JSON.stringify(run)}`);
  return match[1]!;
}
