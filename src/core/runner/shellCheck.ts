// Is the configured shell there? Checked before a job starts, so a typo in jobQueue.shell fails the
// job with a sentence naming the setting rather than a bare exit code 127 in the log.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SETTING = '(setting jobQueue.shell)';

/**
 * A plain message when `shell` cannot be run, else undefined. An absolute path must be an
 * executable file; a bare name (`zsh`) must be found on `envPath` (the PATH the job will get). A
 * relative path with a slash (`./bin/sh`) is left alone: it resolves against each job's own folder,
 * which is not known here. An empty shell means "the default" and is fine. `origin`: where the
 * shell was chosen, so the message names it (the setting, or the job's own task).
 */
export function shellProblem(shell: string, envPath: string | undefined = process.env.PATH, origin = SETTING): string | undefined {
  if (shell === '') return undefined;
  if (path.isAbsolute(shell)) {
    if (!fs.existsSync(shell)) return `Could not start: the shell does not exist: ${shell} ${origin}`;
    if (!isExecutableFile(shell)) return `Could not start: the shell is not an executable file: ${shell} ${origin}`;
    return undefined;
  }
  if (/[\\/]/.test(shell)) return undefined;
  if (findOnPath(shell, envPath)) return undefined;
  return `Could not start: the shell “${shell}” was not found on PATH ${origin}`;
}

/** The first executable `name` in the folders of `envPath`, as the shell's own lookup would find it. */
export function findOnPath(name: string, envPath: string | undefined): string | undefined {
  // An empty PATH entry means "the current folder" to a shell; the job's folder is not known
  // here, so such entries are skipped rather than guessed.
  const dirs = (envPath ?? '').split(path.delimiter).filter((d) => d !== '');
  const suffixes = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';')] : [''];
  for (const dir of dirs) {
    for (const suffix of suffixes) {
      const candidate = path.join(dir, name + suffix);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    // Windows has no execute bit: any file found counts.
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
