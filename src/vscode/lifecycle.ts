// A Disposable base in the style of vscode-pull-request-github's `common/lifecycle.ts`: a class
// registers what it owns and disposes it all at once.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected _register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}

/**
 * Gathers what arrives within `ms` of the first item and hands it over at once (one notification
 * for a burst instead of one each). Nothing is handed over after dispose.
 */
export class Gathering<T> implements vscode.Disposable {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly ms: number, private readonly handOver: (items: T[]) => void) {}

  add(item: T): void {
    if (this.disposed) return;
    this.items.push(item);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const items = this.items;
      this.items = [];
      if (!this.disposed) this.handOver(items);
    }, this.ms);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.items = [];
  }
}
