// Output on the running-job card reads like the terminal, under a person's hands: a job prints
// 16-colour, 256-colour, 24-bit and bold text, a tqdm-style bar redrawn with \r, and a compiler-style
// `src/x.ts:3:7 error: …`. The card shows the colours (checked by computed colour against the
// theme's own --vscode-terminal-ansi* values, not by class name), the bar as one line in its last
// state, no escape code anywhere, and a link that — pressed like a person — opens src/x.ts at line 3,
// column 7 (read from the workbench: the active editor tab and the status bar's cursor position).
// When the job ends, the card keeps its result (status, exit code, duration, last lines, the link);
// Retry queues a new job and Dismiss empties the card. Screenshots in light (the workbench's default
// here), dark and high contrast.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert } from './lib.mjs';

const FLAG = 'finish.flag';
// Waits for FLAG so the test decides when the job ends (no timing), then fails with exit code 1.
const COMMAND = [
  "printf '\\033[32mgreen ok\\033[0m \\033[1;31mbold red\\033[0m \\033[38;5;208morange 256\\033[0m \\033[38;2;255;0;255mmagenta rgb\\033[0m\\n'",
  "for i in 1 2 3 4 5 6 7 8 9 10; do printf '\\r%3d%%|\\033[36m%-10.*s\\033[0m| %d/10 \\033[K' $((i*10)) $i '##########' $i; sleep 0.05; done; echo",
  "printf 'src/x.ts:3:7 error: Cannot find name \\047wrong\\047.\\n'",
  `while [ ! -f ${FLAG} ]; do sleep 0.1; done; exit 1`,
].join('; ');

export function setUp({ workspace }) {
  fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'src', 'x.ts'), 'const a = 1;\nconst b = 2;\nconst c = a + wrong;\n');
  return {};
}

