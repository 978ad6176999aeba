// The running-job card's templates. Rendered with lit into the page itself (no shadow DOM, so the
// static, nonce-free stylesheet main.css styles it): every update patches only the text and
// attributes that changed, so a button under the mouse, the keyboard focus, selected output text
// and the output's scroll position all survive it. Jobs are keyed by run, output lines by number.
import { html, nothing, render, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { formatClock, formatEta } from '../src/shared/format';
import type { CardJob, CardJobAction, CardResult, CardRun } from '../src/shared/runningJobProtocol';
import { BUTTON_LABELS, PAGE, jobIdentity, queueSummary, resultWords, runKey, slotsHeading, type CardModel, type CardRequestAction } from './cardModel';
import { cssProps } from './cssProps';
import { runLook } from './terminalStyle';

/** A run on the card (a running job, or the kept result): what its buttons and links act on. */
export type ShownRun = Pick<CardJob, 'id' | 'attempt'>;

export interface CardHandlers {
  act(run: ShownRun, action: CardJobAction): void;
  openLink(run: ShownRun, link: number): void;
  dismissResult(): void;
  sendNextJob(): void;
}

/** The `data-action` each button carries (what the e2e tests and the CSS know it by). */
const DATA_ACTION: Record<CardRequestAction, string> = {
  pauseJob: 'pause',
  resumeJob: 'resume',
  cancelJob: 'cancel',
  cancelAndRequeue: 'cancelAndRequeue',
  showLog: 'showLog',
  retryJob: 'retry',
  sendNextJob: 'send',
  dismissResult: 'dismiss',
  openLink: 'openLink',
};

function button(action: CardRequestAction, options: { busy: boolean; disabled?: boolean; secondary?: boolean; onClick: () => void }): TemplateResult {
  return html`<vscode-button
    data-action=${DATA_ACTION[action]}
    ?secondary=${options.secondary ?? false}
    ?disabled=${options.busy || (options.disabled ?? false)}
    aria-busy=${options.busy ? 'true' : 'false'}
    @click=${options.onClick}
  >${BUTTON_LABELS[action]}</vscode-button>`;
}

/** One run of text: its look from the job's escape codes; a `file:line` the host resolved is a link. */
function runTemplate(run: CardRun, shown: ShownRun, handlers: CardHandlers): TemplateResult {
  const look = runLook(run.style);
  const link = run.link;
  if (link === undefined) return html`<span class=${look.classes} ${cssProps(look.props)}>${run.text}</span>`;
  const open = (event: Event) => {
    event.preventDefault();
    handlers.openLink(shown, link);
  };
  return html`<a href="#" class=${`link ${look.classes}`} data-link=${String(link)} title="Open in the editor" ${cssProps(look.props)} @click=${open}>${run.text}</a>`;
}

function outputTemplate(model: CardModel, run: CardJob | CardResult, handlers: CardHandlers, empty = '(no output yet)'): TemplateResult {
  const { first, lines } = model.outputOf(run);
  const numbered = lines.map((runs, i) => ({ n: first + i, runs }));
  return html`<div class="output" role="region" aria-label="Last lines of output" tabindex="0">${numbered.length === 0
    ? html`<div class="line placeholder">${empty}</div>`
    : repeat(numbered, (line) => line.n, (line) => html`<div class="line">${line.runs.map((r) => runTemplate(r, run, handlers))}</div>`)}</div>`;
}

function jobTemplate(model: CardModel, job: CardJob, canPause: boolean, handlers: CardHandlers, now: number): TemplateResult {
  const key = runKey(job);
  const identity = jobIdentity(job);
  const notice = model.notice(key, now);
  const busy = (action: CardJobAction) => model.isBusy(key, action);
  const onClick = (action: CardJobAction) => () => {
    if (!model.isBusy(key, action)) handlers.act(job, action);
  };
  const toggle: CardJobAction = job.status === 'paused' ? 'resumeJob' : 'pauseJob';
  const titleId = `job-${job.id}-${job.attempt}-title`;
  return html`<section class="card" data-job-id=${job.id} data-attempt=${String(job.attempt)} aria-labelledby=${titleId}>
    <h2 class="title" id=${titleId}><span class="id">${identity.id}</span><span class="separator" aria-hidden="true"> · </span><span class="label">${identity.title}</span></h2>
    ${job.label ? html`<code class="command" title=${job.command}>${job.command}</code>` : nothing}
    <div class="status-line" aria-live="polite">
      <vscode-badge class=${`status status-${job.status}`}>${job.status === 'paused' ? 'Paused' : 'Running'}</vscode-badge>
      <span class="notice" ?hidden=${notice === undefined}>${notice ?? ''}</span>
    </div>
    ${job.backend ? html`<dl class="backend" aria-label=${job.backend.summary}>${job.backend.fields.map((f) => html`<div class="field"><dt>${f.label}</dt><dd>${f.value}</dd></div>`)}</dl>` : nothing}
    <div class="progress-row">
      <vscode-progress-bar class="progress" aria-label="Progress" ?indeterminate=${job.percent === undefined} .value=${job.percent}></vscode-progress-bar>
      <span class="percent">${job.percent === undefined ? '' : `${Math.floor(job.percent)}%`}</span>
    </div>
    <div class="times">
      <span class="elapsed">Elapsed ${formatClock(model.elapsed(job, now))}</span>
      <span class="eta" title=${job.etaSource === 'history' ? 'From earlier runs of this command' : job.etaSource === 'rate' ? 'From the progress so far' : ''}>${formatEta(model.eta(job, now))}</span>
    </div>
    <div class="actions">
      ${(job.canPause ?? canPause) ? button(toggle, { busy: busy(toggle), onClick: onClick(toggle) }) : nothing}
      ${button('cancelJob', { busy: busy('cancelJob'), secondary: true, onClick: onClick('cancelJob') })}
      ${button('cancelAndRequeue', { busy: busy('cancelAndRequeue'), secondary: true, onClick: onClick('cancelAndRequeue') })}
      ${button('showLog', { busy: busy('showLog'), secondary: true, onClick: onClick('showLog') })}
    </div>
    ${outputTemplate(model, job, handlers)}
  </section>`;
}

/** The last run, kept once nothing runs: how it ended, its last lines, Retry / Show Log / Dismiss. */
function resultTemplate(model: CardModel, result: CardResult, handlers: CardHandlers, now: number): TemplateResult {
  const key = runKey(result);
  const identity = jobIdentity(result);
  const words = resultWords(result);
  const notice = model.notice(key, now);
  const onClick = (action: CardJobAction) => () => {
    if (!model.isBusy(key, action)) handlers.act(result, action);
  };
  const titleId = `result-${result.id}-${result.attempt}-title`;
  return html`<section class="card result" data-job-id=${result.id} data-attempt=${String(result.attempt)} aria-labelledby=${titleId}>
    <p class="result-heading">Last run</p>
    <h2 class="title" id=${titleId}><span class="id">${identity.id}</span><span class="separator" aria-hidden="true"> · </span><span class="label">${identity.title}</span></h2>
    ${result.label ? html`<code class="command" title=${result.command}>${result.command}</code>` : nothing}
    <div class="status-line" aria-live="polite">
      <vscode-badge class=${`status status-${result.status}`}>${words.status}</vscode-badge>
      <span class="result-detail">${words.detail}</span>
      <span class="notice" ?hidden=${notice === undefined}>${notice ?? ''}</span>
    </div>
    <div class="actions">
      ${button('retryJob', { busy: model.isBusy(key, 'retryJob'), onClick: onClick('retryJob') })}
      ${button('showLog', { busy: model.isBusy(key, 'showLog'), secondary: true, onClick: onClick('showLog') })}
      ${button('dismissResult', { busy: model.isBusy(PAGE, 'dismissResult'), secondary: true, onClick: () => {
        if (!model.isBusy(PAGE, 'dismissResult')) handlers.dismissResult();
      } })}
    </div>
    ${outputTemplate(model, result, handlers, '(no output)')}
  </section>`;
}

function pageNotice(model: CardModel, now: number): TemplateResult {
  const notice = model.notice(PAGE, now);
  return html`<p class="page-status" aria-live="polite"><span class="notice" ?hidden=${notice === undefined}>${notice ?? ''}</span></p>`;
}

function cardTemplate(model: CardModel, handlers: CardHandlers, now: number): TemplateResult {
  const state = model.state;
  if (!state) return html`<p class="loading">Loading…</p>`;
  if (state.jobs.length === 0) {
    const busy = model.isBusy(PAGE, 'sendNextJob');
    return html`<section class="empty-state">
      <h1>No job running</h1>
      <p class="queue-count">${queueSummary(state)}</p>
      ${button('sendNextJob', {
        busy,
        disabled: state.queuedCount === 0 || state.queuePaused,
        onClick: () => {
          if (!model.isBusy(PAGE, 'sendNextJob')) handlers.sendNextJob();
        },
      })}
      ${pageNotice(model, now)}
    </section>
    ${state.result ? resultTemplate(model, state.result, handlers, now) : nothing}`;
  }
  return html`<h1 class="slots">${slotsHeading(state.jobs.length, state.slots)}</h1>
    ${pageNotice(model, now)}
    ${repeat(state.jobs, runKey, (job) => jobTemplate(model, job, state.canPause, handlers, now))}
    <p class="queue-count footer">${state.queuedCount} queued${state.queuePaused ? ' · Queue paused' : ''}</p>`;
}

/** Renders the card into `container`, in place; the output follows its end unless scrolled up. */
export function renderCard(container: HTMLElement, model: CardModel, handlers: CardHandlers, now: number): void {
  const following = new Map<Element, boolean>();
  for (const output of container.querySelectorAll('.output')) following.set(output, output.scrollHeight - output.scrollTop - output.clientHeight < 8);
  render(cardTemplate(model, handlers, now), container);
  for (const output of container.querySelectorAll('.output')) {
    if (following.get(output) ?? true) output.scrollTop = output.scrollHeight;
  }
}
