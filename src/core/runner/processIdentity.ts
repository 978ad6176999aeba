// Is this pid still the process we started? A pid alone can be reused; its start time cannot.
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface ProcessInfo {
  /** Opaque token that changes when the pid is reused (Linux: start time in clock ticks since boot). */
  startToken: string;
  state: string;
  /** Its process group. */
  pgid: number;
}

export function readProcessInfo(pid: number): ProcessInfo | undefined {
  if (process.platform === 'linux') {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, pgid: Number(fields[2]), startToken: fields[19]! };
  }
  if (process.platform === 'win32') return undefined;
  try {
    const out = execFileSync('ps', ['-o', 'stat=,pgid=,lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    if (!out) return undefined;
    const [state, pgid, ...start] = out.split(/\s+/);
    return { state: state!.charAt(0), pgid: Number(pgid), startToken: start.join(' ') };
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie: a zombie has exited, it only waits to be reaped. */
export function isSameLiveProcess(pid: number, startToken: string): boolean {
  const info = readProcessInfo(pid);
  return info !== undefined && info.state !== 'Z' && info.startToken === startToken;
}

/** Whether some process has this pid (zombies included; a pid alone may have been reused). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether any process is left in the process group `pgid` (POSIX), zombies included: a zombie
 * still holds its group's id, so while this is true the id cannot be given to a new group.
 */
export function isGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  // kill(-0) is the caller's own group and kill(-1) every process it may signal: never a job's.
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether group `pgid` still has a member that has not exited (zombies do not count: where nobody
 * reaps orphans, a dead job's zombie would otherwise keep its group "alive" forever). Linux reads
 * /proc, a few ms on a busy machine, so callers poll it sparingly; elsewhere orphans are reaped by
 * launchd and the plain group test is used.
 */
export function groupHasLiveMember(pgid: number): boolean {
  if (!isGroupAlive(pgid)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcessInfo(Number(entry));
    if (info && info.pgid === pgid && info.state !== 'Z') return true;
  }
  return false;
}
