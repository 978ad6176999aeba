// Who called us from outside our own UI — the API, or one of our commands given a job spec or a job
// id as its argument — as a job's source: the calling extension when its code is on the stack,
// else just "the API". Such a job follows the approval rule (jobQueue.externalJobs).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobSource } from '../core';

const SELF = 'job-queue.job-queue';

export function callerSource(): JobSource {
  const extensionId = callerExtensionId();
  return extensionId ? { kind: 'api', extensionId } : { kind: 'api' };
}

function callerExtensionId(): string | undefined {
  const stack = new Error().stack ?? '';
  for (const extension of vscode.extensions.all) {
    if (extension.id.toLowerCase() === SELF) continue;
    const root = extension.extensionUri.fsPath;
    if (root && (stack.includes(root + path.sep) || stack.includes(extension.extensionUri.toString() + '/'))) return extension.id;
  }
  return undefined;
}
