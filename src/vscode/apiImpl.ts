// The exported API, on whichever queue session is open: every call goes to the current one, so the
// object handed to other extensions stays valid when the queue is reopened. Every input is parsed
// (zod) and refused with a JobError saying what is wrong; jobs added or retried here are marked as
// coming from the API (the calling extension when it can be told), so the approval rule applies.
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { ApiAfterSchema, ApiJobRequestSchema, ApiRetryChangesSchema, type JobQueueApi } from '../api';
import { JobError, JobIdSchema, type ScheduleInput } from '../core';
import { callerSource } from './callerSource';
import { notify } from './notices';
import type { QueueSession } from './session';
import { UNTRUSTED } from './untrusted';

export function createApi(current: () => QueueSession, log: vscode.LogOutputChannel): JobQueueApi {
  const service = () => current().service;
  const submit: JobQueueApi['submit'] = (request) => {
    if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED);
    const { after, hold, notBefore, lane, ...spec } = parse(ApiJobRequestSchema, request, 'Invalid job request');
    const result = service().submit({ ...spec, source: callerSource() }, schedule({ after, hold, notBefore, lane }));
    if (result.kind === 'forwarded') {
      log.info(`A new job from the API was passed to the window that runs the queue (request ${result.requestId}).`);
      void notify('info', result.message);
    }
    return result;
  };
  return {
    version: 1,
    submit,
    enqueue(request) {
      const result = submit(request);
      return result.kind === 'queued' ? result.job : undefined;
    },
    cancel: (id) => service().cancelJob(parseId(id)),
    retry(id, changes) {
      if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED);
      const parsed = parse(ApiRetryChangesSchema, changes ?? {}, 'Invalid retry changes');
      // A retry from the API is the API's job: the approval rule applies to it as to any other.
      return service().retryJob(parseId(id), { ...defined(parsed), source: callerSource() });
    },
    hold: (id) => service().hold(parseId(id)),
    release: (id) => service().release(parseId(id), 'external'),
    setDependencies(id, after) {
      const parsed = parse(z.nullable(z.strictObject({ ids: z.array(JobIdSchema).check(z.maxLength(1000)), condition: ApiAfterSchema.shape.condition })), after ?? null, 'Invalid dependencies');
      return service().setDependencies(parseId(id), parsed);
    },
    getSnapshot: () => service().getSnapshot(),
    getHistory: () => service().getHistory(),
    getWaitReason: (id) => service().getWaitReason(parseId(id)),
    get role() {
      return service().role;
    },
    get storageDir() {
      return service().storageDir;
    },
    onDidChange: (listener) => service().onDidChange(listener),
  };
}

function parse<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.infer<T>;
  throw new JobError('invalidArgument', `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
}

function parseId(id: unknown): string {
  return parse(JobIdSchema, id, 'Invalid job id (ids are strings like "12")');
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function schedule(input: ScheduleInput): ScheduleInput | undefined {
  const given = defined(input);
  return Object.keys(given).length > 0 ? given : undefined;
}
