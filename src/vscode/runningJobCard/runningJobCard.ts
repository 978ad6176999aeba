// The running-job card: a webview panel that renders JobService's running jobs; the user's clicks
// come back as requests, each answered with `didAct` (ok, or the engine's message, shown on the
// card). Strict CSP with a nonce, resources only from dist/webview, a ready handshake (nothing is
// posted before the webview asks), throttled updates, and a serializer so the card comes back after
// a reload. It acts only on the runs it last rendered (see cardGuard.ts). Output goes through the
// terminal engine and gets its links on the way out (cardOutput.ts); once the last job ends, its
// result stays on the card (cardResult.ts).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { JobService, JobServiceEvent } from '../../core';
import { reportError } from '../refusals';
import { CARD_TAIL_LINES, WebviewMessageSchema, type CardState, type DidAct, type HostMessage } from '../../shared/runningJobProtocol';
import { Disposable } from '../lifecycle';
import { decideCardMessage, describeUntrusted, guardInput, shownRuns } from './cardGuard';
import { CardOutput, filesOnDisk } from './cardOutput';
import { performCardRequest } from './cardRequests';
import { LastResult } from './cardResult';
import { Throttle, buildCardState } from './cardState';
import { LinkTable } from './outputLinks';

export const RUNNING_JOB_VIEW_TYPE = 'jobQueue.runningJob';
const UPDATE_INTERVAL_MS = 250;

/** What waits to be sent: the whole state, a job's progress, or a job's raw output tail (rendered when sent). */
type Update = { kind: 'state' } | { kind: 'progress'; message: HostMessage } | { kind: 'output'; jobId: string; tail: string[] };
const STATE: Update = { kind: 'state' };

