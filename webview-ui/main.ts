// The running-job card, in the webview. Renders the host's state in place (view.ts, with lit);
// elapsed time and ETA tick here (no message per second). A click is a request with an id; the host
// answers each one (`didAct`): the button is busy until then, and a refusal is shown on the card,
// next to the job it was about.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import './main.css';
import { HostMessageSchema, type CardJobAction, type WebviewMessage } from '../src/shared/runningJobProtocol';
import { CardModel, PAGE, runKey } from './cardModel';
import { renderCard, type CardHandlers, type ShownRun } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const model = new CardModel();

// Request ids are unique per page: a prefix drawn once, then a counter.
const session = [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, '0')).join('');
let requests = 0;
const nextRequestId = () => `${session}-${++requests}`;

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

const handlers: CardHandlers = {
  act(run: ShownRun, action: CardJobAction) {
    const requestId = nextRequestId();
    model.request(requestId, runKey(run), action);
    send({ type: 'action', requestId, action, jobId: run.id, attempt: run.attempt });
    update();
  },
  openLink(run: ShownRun, link: number) {
    // Only the id the host gave the link: the host opens what it recorded, never a path from here.
    const requestId = nextRequestId();
    model.request(requestId, runKey(run), 'openLink');
    send({ type: 'openLink', requestId, jobId: run.id, attempt: run.attempt, link });
  },
  dismissResult() {
    const requestId = nextRequestId();
    model.request(requestId, PAGE, 'dismissResult');
    send({ type: 'dismissResult', requestId });
    update();
  },
  sendNextJob() {
    const requestId = nextRequestId();
    model.request(requestId, PAGE, 'sendNextJob');
    send({ type: 'sendNextJob', requestId });
    update();
  },
};

function update(): void {
  renderCard(app, model, handlers, Date.now());
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) return;
  model.apply(parsed.data, Date.now());
  if (parsed.data.type === 'didChangeState') vscode.setState({ seen: true });
  update();
});

update();
// Once a second: the clocks move and refusals expire; lit touches only what changed.
setInterval(update, 1000);
send({ type: 'ready' });
