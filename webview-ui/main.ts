// The running-job card, in the webview. Renders the host's state; elapsed time and ETA tick here
// (no message per second); clicks go back to the host as protocol commands.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import './main.css';
import { formatClock, formatEta } from '../src/shared/format';
import { HostMessageSchema, type CardJob, type CardState, type WebviewMessage } from '../src/shared/runningJobProtocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let state: CardState | undefined;
/** host clock − local clock, so elapsed time is right even when the browser runs elsewhere. */
let skew = 0;
/** When each job's ETA was last reported (host clock), to count it down locally. */
const etaAt = new Map<string, number>();

const hostNow = () => Date.now() + skew;

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function button(label: string, action: string, onClick: () => void, options: { secondary?: boolean; disabled?: boolean } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.dataset.action = action;
  if (options.secondary) b.setAttribute('secondary', '');
  if (options.disabled) b.setAttribute('disabled', '');
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

function elapsedOf(job: CardJob): number {
  const end = job.status === 'paused' && job.pausedAt !== undefined ? job.pausedAt : hostNow();
  return Math.max(0, end - job.startedAt - job.pausedMs);
}

function etaOf(job: CardJob): number | undefined {
  if (job.etaMs === undefined) return undefined;
  if (job.status === 'paused') return job.etaMs;
  return Math.max(0, job.etaMs - (hostNow() - (etaAt.get(job.id) ?? hostNow())));
}

function renderJob(job: CardJob, canPause: boolean): HTMLElement {
  const card = el('section', { class: 'card', 'data-job-id': job.id, 'aria-label': `Running Job #${job.ordinal}` });
  const status = el('vscode-badge' as keyof HTMLElementTagNameMap, { class: `status status-${job.status}` }, job.status === 'paused' ? 'Paused' : 'Running');
  card.append(
    el('header', {}, el('h2', {}, `Running Job #${job.ordinal}`), status),
    el('div', { class: 'title' }, el('span', { class: 'id' }, `#${job.id}`), ' ', el('span', { class: 'label' }, job.label ?? job.command)),
    ...(job.label ? [el('code', { class: 'command', title: job.command }, job.command)] : []),
  );
  const bar = document.createElement('vscode-progress-bar');
  bar.className = 'progress';
  bar.setAttribute('aria-label', 'Progress');
  if (job.percent === undefined) bar.setAttribute('indeterminate', '');
  else bar.setAttribute('value', String(job.percent));
  card.append(
    el('div', { class: 'progress-row' }, bar, el('span', { class: 'percent' }, job.percent === undefined ? '' : `${Math.floor(job.percent)}%`)),
    el('div', { class: 'times' },
      el('span', { class: 'elapsed' }, `Elapsed ${formatClock(elapsedOf(job))}`),
      el('span', { class: 'eta', title: job.etaSource === 'history' ? 'From earlier runs of this command' : job.etaSource === 'rate' ? 'From the progress so far' : '' }, formatEta(etaOf(job)))),
  );
  const actions = el('div', { class: 'actions' });
  if (canPause) {
    actions.append(job.status === 'paused'
      ? button('Resume', 'resume', () => send({ type: 'resumeJob', jobId: job.id }))
      : button('Pause', 'pause', () => send({ type: 'pauseJob', jobId: job.id })));
  }
  actions.append(
    button('Cancel', 'cancel', () => send({ type: 'cancelJob', jobId: job.id }), { secondary: true }),
    button('Cancel + Return to Queue', 'cancelAndRequeue', () => send({ type: 'cancelAndRequeue', jobId: job.id }), { secondary: true }),
    button('Show Log', 'showLog', () => send({ type: 'showLog', jobId: job.id }), { secondary: true }),
  );
  const output = el('pre', { class: 'output', 'aria-label': 'Last lines of output', tabindex: '0' }, job.tail.join('\n') || '(no output yet)');
  card.append(actions, output);
  return card;
}

function renderEmpty(s: CardState): HTMLElement {
  const queued = s.queuedCount === 0 ? 'Queue is empty' : `${s.queuedCount} job${s.queuedCount === 1 ? '' : 's'} queued`;
  return el('section', { class: 'empty-state' },
    el('h2', {}, 'No job running'),
    el('p', { class: 'queue-count' }, queued + (s.queuePaused ? ' · Queue paused' : '') + (s.autoRun ? ' · auto-run on' : '')),
    button('Send Job', 'send', () => send({ type: 'sendNextJob' }), { disabled: s.queuedCount === 0 || s.queuePaused }));
}

function render(): void {
  if (!state) {
    app.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
    return;
  }
  const s = state;
  const scroll = new Map([...app.querySelectorAll<HTMLElement>('[data-job-id] .output')].map((pre) => [pre.closest<HTMLElement>('[data-job-id]')!.dataset.jobId, pre.scrollHeight - pre.scrollTop - pre.clientHeight < 8]));
  app.replaceChildren(...(s.jobs.length === 0 ? [renderEmpty(s)] : s.jobs.map((job) => renderJob(job, s.canPause))));
  if (s.jobs.length > 0) app.append(el('p', { class: 'queue-count footer' }, `${s.queuedCount} queued${s.queuePaused ? ' · Queue paused' : ''}`));
  // Keep following the output unless the user scrolled up to read.
  for (const pre of app.querySelectorAll<HTMLElement>('.output')) {
    const id = pre.closest<HTMLElement>('[data-job-id]')!.dataset.jobId;
    if (scroll.get(id) ?? true) pre.scrollTop = pre.scrollHeight;
  }
}

/** Once a second: only the clocks change, so only they are touched. */
function tick(): void {
  if (!state) return;
  for (const job of state.jobs) {
    const card = app.querySelector<HTMLElement>(`[data-job-id="${CSS.escape(job.id)}"]`);
    if (!card) continue;
    card.querySelector('.elapsed')!.textContent = `Elapsed ${formatClock(elapsedOf(job))}`;
    card.querySelector('.eta')!.textContent = formatEta(etaOf(job));
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.type === 'didChangeState') {
    skew = message.state.now - Date.now();
    state = message.state;
    for (const job of state.jobs) etaAt.set(job.id, message.state.now);
    vscode.setState({ seen: true });
    render();
    return;
  }
  const job = state?.jobs.find((j) => j.id === message.jobId);
  if (!job) return;
  if (message.type === 'didUpdateProgress') {
    job.percent = message.percent;
    job.etaMs = message.etaMs;
    job.etaSource = message.etaSource;
    etaAt.set(job.id, message.now);
  } else {
    job.tail = message.tail;
  }
  render();
});

render();
setInterval(tick, 1000);
send({ type: 'ready' });
