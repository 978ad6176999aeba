// The per-user registry of workspaces and their queues: `workspace folder → queue storage folder`,
// written by every window that opens a workspace's queue, read by `jobq` run from any shell of the
// same user (outside VS Code's terminals, where JOB_QUEUE_DIR is not set) to find the queue of the
// folder it is run in. One small JSON file, the user's alone (folder 0700, file 0600: it names the
// user's projects). Windows add their entries under an exclusive lock (read, merge, atomic write),
// so two windows opening at once never drop each other's; an entry whose queue folder is gone is
// dropped when read. A damaged file is kept aside and rebuilt from what the windows write next.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { USER_ONLY_FOLDER, backupCorruptFile, writeFileAtomic } from '../store/atomicFile';
import { errorCode } from '../store/storageError';
import { withFileLock } from './fileLock';

/** Overrides where the registry lives (tests; a user who wants it elsewhere). */
export const REGISTRY_DIR_VARIABLE = 'JOB_QUEUE_REGISTRY_DIR';
export const REGISTRY_FILE = 'registry.json';

const RegistryEntrySchema = z.object({
  /** An absolute workspace folder, as VS Code opened it. */
  workspaceFolder: z.string().check(z.minLength(1)),
  /** The queue's storage folder (what JOB_QUEUE_DIR names in an integrated terminal). */
  queueDir: z.string().check(z.minLength(1)),
  /** When a window last opened it (epoch ms): the newest wins when two queues claim one folder. */
  registeredAt: z.number(),
});
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

const RegistrySchema = z.object({ version: z.literal(1), entries: z.array(RegistryEntrySchema) });
type Registry = z.infer<typeof RegistrySchema>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where the registry lives: JOB_QUEUE_REGISTRY_DIR; else the platform's per-user state folder —
 * `$XDG_STATE_HOME/job-queue` (default `~/.local/state/job-queue`) on Linux and the BSDs,
 * `~/Library/Application Support/job-queue` on macOS, `%LOCALAPPDATA%\job-queue` on Windows.
 */
export function registryDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env[REGISTRY_DIR_VARIABLE];
  if (override && path.isAbsolute(override)) return override;
  const home = env.HOME && path.isAbsolute(env.HOME) ? env.HOME : os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'job-queue');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'job-queue');
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(state, 'job-queue');
}

/** What the file holds, or 'damaged' (not JSON, or not a registry this release knows). */
type FileContent = { kind: 'read'; registry: Registry } | { kind: 'missing' } | { kind: 'damaged' };

async function readFile(file: string): Promise<FileContent> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const parsed = RegistrySchema.safeParse(JSON.parse(text));
    return parsed.success ? { kind: 'read', registry: parsed.data } : { kind: 'damaged' };
  } catch {
    return { kind: 'damaged' };
  }
}

/** Entries whose queue folder still exists (a removed workspace storage leaves nothing to find). */
async function living(entries: readonly RegistryEntry[]): Promise<RegistryEntry[]> {
  const exists = await Promise.all(entries.map((e) => fs.promises.stat(e.queueDir).then((s) => s.isDirectory(), () => false)));
  return entries.filter((_, i) => exists[i]);
}

/** The registry's living entries; none when there is no file or it is damaged (only a window repairs it). */
export async function readRegistry(dir: string = registryDir()): Promise<RegistryEntry[]> {
  const content = await readFile(path.join(dir, REGISTRY_FILE));
  return content.kind === 'read' ? living(content.registry.entries) : [];
}

/**
 * Records that `workspaceFolders` keep their queue in `queueDir` (replacing what another queue
 * said for those folders), merged under the lock with every other window's entries. Returns the
 * path of the damaged file's copy when the file had to be rebuilt.
 */
export async function registerWorkspace(workspaceFolders: readonly string[], queueDir: string, dir: string = registryDir(), now = Date.now()): Promise<{ setAside?: string }> {
  await fs.promises.mkdir(dir, { recursive: true, mode: USER_ONLY_FOLDER });
  // mkdir's mode is filtered by the umask, and an existing folder keeps its own.
  if (process.platform !== 'win32') await fs.promises.chmod(dir, USER_ONLY_FOLDER);
  const file = path.join(dir, REGISTRY_FILE);
  const folders = new Set(workspaceFolders.map((f) => path.resolve(f)));
  return withFileLock(`${file}.lock`, async () => {
    const content = await readFile(file);
    const setAside = content.kind === 'damaged' ? backupCorruptFile(file) : undefined;
    const kept = content.kind === 'read' ? await living(content.registry.entries.filter((e) => !folders.has(e.workspaceFolder))) : [];
    const added = [...folders].map((workspaceFolder) => ({ workspaceFolder, queueDir: path.resolve(queueDir), registeredAt: now }));
    const next: Registry = { version: 1, entries: [...kept, ...added] };
    await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, 'save the workspace registry');
    return setAside ? { setAside } : {};
  });
}

/** Whether `folder` is `parent` or inside it. */
function contains(parent: string, folder: string): boolean {
  const relative = path.relative(parent, folder);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The entry of the workspace folder that contains `folder` (the deepest, when workspaces nest;
 * the most recently opened, when two queues claim the same one).
 */
export function entryFor(entries: readonly RegistryEntry[], folder: string): RegistryEntry | undefined {
  const target = path.resolve(folder);
  return entries
    .filter((e) => contains(e.workspaceFolder, target))
    .sort((a, b) => b.workspaceFolder.length - a.workspaceFolder.length || b.registeredAt - a.registeredAt)[0];
}
