// Show Job Log: a run's output where VS Code shows terminal output — a read-only pseudoterminal in the
// Terminal panel (jobLogPty.ts), so colours, redrawn progress lines, VS Code's own file:line link
// detection and Find all work as in the user's terminal. One terminal per run.
import * as vscode from 'vscode';
import type { JobService } from '../../core';
import { Disposable } from '../lifecycle';
import { runTitle } from '../logFollower';
import { JobLogPty, type LogRun } from './jobLogPty';

/** The log terminals open now, one per run: asking again for a run's log shows its terminal. */
export class JobLogTerminals extends Disposable {
  private readonly open = new Map<string, vscode.Terminal>();

  constructor(private readonly service: JobService) {
    super();
    this._register(vscode.window.onDidCloseTerminal((closed) => {
      for (const [key, terminal] of this.open) if (terminal === closed) this.open.delete(key);
    }));
    this._register({ dispose: () => this.open.forEach((terminal) => terminal.dispose()) });
  }

  show(run: LogRun): vscode.Terminal {
    const key = `${run.id}:${run.attempt}`;
    let terminal = this.open.get(key);
    if (!terminal) {
      terminal = vscode.window.createTerminal({
        name: runTitle(run),
        pty: new JobLogPty(this.service, run),
        iconPath: new vscode.ThemeIcon('output'),
        // Its pseudoterminal lives in this extension host: a reload could not bring it back.
        isTransient: true,
      });
      this.open.set(key, terminal);
    }
    terminal.show();
    return terminal;
  }
}
