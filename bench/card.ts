// Section (h): what rendering output like the terminal costs the running-job card. The product
// bundles' sizes (the webview carries no terminal engine: @xterm/headless runs on the host), and the
// host's time to turn a tail into the card's lines (terminal engine + link lookup) per update.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CARD_TAIL_LINES } from '../src/shared/runningJobProtocol';
import { CardOutput, filesOnDisk } from '../src/vscode/runningJobCard/cardOutput';
import { LinkTable } from '../src/vscode/runningJobCard/outputLinks';

export const CARD_HEADING = '## (h) The running-job card — output as the terminal shows it';

/** The product bundles before the card rendered terminal output (main at 0b7c597, `node esbuild.js --production`). */
const BEFORE = { webviewJs: { raw: 85_344, gzip: 26_985 }, webviewCss: { raw: 2_735, gzip: 940 }, extensionJs: { raw: 222_459, gzip: 71_762 } };

interface Size { raw: number; gzip: number }
export interface CardBench {
  after: { webviewJs: Size; webviewCss: Size; extensionJs: Size };
  /** Milliseconds per update: median and 95th percentile. */
  typical: { median: number; p95: number };
  worst: { median: number; p95: number };
  /** The machine's 1-minute load average when the timings ended (2 cores, shared). */
  load: number;
}

function sizeOf(file: string): Size {
  const bytes = fs.readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, p95: times[Math.floor(runs * 0.95)]! };
}

export async function cardBench(root: string, quick: boolean): Promise<CardBench> {
  const dist = path.join(root, 'card-dist');
  execFileSync(process.execPath, ['esbuild.js', '--production', `--dist=${dist}`], { cwd: path.join(__dirname, '..') });
  const after = { webviewJs: sizeOf(path.join(dist, 'webview', 'main.js')), webviewCss: sizeOf(path.join(dist, 'webview', 'main.css')), extensionJs: sizeOf(path.join(dist, 'extension.js')) };

  const folder = path.join(root, 'card-workspace');
  fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'src', 'x.ts'), 'x\n');
  const output = new CardOutput(new LinkTable(), filesOnDisk(() => [folder]));
  const run = { id: '1', attempt: 1, spec: {} };
  // A build's tail: coloured lines, file:line references (one resolves), a tqdm bar redrawn 200 times.
  const bar = Array.from({ length: 200 }, (_, i) => `\r${String(Math.round(i / 2)).padStart(3)}%|\x1b[36m${'#'.repeat(i / 20)}\x1b[0m| ${i}/200`).join('');
  const typical = Array.from({ length: CARD_TAIL_LINES - 1 }, (_, i) => i % 4 === 0
    ? `\x1b[31msrc/x.ts:${i + 1}:3\x1b[0m error TS2304: Cannot find name 'y${i}'. (see lib/missing.ts:4)`
    : `\x1b[32m✓\x1b[0m \x1b[1mtest ${i}\x1b[0m passed in \x1b[38;5;208m${i} ms\x1b[0m`).concat(bar);
  // The most a tail can hold: 40 lines of 1,000 characters, each full of escape codes.
  const worst = Array.from({ length: CARD_TAIL_LINES }, (_, i) => Array.from({ length: 100 }, (_, j) => `\x1b[3${j % 8}m${String(i * j).padStart(5)}`).join('').slice(0, 1000));
  const runs = quick ? 50 : 300;
  const timings = { typical: await timeRuns(runs, () => output.lines(run, typical)), worst: await timeRuns(runs, () => output.lines(run, worst)) };
  return { after, ...timings, load: os.loadavg()[0]! };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const fmt = (n: number) => n.toFixed(2);
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

export function cardReport(r: CardBench): string {
  const row = (name: string, before: Size, after: Size) => `| ${name} | ${kb(before.raw)} (${kb(before.gzip)} gz) | ${kb(after.raw)} (${kb(after.gzip)} gz) | +${kb(after.raw - before.raw)} (+${kb(after.gzip - before.gzip)} gz) |`;
  const added = r.after.webviewJs.raw + r.after.webviewCss.raw - BEFORE.webviewJs.raw - BEFORE.webviewCss.raw;
  return `${CARD_HEADING}

Product bundles (\`node esbuild.js --production\`), before (main at 0b7c597) and now:

| bundle | before | now | added |
|---|---|---|---|
${row('webview `main.js`', BEFORE.webviewJs, r.after.webviewJs)}
${row('webview `main.css`', BEFORE.webviewCss, r.after.webviewCss)}
${row('extension host `extension.js`', BEFORE.extensionJs, r.after.extensionJs)}

Goal: the webview grows by no more than what drawing styled runs and links needs (under 10 KiB) —
${verdict(added < 10 * 1024)} (+${kb(added)}). The terminal engine (@xterm/headless, VS Code's own) runs on the host,
so it lands in \`extension.js\`, not in the webview: the card only draws the lines it is sent.

Host time per card update (a tail through the terminal engine, then every \`file:line\` looked up on disk):

| tail | median | p95 |
|---|---|---|
| ${CARD_TAIL_LINES} lines of a build: colours, 10 references (one file exists), a tqdm bar redrawn 200 times | ${fmt(r.typical.median)} ms | ${fmt(r.typical.p95)} ms |
| the most a tail holds: ${CARD_TAIL_LINES} lines × 1,000 characters, a colour change every 10 | ${fmt(r.worst.median)} ms | ${fmt(r.worst.p95)} ms |

Goal: the p95 of a typical update well inside the card's 250 ms update interval (under 25 ms) — ${verdict(r.typical.p95 < 25)}
(the machine's load average was ${r.load.toFixed(1)} on its ${os.cpus().length} cores at the end of these timings).
Updates are throttled to one per 250 ms per card, and the engine parses in chunks between which the
host's event loop runs; reading the screen back compares cells' attributes as numbers and makes one
style object per run.
`;
}
