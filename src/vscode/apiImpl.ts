// The exported API, on whichever queue session is open: every call goes to the current one, so the
// object handed to other extensions stays valid when the queue is reopened.
import * as vscode from 'vscode';
import { ApiJobRequestSchema, type JobQueueApi } from '../api';
import type { QueueSession } from './session';
import { UNTRUSTED } from './session';
import { submitJob } from './submitJob';

export function createApi(current: () => QueueSession, log: vscode.LogOutputChannel): JobQueueApi {
  const submit: JobQueueApi['submit'] = (request) => {
    if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED);
    const parsed = ApiJobRequestSchema.safeParse(request);
    if (!parsed.success) throw new Error(`Invalid job request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
    return submitJob(current().service, log, { ...parsed.data, source: { kind: 'api' } });
  };
  return {
    version: 1,
    submit,
    enqueue(request) {
      const result = submit(request);
      return result.kind === 'queued' ? result.job : undefined;
    },
    getSnapshot: () => current().service.getSnapshot(),
    getHistory: () => current().service.getHistory(),
    get role() {
      return current().service.role;
    },
    get storageDir() {
      return current().service.storageDir;
    },
    onDidChange: (listener) => current().service.onDidChange(listener),
  };
}