export class RunningJobCard extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly updates = new Throttle<string, Update>(UPDATE_INTERVAL_MS, (items) => this.flush(items));
  private readonly places = filesOnDisk(() => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
  private readonly links = new LinkTable();
  private readonly output = new CardOutput(this.links, this.places);
  private readonly lastResult = new LastResult();
  /** Posts in order: rendering output is asynchronous, and a later state must not overtake an earlier one. */
  private sending: Promise<void> = Promise.resolve();
  /**
   * Messages received, rejected (invalid, or naming a run the card does not show) and posted, the
   * last answer to a request and the last state sent (for the integration tests).
   */
  readonly stats: { received: number; rejected: number; posted: number; lastAnswer?: DidAct; lastState?: CardState } = { received: 0, rejected: 0, posted: 0 };
  /** The runs the webview was last given (job id → attempt): the only ones it may act on. */
  private shown = new Map<string, number>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly service: JobService, private readonly log: vscode.LogOutputChannel) {
    super();
    this._register(service.onDidChange((e) => this.onEngineEvent(e)));
    this.lastResult.observe(service.getRunning(), (id) => service.getJob(id));
    this._register({ dispose: () => this.updates.dispose() });
    this._register({ dispose: () => this.panel?.dispose() });
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(RUNNING_JOB_VIEW_TYPE, 'Running Job', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.attach(panel);
  }

  /** Takes over a panel: a new one, or one VS Code restores after a reload. */
  attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    this.shown.clear();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'job-queue.svg');
    panel.webview.options = this.webviewOptions();
    panel.webview.html = this.html(panel.webview);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      panel.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.ready = false;
        this.shown.clear();
      }),
    ];
  }

  /**
   * Handles one message from the webview (exposed for the integration tests); never rejects. A
   * request gets exactly one answer, posted to the webview and returned: `ok`, or why not.
   */
  async onMessage(raw: unknown): Promise<DidAct | undefined> {
    this.stats.received++;
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.stats.rejected++;
      this.log.warn(`running-job card: dropped an invalid message: ${describeUntrusted(raw, 200)}`);
      // Still answer a request the card sent, so its button does not stay busy.
      const requestId = requestIdOf(raw);
      return requestId === undefined ? undefined : this.answer({ type: 'didAct', requestId, ok: false, message: 'The card sent a request the extension does not understand.' });
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      this.ready = true;
      this.postState();
      // The card may act on what it shows only once the host knows what that is.
      await this.sending;
      return undefined;
    }
    const what = message.type === 'action' ? message.action : message.type;
    if (message.type === 'action') {
      const decision = decideCardMessage(guardInput(message), this.shown, this.service.getJob(message.jobId));
      if (!decision.accept) {
        // The id is the webview's: logged escaped, and never put in front of the user.
        this.stats.rejected++;
        this.log.warn(`running-job card: refused ${what} for job ${describeUntrusted(message.jobId)}: ${decision.reason}`);
        return this.answer({ type: 'didAct', requestId: message.requestId, ok: false, message: decision.message });
      }
    }
    try {
      // A link is opened only from the host's own record of what it sent (cardRequests.ts).
      const refusal = await performCardRequest({
        service: this.service, lastResult: this.lastResult, links: this.links, shown: this.shown, isFile: this.places.isFile, cardColumn: this.panel?.viewColumn,
      }, message);
      if (refusal !== undefined) {
        this.log.info(`running-job card: ${what} refused: ${refusal}`);
        return this.answer({ type: 'didAct', requestId: message.requestId, ok: false, message: refusal });
      }
      // The card shows what the action did before its button is free again.
      this.updates.push('state', STATE);
      this.updates.flushNow();
      await this.sending;
      return this.answer({ type: 'didAct', requestId: message.requestId, ok: true });
    } catch (error) {
      // The engine's own message, on the card next to the job; a change that could not be saved
      // is an error the user must see even if the card is closed.
      return this.answer({ type: 'didAct', requestId: message.requestId, ok: false, message: reportError(error, `running-job card: ${what}`, this.log, 'caller') });
    }
  }

  private answer(answer: DidAct): DidAct {
    this.stats.lastAnswer = answer;
    this.post(answer);
    return answer;
  }

  private onEngineEvent(e: JobServiceEvent): void {
    // Followed even while the card is closed: opening it after the last job ended shows that result.
    if (e.type !== 'progress' && e.type !== 'output' && e.type !== 'storeWarning') this.lastResult.observe(this.service.getRunning(), (id) => this.service.getJob(id));
    if (!this.panel || !this.ready) return;
    if (e.type === 'progress') {
      this.updates.push(`progress:${e.jobId}`, { kind: 'progress', message: { type: 'didUpdateProgress', jobId: e.jobId, ...e.progress, now: Date.now() } });
    } else if (e.type === 'output') {
      this.updates.push(`output:${e.jobId}`, { kind: 'output', jobId: e.jobId, tail: e.tail.slice(-CARD_TAIL_LINES) });
    } else if (e.type !== 'storeWarning') {
      // Anything else, `reloaded` (a follower re-read the owner's state) included: the whole state.
      this.updates.push('state', STATE);
    }
  }

  private flush(items: Map<string, Update>): void {
    // A full state already carries every job's progress and output.
    if (items.has('state')) {
      this.postState();
      return;
    }
    for (const update of items.values()) {
      if (update.kind === 'progress') this.inOrder(async () => this.post(update.message));
      else if (update.kind === 'output') this.inOrder(() => this.postOutput(update.jobId, update.tail));
    }
  }

  private inOrder(work: () => Promise<void>): void {
    this.sending = this.sending.then(work).catch((error: unknown) => this.log.error(`running-job card: an update could not be sent: ${String(error)}`));
  }

  private async postOutput(jobId: string, tail: string[]): Promise<void> {
    const run = this.service.getRunning().find((j) => j.id === jobId);
    if (!run || !this.panel || !this.ready) return;
    this.post({ type: 'didUpdateOutput', jobId, output: await this.output.lines(run, tail) });
  }

  private postState(): void {
    this.inOrder(async () => {
      if (!this.panel || !this.ready) return;
      const state = await buildCardState(this.service, Date.now(), (run, tail) => this.output.lines(run, tail), this.lastResult.current);
      this.shown = shownRuns(state, (id) => this.service.getJob(id));
      this.stats.lastState = state;
      this.post({ type: 'didChangeState', state });
    });
  }

  private post(message: HostMessage): void {
    if (!this.panel || !this.ready) return;
    this.stats.posted++;
    void this.panel.webview.postMessage(message);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
    };
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name)).toString();
    // Lit (inside @vscode-elements) styles its components with constructable stylesheets, which
    // `style-src` does not govern, so no 'unsafe-inline' is needed.
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('main.css')}">
  <title>Running Job</title>
</head>
<body>
  <main id="app"></main>
  <script type="module" nonce="${nonce}" src="${asset('main.js')}"></script>
</body>
</html>`;
  }
}

/** The request id of a message that failed validation, when it has a usable one. */
function requestIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { requestId?: unknown }).requestId;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

/** Restores the card after a reload, on whichever card `current` gives (it may still be opening). */
export function registerCardSerializer(current: () => Promise<RunningJobCard>): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(RUNNING_JOB_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel) => (await current()).attach(panel),
  });
}
