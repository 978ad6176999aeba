// Which queue `jobq` acts on: `--folder DIR` (a global option, before or after the verb), else
// JOB_QUEUE_DIR (set by the extension in VS Code's integrated terminals), else the workspace that
// contains the current folder, found in the per-user registry the extension keeps
// (core/registry/workspaceRegistry.ts) — so `jobq` works from any shell of the same user. Requests
// sent either way carry the terminal origin: they land held for approval like any terminal job.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QUEUE_DIR_VARIABLE } from '../core/environment';
import { entryFor, readRegistry, registryDir } from '../core/registry/workspaceRegistry';
import type { Io } from './io';
import { UsageError } from './usageError';

/** The arguments without the global `--folder DIR` / `--folder=DIR`, and that folder. */
export interface GlobalOptions { folder?: string; args: string[] }

export function takeFolderOption(argv: readonly string[]): GlobalOptions {
  // A command after `--` is the job's own: its --folder is left alone.
  const end = argv.indexOf('--') < 0 ? argv.length : argv.indexOf('--');
  const args: string[] = [];
  let folder: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (i >= end || (arg !== '--folder' && !arg.startsWith('--folder='))) {
      args.push(arg);
      continue;
    }
    if (folder !== undefined) throw new UsageError('--folder is given twice.');
    const value = arg === '--folder' ? argv[++i] : arg.slice('--folder='.length);
    if (value === undefined || value === '' || i >= end) throw new UsageError('--folder needs a folder, e.g. jobq --folder ~/project status.');
    folder = value;
  }
  return folder === undefined ? { args } : { folder, args };
}

const HOW_TO_REGISTER = 'open the folder in VS Code (with the Job Queue extension) once, then run jobq inside it or pass --folder DIR';

/** The queue's storage folder for this run, or a UsageError saying what to do. */
export async function queueDirFor(io: Io, folder: string | undefined): Promise<string> {
  const variable = io.env[QUEUE_DIR_VARIABLE];
  if (folder === undefined && variable && path.isAbsolute(variable)) return variable;
  const where = path.resolve(io.cwd, folder ?? '.');
  if (folder !== undefined && !isDirectory(where)) throw new UsageError(`--folder: there is no folder ${where}.`);
  const entries = await readRegistry(registryDir(io.env));
  // A folder reached through a symbolic link is also found by the path VS Code opened.
  const entry = entryFor(entries, where) ?? entryFor(entries, realPath(where));
  if (entry) return entry.queueDir;
  throw new UsageError(folder !== undefined
    ? `${where} is not in a workspace folder VS Code has opened with Job Queue: ${HOW_TO_REGISTER}.`
    : `No Job Queue workspace contains ${where} (and JOB_QUEUE_DIR is not set: this is not a VS Code terminal): ${HOW_TO_REGISTER}.`);
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

function realPath(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return folder;
  }
}
