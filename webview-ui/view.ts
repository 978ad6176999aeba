// The running-job card's templates. Rendered with lit into the page itself (no shadow DOM, so the
// static, nonce-free stylesheet main.css styles it): every update patches only the text and
// attributes that changed, so a button under the mouse, the keyboard focus, selected output text
// and the output's scroll position all survive it. Jobs are keyed by run, output lines by number.
import { html, nothing, render, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { formatClock, formatEta } from '../src/shared/format';
import type { CardJob, CardJobAction } from '../src/shared/runningJobProtocol';
import { BUTTON_LABELS, PAGE, jobIdentity, queueSummary, runKey, slotsHeading, type CardModel, type CardRequestAction } from './cardModel';

export interface CardHandlers {
  act(job: CardJob, action: CardJobAction): void;
  sendNextJob(): void;
}

/** The `data-action` each button carries (what the e2e tests and the CSS know it by). */
const DATA_ACTION: Record<CardRequestAction, string> = {
  pauseJob: 'pause',
  resumeJob: 'resume',
  cancelJob: 'cancel',
  cancelAndRequeue: 'cancelAndRequeue',
  showLog: 'showLog',
  sendNextJob: 'send',
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

function outputTemplate(model: CardModel, job: CardJob): TemplateResult {
  const { first, lines } = model.outputOf(job);
  const numbered = lines.map((text, i) => ({ n: first + i, text }));
  return html`<div class="output" role="region" aria-label="Last lines of output" tabindex="0">${numbered.length === 0
    ? html`<div class="line placeholder">(no output yet)</div>`
    : repeat(numbered, (line) => line.n, (line) => html`<div class="line">${line.text}</div>`)}</div>`;
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
    ${outputTemplate(model, job)}
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
    </section>`;
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
