// What the integration suites share: running our commands, reading what the extension showed
// (notifications, the Jobs view's message), and waiting on real state without fixed sleeps.
import * as vscode from 'vscode';
import type { JobQueueApi } from '../../src/api';
import type { Job, JobServiceEvent } from '../../src/core';

export const EXTENSION_ID = 'job-queue.job-queue';

export interface Notice { seq: number; severity: 'info' | 'warning' | 'error'; message: string; actions: string[] }

export function run<T = unknown>(command: string, ...args: unknown[]): Thenable<T> {
  return vscode.commands.executeCommand<T>(`jobQueue.${command}`, ...args);
}

export async function activateExtension(): Promise<JobQueueApi> {
  const extension = vscode.extensions.getExtension<JobQueueApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** Every notification the extension showed after `afterSeq` (see src/vscode/notices.ts). */
export async function noticesAfter(afterSeq: number): Promise<Notice[]> {
  return (await run<Notice[]>('_recentNotices')).filter((n) => n.seq > afterSeq);
}

/** The sequence number of the last notification shown so far. */
export async function lastNoticeSeq(): Promise<number> {
  return (await run<Notice[]>('_recentNotices')).at(-1)?.seq ?? 0;
}

/** Polls `check` until it returns something truthy (bounded); for state that has no event. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves with the first engine event (through the API) that matches; rejects after `timeoutMs`. */
export function waitForApiEvent(api: JobQueueApi, match: (e: JobServiceEvent) => boolean, what: string, timeoutMs = 20_000): Promise<JobServiceEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const sub = api.onDidChange((e) => {
      if (match(e)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      }
    });
  });
}

/** Resolves once job `id` is added to the history with `status`. */
export function finishedAs(api: JobQueueApi, id: string, status: Job['status']): Promise<Extract<JobServiceEvent, { type: 'historyAdded' }>> {
  return waitForApiEvent(api, (e) => e.type === 'historyAdded' && e.entry.id === id && e.entry.status === status, `job #${id} ${status}`) as Promise<Extract<JobServiceEvent, { type: 'historyAdded' }>>;
}

/**
 * A barrier for "told once": a trivial job added by the user, sent, and its own finish notice seen
 * (a failing one: successes are told only with jobQueue.notifications = all).
 * The notices a test counts go through the same notification path earlier, so a duplicate would
 * have arrived before this one; counting right after the first notice would miss a late one.
 */
export async function noticeBarrier(api: JobQueueApi): Promise<void> {
  const seq = await lastNoticeSeq();
  const label = `notice barrier ${seq}`;
  // Listening first: with auto-run on, the job may end before addJob returns.
  const done = waitForApiEvent(api, (e) => e.type === 'historyAdded' && e.entry.spec.label === label && e.entry.status === 'failed', 'the barrier job to fail');
  const job = await run<Job | undefined>('_addJobAsUser', { command: 'false', label });
  if (!job) throw new Error('the barrier job was not queued');
  if (api.getSnapshot().queued.some((j) => j.id === job.id)) await run('sendJob', job.id);
  await done;
  // Its own notice, or the summary it was gathered into with runs that ended just before it.
  await eventually(async () => (await noticesAfter(seq)).some((n) => n.message.includes(`#${job.id}`) || /jobs finished:/.test(n.message)), 'the barrier job\'s notice');
}

/** A clean slate between tests: nothing running, nothing queued, auto-run off, the queue not paused. */
export async function emptyQueue(api: JobQueueApi): Promise<void> {
  await run('pauseQueue');
  await run('disableAutoRun');
  for (const job of api.getSnapshot().running) await run('cancelJob', job.id);
  await run('cancelAllQueued', { confirm: false });
  await run('resumeQueue');
}
