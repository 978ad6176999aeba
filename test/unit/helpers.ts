// Test helpers: temp storage dirs, and waiting on JobService events instead of sleeping.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { JobError, openJobService, type HistoryEvent, type Job, type JobService, type JobServiceEvent, type JobServiceOptions } from '../../src/core';

const made: string[] = [];
const open: JobService[] = [];

export function tempDir(prefix = 'jq-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function openService(options: Partial<JobServiceOptions> & { storageDir?: string } = {}): Promise<JobService> {
  const service = await openJobService({ storageDir: options.storageDir ?? tempDir(), cancelGraceMs: 2000, outputPollMs: 20, shell: '/bin/sh', ...options });
  open.push(service);
  return service;
}

/** Resolves with the first event that satisfies `match` (rejects after `timeoutMs` with what was seen). */
export function waitForEvent<T extends JobServiceEvent>(service: JobService, match: (e: JobServiceEvent) => e is T, timeoutMs?: number): Promise<T>;
export function waitForEvent(service: JobService, match: (e: JobServiceEvent) => boolean, timeoutMs?: number): Promise<JobServiceEvent>;
export function waitForEvent(service: JobService, match: (e: JobServiceEvent) => boolean, timeoutMs = 15000): Promise<JobServiceEvent> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`event never came; saw: ${seen.slice(-10).join(', ')}`));
    }, timeoutMs);
    const sub = service.onDidChange((e) => {
      seen.push(e.type + ('job' in e ? `(${e.job.id}:${e.job.status})` : ''));
      if (match(e)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      }
    });
  });
}

/** The finished run of job `id` (from a jobChanged with a finished status). */
export async function waitForStatus(service: JobService, id: string, status: Job['status'], timeoutMs?: number): Promise<Job> {
  const now = service.getJob(id);
  if (now?.status === status) return now;
  const e = await waitForEvent(service, (ev) => ev.type === 'jobChanged' && ev.job.id === id && ev.job.status === status, timeoutMs);
  return (e as Extract<JobServiceEvent, { type: 'jobChanged' }>).job;
}

export function pidAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

export function processState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Polls a condition on real OS state (no event exists for "a process is gone"); bounded. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`never became true: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until a file has a line matching `pattern` (used to know a child process got going). */
export async function waitForFileLine(file: string, pattern: RegExp, timeoutMs = 10000): Promise<string> {
  let found: string | undefined;
  await eventually(() => {
    try {
      found = fs.readFileSync(file, 'utf8').split('\n').find((l) => pattern.test(l));
    } catch {
      found = undefined;
    }
    return found !== undefined;
  }, `a line matching ${pattern} in ${file}`, timeoutMs);
  return found!;
}

/** Every record of a storage folder's history log, in order. */
export function historyEvents(storageDir: string): HistoryEvent[] {
  return fs.readFileSync(path.join(storageDir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HistoryEvent);
}

/** Asserts `fn` is refused with a JobError of `code` whose message matches. */
export function assertRefused(fn: () => unknown, code: JobError['code'], message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof JobError && e.code === code && message.test(e.message), `expected ${code} matching ${message}`);
}

export function queuedIds(service: JobService): string[] {
  return service.getSnapshot().queued.map((j) => j.id);
}

afterEach(async () => {
  for (const s of open.splice(0)) {
    for (const job of s.getSnapshot().running) await s.cancelJob(job.id).catch(() => undefined);
    await s.dispose();
  }
});

after(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
