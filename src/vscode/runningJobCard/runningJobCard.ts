// The running-job card: a webview panel that renders JobService's running jobs and sends the
// user's clicks back as commands. Strict CSP with a nonce, resources only from dist/webview, a ready
// handshake (nothing is posted before the webview asks), throttled updates, and a serializer so the
// card comes back after a reload. It acts only on the runs it last rendered (see cardGuard.ts).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isJobError, type JobService, type JobServiceEvent } from '../../core';
import { CARD_TAIL_LINES, WebviewMessageSchema, type HostMessage, type WebviewMessage } from '../../shared/runningJobProtocol';
import { Disposable } from '../lifecycle';
import { notify } from '../notices';
import { showJobError } from '../refusals';
import { decideCardMessage, describeUntrusted, isJobMessage, shownRuns } from './cardGuard';
import { Throttle, buildCardState } from './cardState';

export const RUNNING_JOB_VIEW_TYPE = 'jobQueue.runningJob';
const UPDATE_INTERVAL_MS = 250;

export class RunningJobCard extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly updates = new Throttle<string, HostMessage | 'state'>(UPDATE_INTERVAL_MS, (items) => this.flush(items));
  /** Messages received, rejected (invalid, or naming a run the card does not show) and posted. */
  readonly stats = { received: 0, rejected: 0, posted: 0 };
  /** The runs the webview was last given (job id → attempt): the only ones it may act on. */
  private shown = new Map<string, number>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly service: JobService, private readonly log: vscode.LogOutputChannel) {
    super();
    this._register(service.onDidChange((e) => this.onEngineEvent(e)));
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

  /** Handles one message from the webview (exposed for the integration tests); never rejects. */
  async onMessage(raw: unknown): Promise<void> {
    this.stats.received++;
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.stats.rejected++;
      this.log.warn(`running-job card: dropped an invalid message: ${describeUntrusted(raw, 200)}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'ready') {
      this.ready = true;
      this.postState();
      return;
    }
    if (isJobMessage(message)) {
      const decision = decideCardMessage(message, this.shown, this.service.getJob(message.jobId));
      if (!decision.accept) {
        // Logged only: the id is the webview's, and is never put in front of the user.
        this.stats.rejected++;
        this.log.warn(`running-job card: dropped ${message.type} for job ${describeUntrusted(message.jobId)}: ${decision.reason}`);
        return;
      }
    }
    try {
      await this.perform(message);
    } catch (error) {
      if (isJobError(error)) {
        showJobError(error);
        return;
      }
      this.log.error(`running-job card: ${message.type} failed`, error);
      void notify('error', `Job Queue: ${(error as Error).message}`);
    }
  }

  private async perform(message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'pauseJob':
        this.service.pauseJob(message.jobId);
        return;
      case 'resumeJob':
        this.service.resumeJob(message.jobId);
        return;
      case 'cancelJob':
        await this.service.cancelJob(message.jobId);
        return;
      case 'cancelAndRequeue':
        await this.service.cancelAndRequeue(message.jobId);
        return;
      case 'showLog':
        await vscode.commands.executeCommand('jobQueue.showLog', message.jobId);
        return;
      case 'sendNextJob':
        // Through the command, so trust and refusal messages are handled in one place.
        await vscode.commands.executeCommand('jobQueue.sendJob');
        return;
    }
  }

  private onEngineEvent(e: JobServiceEvent): void {
    if (!this.panel || !this.ready) return;
    if (e.type === 'progress') {
      this.updates.push(`progress:${e.jobId}`, { type: 'didUpdateProgress', jobId: e.jobId, ...e.progress, now: Date.now() });
    } else if (e.type === 'output') {
      this.updates.push(`output:${e.jobId}`, { type: 'didUpdateOutput', jobId: e.jobId, tail: e.tail.slice(-CARD_TAIL_LINES) });
    } else if (e.type !== 'storeWarning') {
      // Anything else, `reloaded` (a follower re-read the owner's state) included: the whole state.
      this.updates.push('state', 'state');
    }
  }

  private flush(items: Map<string, HostMessage | 'state'>): void {
    // A full state already carries every job's progress and output.
    if (items.has('state')) {
      this.postState();
      return;
    }
    for (const message of items.values()) if (message !== 'state') this.post(message);
  }

  private postState(): void {
    if (!this.panel || !this.ready) return;
    const state = buildCardState(this.service, Date.now());
    this.shown = shownRuns(state, (id) => this.service.getJob(id));
    this.post({ type: 'didChangeState', state });
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
  <main id="app" aria-live="polite"></main>
  <script type="module" nonce="${nonce}" src="${asset('main.js')}"></script>
</body>
</html>`;
  }
}

/** Restores the card after a reload, on whichever card `current` gives (it may still be opening). */
export function registerCardSerializer(current: () => Promise<RunningJobCard>): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(RUNNING_JOB_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel) => (await current()).attach(panel),
  });
}