/** `#rrggbb` (a theme variable's value) → `rgb(r, g, b)` (what getComputedStyle gives). */
function rgbOf(hex) {
  const value = hex.trim().replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(value.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/** What the card's output shows: each coloured run's computed colour and weight, the theme's ANSI values, the lines' text. */
async function readOutput(card, section) {
  return section.locator('.output').evaluate((output) => {
    const root = getComputedStyle(document.documentElement);
    const runOf = (text) => {
      const el = [...output.querySelectorAll('span, a')].find((e) => e.textContent === text);
      return el ? { color: getComputedStyle(el).color, weight: getComputedStyle(el).fontWeight } : undefined;
    };
    return {
      lines: [...output.querySelectorAll('.line')].map((l) => l.textContent),
      green: runOf('green ok'),
      red: runOf('bold red'),
      orange: runOf('orange 256'),
      magenta: runOf('magenta rgb'),
      plain: getComputedStyle(output).color,
      theme: { green: root.getPropertyValue('--vscode-terminal-ansiGreen'), red: root.getPropertyValue('--vscode-terminal-ansiRed') },
    };
  });
}

function checkColours(seen, where) {
  assert(seen.green && seen.green.color === rgbOf(seen.theme.green), `${where}: "green ok" is the theme's terminal green (${seen.green?.color} vs ${seen.theme.green})`);
  assert(seen.green.color !== seen.plain, `${where}: and not the output's default colour (${seen.plain})`);
  assert(seen.red && seen.red.color === rgbOf(seen.theme.red) && Number(seen.red.weight) >= 600, `${where}: "bold red" is the theme's red, bold (${JSON.stringify(seen.red)})`);
  assert(seen.orange?.color === 'rgb(255, 135, 0)', `${where}: 256-colour 208 is xterm's orange (${seen.orange?.color})`);
  assert(seen.magenta?.color === 'rgb(255, 0, 255)', `${where}: the 24-bit colour is as given (${seen.magenta?.color})`);
}

function checkLines(lines, where) {
  const text = lines.join('\n');
  assert(!/\x1b|␛|\[\d+(;\d+)*m|\[K/.test(text), `${where}: no escape code shows (${JSON.stringify(text)})`);
  const bars = lines.filter((l) => /\d+\/10\b/.test(l));
  assert(bars.length === 1, `${where}: the \\r-redrawn bar is one line (${JSON.stringify(bars)})`);
  assert(/100%\|##########\| 10\/10/.test(bars[0]), `${where}: in its last state (${JSON.stringify(bars[0])})`);
}

export default async function terminalOutput(ctx) {
  const { wb, page, workspace } = ctx;
  await wb.openContainer('Job Queue');
  await wb.addJob(COMMAND, 'Terminal output');
  await wb.runCommand('Job Queue: Show Running Job');
  await wb.runCommand('Job Queue: Send Job');
  const card = wb.webview();
  const running = card.locator('section.card:not(.result)').filter({ hasText: 'Terminal output' });
  await running.locator('.output a.link', { hasText: 'src/x.ts:3:7' }).waitFor({ timeout: 30_000 });

  // ---- the running card: colours by computed colour, one bar line, no escape codes ---------------
  const live = await readOutput(card, running);
  checkColours(live, 'running');
  checkLines(live.lines, 'running');
  const percent = await running.locator('.percent').textContent();
  assert(percent?.trim() === '100%', `the coloured bar is read as progress (${percent})`);
  await wb.screenshot('11-card-terminal-output-light', { forDocs: true });

  // ---- the link, pressed like a person, opens src/x.ts at line 3, column 7 --------------------------
  await wb.pressLikeAPerson(running.locator('.output a.link', { hasText: 'src/x.ts:3:7' }));
  // (Opening a file can take a while on a loaded machine: the language server starts on it.)
  await page.locator('.statusbar-item', { hasText: 'Ln 3, Col 7' }).first().waitFor({ timeout: 30_000 });
  await page.locator('.tabs-container .tab.active', { hasText: 'x.ts' }).first().waitFor({ timeout: 30_000 });
  const line = await page.locator('.editor-instance .monaco-editor .view-lines').first().textContent();
  assert(/const\s+c\s+=\s+a\s+\+\s+wrong;/.test(line ?? ''), 'the editor shows src/x.ts');
  const notices = await card.locator('.notice:not([hidden])').allTextContents();
  assert(notices.length === 0, `the link opened without a refusal (${JSON.stringify(notices)})`);

  // ---- the job ends: the card keeps its result --------------------------------------------------------
  fs.writeFileSync(path.join(workspace, FLAG), '');
  const result = card.locator('section.card.result').filter({ hasText: 'Terminal output' });
  await result.waitFor({ timeout: 20_000 });
  await card.locator('.empty-state', { hasText: 'No job running' }).waitFor();
  const words = await result.locator('.status-line').textContent();
  assert(/Failed/.test(words) && /exit code 1/.test(words) && /ran \d\d:\d\d:\d\d/.test(words), `the result says how the run ended (${JSON.stringify(words)})`);
  const kept = await readOutput(card, result);
  checkColours(kept, 'result');
  checkLines(kept.lines, 'result');
  assert(kept.lines.some((l) => /src\/x\.ts:3:7 error/.test(l)), 'the result keeps the last lines');
  await result.locator('.output a.link', { hasText: 'src/x.ts:3:7' }).waitFor();
  await wb.screenshot('12-card-result-light', { forDocs: true });

  // ---- the same card in the dark and high-contrast themes: the colours follow the theme -------------
  let previous = kept;
  for (const [theme, workbenchClass, shot] of [['Dark Modern', 'vs-dark', '13-card-result-dark'], ['Dark High Contrast', 'hc-black', '14-card-result-high-contrast']]) {
    await wb.setColorTheme(theme, { workbenchClass });
    let now = await readOutput(card, result);
    for (let i = 0; i < 50 && now.theme.green === previous.theme.green; i++) {
      await page.waitForTimeout(100);
      now = await readOutput(card, result);
    }
    assert(now.theme.green !== previous.theme.green, `${theme} has its own terminal green (${previous.theme.green} → ${now.theme.green})`);
    checkColours(now, theme);
    await wb.screenshot(shot, { forDocs: true });
    previous = now;
  }

  // ---- Retry (through Retry Job) and Dismiss, pressed like a person -------------------------------
  await wb.pressLikeAPerson(result.locator('vscode-button[data-action="retry"]'));
  await wb.treeRow('Queue (1)').waitFor({ timeout: 10_000 });
  await wb.pressLikeAPerson(result.locator('vscode-button[data-action="dismiss"]'));
  await result.waitFor({ state: 'detached', timeout: 10_000 });
  await card.locator('.empty-state', { hasText: 'No job running' }).waitFor();
  await card.locator('.queue-count', { hasText: '1 job queued' }).waitFor();
}
