// What the integration suites share: running our commands, reading what the extension showed
// (notifications, the Jobs view's message), and waiting on real state without fixed sleeps.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

export async function lastRefusal(): Promise<string | undefined> {
  return (await run<string[]>('_recentRefusals')).at(-1);
}

/** Runs Add Task as Job for `name` once VS Code has read tasks.json (it does so asynchronously). */
export async function addTask(name: string): Promise<{ job: Job | undefined; refusal: string | undefined }> {
  let outcome: { job: Job | undefined; refusal: string | undefined } | undefined;
  await eventually(async () => {
    const job = await run<Job | undefined>('addTaskAsJob', name);
    const refusal = job ? undefined : await lastRefusal();
    // Not read yet: the task is not there; try again in a moment.
    if (!job && refusal?.startsWith('No shell or process task named')) return false;
    outcome = { job, refusal };
    return true;
  }, `the task “${name}” to be found`);
  return outcome!;
}

/** Writes the test workspace's .vscode/tasks.json (VS Code reads it again by itself); returns the folder. */
export function writeTasksJson(tasks: { inputs?: unknown[]; tasks: unknown[] }): string {
  const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'tasks.json'), JSON.stringify({ version: '2.0.0', ...tasks }, null, 2));
  return folder;
}

/**
 * Runs shell lines in a real integrated terminal; each resolves with what the line printed (stdout
 * and stderr, through files in `out`) and its exit status.
 */
export function terminalLines(terminal: vscode.Terminal, out: string): (line: string, name: string, timeoutMs?: number) => Promise<{ output: string; status: number }> {
  return async (line, name, timeoutMs = 30_000) => {
    const rc = path.join(out, `${name}.rc`);
    const output = path.join(out, `${name}.txt`);
    terminal.sendText(`${line} > ${output} 2>&1; echo $? > ${rc}.tmp && mv ${rc}.tmp ${rc}`);
    const status = await eventually(() => (fs.existsSync(rc) ? fs.readFileSync(rc, 'utf8').trim() : undefined), `the terminal to run “${line}”`, timeoutMs);
    return { output: fs.readFileSync(output, 'utf8'), status: Number(status) };
  };
}

/**
 * A new `/bin/sh` integrated terminal in a fresh temp folder, shown, with a way to run lines in it.
 * Made after activation, so the extension's environment collection (jobq, JOB_QUEUE_DIR) applies.
 */
export function openTestTerminal(name: string, prefix: string): { terminal: vscode.Terminal; out: string; inTerminal: ReturnType<typeof terminalLines> } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const terminal = vscode.window.createTerminal({ name, shellPath: '/bin/sh', cwd: out });
  terminal.show(true);
  return { terminal, out, inTerminal: terminalLines(terminal, out) };
}
