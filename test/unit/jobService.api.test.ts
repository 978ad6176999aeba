// The exported API's half that needs no VS Code (issue 10, items 5 and 6): its request schemas and
// their messages, and the engine paths it uses — a job from the API forwarded by another window
// keeps how it waits and still lands held for approval; a refused forwarded job is reported, not stuck.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiJobRequestSchema, ApiRetryChangesSchema } from '../../src/api';
import { eventually, openService, tempDir, waitForEvent } from './helpers';

function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): string[] {
  return result.success ? [] : result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('JobService: the API', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('validates requests: how a job waits, and nothing it does not know', () => {
    const ok = ApiJobRequestSchema.safeParse({ command: 'make', lane: 'gpu', hold: true, after: { ids: ['3'] }, notBefore: 1_900_000_000_000 });
    assert.equal(ok.success, true, issues(ok).join('; '));
    assert.deepEqual(issues(ApiJobRequestSchema.safeParse({ command: 'make', after: { ids: [] } })), ['after.ids: name at least one job to wait for']);
    assert.match(issues(ApiJobRequestSchema.safeParse({ command: 'make', after: { ids: ['1'], condition: 'ok' } })).join(), /after\.condition/);
    assert.match(issues(ApiJobRequestSchema.safeParse({ command: 'make', notBefore: Number.NaN })).join(), /notBefore/);
    assert.match(issues(ApiJobRequestSchema.safeParse({ command: 'make', lane: '  ' })).join(), /lane: a lane name must not be empty/);
    assert.match(issues(ApiJobRequestSchema.safeParse({ command: 'make', source: { kind: 'command' } })).join(), /Unrecognized key.*source/, 'a caller cannot say where its job came from');
    assert.match(issues(ApiJobRequestSchema.safeParse({ command: 'make', hold: 'yes' })).join(), /hold/);
    assert.equal(ApiRetryChangesSchema.safeParse({}).success, true);
    assert.equal(ApiRetryChangesSchema.safeParse({ label: 'again', after: { ids: ['2'], condition: 'any' } }).success, true);
    assert.match(issues(ApiRetryChangesSchema.safeParse({ command: '' })).join(), /command must not be empty/);
    assert.match(issues(ApiRetryChangesSchema.safeParse({ retryOf: '1' })).join(), /Unrecognized key/);
  });

  it('a job from the API that another window forwards keeps its lane and dependencies and lands held for approval', async () => {
    const storageDir = tempDir();
    const owner = await openService({ storageDir, lanes: { gpu: 1 } });
    const first = owner.enqueue({ command: 'true' });
    const follower = await openService({ storageDir, lanes: { gpu: 1 } });
    assert.equal(follower.role.kind, 'follower');
    assert.throws(() => follower.submit({ command: 'true' }, { lane: 'tpu' }), /There is no lane “tpu”/, 'refused in the window it was asked in');

    const forwarded = follower.submit(
      { command: 'echo from-agent', source: { kind: 'api', extensionId: 'acme.agent' } },
      { lane: 'gpu', after: { ids: [first.id], condition: 'any' } },
    );
    assert.equal(forwarded.kind, 'forwarded');
    await eventually(() => owner.getSnapshot().queued.some((j) => j.spec.command === 'echo from-agent'), 'the owner took the request');
    const job = owner.getSnapshot().queued.find((j) => j.spec.command === 'echo from-agent')!;
    assert.equal(job.lane, 'gpu');
    assert.deepEqual(job.after, { ids: [first.id], condition: 'any' });
    assert.deepEqual(job.hold, { by: 'approval', source: 'acme.agent' });
    assert.deepEqual(job.spec.source, { kind: 'api', extensionId: 'acme.agent' });
  });

  it('a forwarded job the owner refuses (it waits for a job cancelled meanwhile) is reported and leaves the inbox', async () => {
    const storageDir = tempDir();
    const owner = await openService({ storageDir });
    const first = owner.enqueue({ command: 'true' });
    const follower = await openService({ storageDir });
    // Written while the follower still sees the first job queued; the owner cancels it before draining.
    await owner.cancelJob(first.id);
    const warned = waitForEvent(owner, (e) => e.type === 'storeWarning');
    fs.mkdirSync(path.join(storageDir, 'inbox'), { recursive: true });
    const request = { v: 1, requestId: 'r-1', at: Date.now(), from: 'window B', spec: { command: 'echo late' }, schedule: { after: { ids: [first.id] } } };
    // Whole or not at all, as a writer must (the owner watches the folder and may read at once).
    const file = path.join(storageDir, 'inbox', `${request.at}-r-1.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(request));
    fs.renameSync(`${file}.tmp`, file);
    const warning = await warned;
    assert.match(warning.type === 'storeWarning' ? warning.message : '', new RegExp(`A job passed from window B was not queued: Job #${first.id} was cancelled`));
    await eventually(() => fs.readdirSync(path.join(storageDir, 'inbox')).length === 0, 'the request left the inbox');
    assert.equal(owner.getSnapshot().queued.length, 0);
    void follower;
  });
});
