// Where a window keeps its queue. VS Code gives each extension host its own workspace storage
// folder and locks it (`vscode.lock`): a SECOND window on the same folder (two code-server tabs, a
// remote host that lingers after a reconnect) gets `<id>-1`, `<id>-2`, … instead of `<id>`. Left
// alone, that window would run a second, independent queue on the same workspace — and which of
// the two a reload shows would depend on which window came first. So every window of a workspace
// uses the base folder `<id>`, where the queue's own lock (owner.lock) makes one window run the
// queue and the others follow it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StorageLocation {
  dir: string;
  /** Said in the log and the view (e.g. global storage with no folder open). */
  note?: string;
  /** The numbered folder VS Code gave this window, when the shared one is used instead. */
  givenDir?: string;
  /** A queue a window kept in its numbered folder before this rule (never dropped: the user is told). */
  strayQueue?: string;
}

const NUMBERED = /^(.+)-([1-9]\d*)$/;

/**
 * `storageDir`: the extension's folder inside VS Code's workspace storage
 * (`…/workspaceStorage/<id>[-N]/<extension id>`). Returns the folder every window of the workspace
 * shares: the same path with `<id>` when VS Code handed out a numbered sibling of an existing one.
 */
export function sharedWorkspaceStorage(storageDir: string, exists: (dir: string) => boolean = fs.existsSync): StorageLocation {
  const workspaceDir = path.dirname(storageDir);
  const match = NUMBERED.exec(path.basename(workspaceDir));
  if (!match) return { dir: storageDir };
  const baseWorkspaceDir = path.join(path.dirname(workspaceDir), match[1]!);
  if (!exists(baseWorkspaceDir)) return { dir: storageDir };
  const shared = path.join(baseWorkspaceDir, path.basename(storageDir));
  const holdsQueue = ['queue.json', 'history.jsonl'].some((name) => exists(path.join(storageDir, name)));
  return { dir: shared, givenDir: storageDir, ...(holdsQueue ? { strayQueue: storageDir } : {}) };
}
