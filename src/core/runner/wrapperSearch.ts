// Finding a run's wrapper process by what it was started with, for a run whose handle was never
// recorded (its host died between starting it and saying so). Linux reads /proc; macOS asks ps.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { readProcessInfo } from './processIdentity';
import { isWrapperArgv, isWrapperCommandLine } from './posixWrapper';

export interface FoundProcess {
  pid: number;
  startToken: string;
}

/**
 * The live wrapper of run `exitKey` (journal `exitJournal`), if one runs now. The match is proven
 * against pid reuse: the start token is read before and after the argv, and must not change.
 */
export function findWrapperProcess(exitKey: string, exitJournal: string): FoundProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const matches = process.platform === 'linux'
    ? (pid: number) => isWrapperArgv(readArgv(pid) ?? [], exitKey, exitJournal)
    : (pid: number) => isWrapperCommandLine(psCommand(pid) ?? '', exitKey, exitJournal);
  for (const pid of candidates(exitKey, exitJournal)) {
    const before = readProcessInfo(pid);
    // A wrapper leads its own group (it was spawned detached); a zombie has already ended.
    if (!before || before.state === 'Z' || before.pgid !== pid) continue;
    if (!matches(pid)) continue;
    const after = readProcessInfo(pid);
    if (after && after.state !== 'Z' && after.startToken === before.startToken) return { pid, startToken: before.startToken };
  }
  return undefined;
}

/** Pids whose argv looks like the wrapper's, cheaply; each is confirmed by findWrapperProcess. */
function candidates(exitKey: string, exitJournal: string): number[] {
  if (process.platform === 'linux') {
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc');
    } catch {
      return [];
    }
    return entries.filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => isWrapperArgv(readArgv(pid) ?? [], exitKey, exitJournal));
  }
  let out: string;
  try {
    // -ww: never cut the command column, whatever the width.
    out = execFileSync('ps', ['-axww', '-o', 'pid=,command='], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s(.*)$/.exec(line);
    if (match && isWrapperCommandLine(match[2]!, exitKey, exitJournal)) pids.push(Number(match[1]));
  }
  return pids;
}

/** Linux: a process's argv from /proc (NUL-separated), or undefined when it is gone or hidden. */
function readArgv(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.endsWith('\0') ? raw.slice(0, -1).split('\0') : raw.split('\0');
  } catch {
    return undefined;
  }
}

function psCommand(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-ww', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
}
