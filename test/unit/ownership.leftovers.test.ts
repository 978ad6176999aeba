// What dead writers leave next to the queue is cleared when a host opens it as owner — and only
// that: a temp file of a write still going on, or a live host's takeover claim, is left alone. And a
// folder whose disk is full cannot be opened, with a plain message and nothing left behind.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobError } from '../../src/core/errors';
import { openJobService } from '../../src/core';
import { readInbox } from '../../src/core/ownership/inbox';
import { readReply } from '../../src/core/ownership/replies';
import { jobq } from './cliHelpers';
import { openService, tempDir, waitForStatus } from './helpers';

const DEAD_PID = 2 ** 22 - 7;
const EMPTY_QUEUE = JSON.stringify({ version: 1, seq: 0, nextId: 1, autoRun: false, paused: false, queued: [], running: [] });

describe('ownership: what dead writers and closed windows left for the next owner', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('at open the owner removes a killed jobq\'s inbox/*.partial and dead hosts\' lock temp files and claims, and keeps live ones', async () => {
    const storageDir = tempDir();
    const inbox = path.join(storageDir, 'inbox');
    fs.mkdirSync(inbox);
    fs.writeFileSync(path.join(storageDir, 'queue.json'), EMPTY_QUEUE);
    const deadPartial = path.join(inbox, `1700000000000-abc.json.${DEAD_PID}.1.partial`);
    const livePartial = path.join(inbox, `1700000000001-def.json.${process.pid}.999.partial`);
    fs.writeFileSync(deadPartial, '{"v":2,"kind":"add"');
    fs.writeFileSync(livePartial, '{"v":2,');
    const dead = JSON.stringify({ v: 1, pid: DEAD_PID, startToken: '1', instance: 'dead', label: 'x', since: 1 });
    fs.writeFileSync(path.join(storageDir, 'owner.lock.dead.tmp'), dead);
    fs.writeFileSync(path.join(storageDir, 'owner.lock.takeover-0123456789abcdef'), dead);

    const service = await openService({ storageDir });
    assert.equal(service.role.kind, 'owner');
    assert.equal(fs.existsSync(deadPartial), false, 'the partial file of a jobq that died mid-write is removed');
    assert.equal(fs.existsSync(livePartial), true, 'a write that may still be going on is kept');
    assert.deepEqual(fs.readdirSync(storageDir).filter((n) => n.startsWith('owner.lock')), ['owner.lock']);
  });

  it('a job saved while no window ran the queue and refused at open is in the open report, its sender answered with the reason', async () => {
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    const dependency = first.enqueue({ command: 'exit 4', label: 'the build' });
    first.sendNextJob();
    await waitForStatus(first, dependency.id, 'failed');
    await first.dispose();

    const saved = await jobq(storageDir, ['add', '--after', dependency.id, '--label', 'deploy', '--', 'echo', 'deploy']);
    assert.match(saved.stdout, /the job is saved/);
    const [request] = readInbox(storageDir);
    assert.ok(request?.kind === 'request');

    const second = await openService({ storageDir });
    const refused = second.openReport.refusedRequests;
    assert.equal(refused.length, 1, `one refusal reported: ${JSON.stringify(second.openReport)}`);
    assert.equal(refused[0]!.title, 'deploy');
    assert.equal(refused[0]!.from, 'the terminal');
    assert.equal(refused[0]!.requestId, request.request.requestId);
    assert.match(refused[0]!.reason, new RegExp(`#${dependency.id}`));
    assert.deepEqual(second.getSnapshot().queued, [], 'nothing was queued');
    assert.equal(readReply(storageDir, request.request.requestId)?.error, refused[0]!.reason, 'the sender is answered with the same reason');
    // The request id jobq printed: `jobq wait` on it learns that the job was not queued, and why.
    assert.match(saved.stdout, new RegExp(`jobq wait ${request.request.requestId} waits for it`));
    const waited = await jobq(storageDir, ['wait', request.request.requestId]);
    assert.equal(waited.code, 1);
    assert.equal(waited.stderr, `jobq: the job was not queued: ${refused[0]!.reason}\n`);
  });

  it('jobq wait on a saved request waits for a window to take it, then for its job\'s end', async () => {
    const storageDir = tempDir();
    const first = await openService({ storageDir });
    first.enqueue({ command: 'true', label: 'existing' });
    await first.dispose();
    const saved = await jobq(storageDir, ['add', '--', 'exit', '5']);
    const requestId = /jobq wait (\S+) waits for it/.exec(saved.stdout)?.[1];
    assert.ok(requestId, saved.stdout);
    const waiting = jobq(storageDir, ['wait', requestId]);
    const second = await openService({ storageDir, externalJobs: 'run' });
    second.setAutoRun(true);
    const waited = await waiting;
    assert.equal(waited.code, 5, waited.stderr);
    assert.match(waited.stderr, /failed \(exit 5\)/);
    const unknown = await jobq(storageDir, ['wait', '00000000-0000-4000-8000-000000000000']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /There is no request 00000000-0000-4000-8000-000000000000 in this queue/);
  });
});

describe('ownership: opening on a full disk (tmpfs)', function () {
  let mountDir = '';

  before(function () {
    mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jq-fulldisk-open-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountDir], { stdio: 'pipe' });
    } catch {
      console.log('      skipped: cannot mount a tmpfs; this test needs root');
      fs.rmSync(mountDir, { recursive: true, force: true });
      mountDir = '';
      this.skip();
    }
  });

  after(() => {
    if (!mountDir) return;
    execFileSync('umount', ['-l', mountDir], { stdio: 'pipe' });
    fs.rmSync(mountDir, { recursive: true, force: true });
  });

  it('says "disk full" plainly, leaves no owner.lock.<uuid>.tmp, and opens once space is freed', async () => {
    const storageDir = path.join(mountDir, 'queue');
    fs.mkdirSync(storageDir);
    fs.writeFileSync(path.join(storageDir, 'queue.json'), EMPTY_QUEUE);
    const filler = path.join(mountDir, 'filler');
    const fd = fs.openSync(filler, 'w');
    try {
      for (const size of [65536, 4096, 1]) {
        try {
          while (fs.writeSync(fd, Buffer.alloc(size, 0x78)) === size);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
      }
    } finally {
      fs.closeSync(fd);
    }

    await assert.rejects(openJobService({ storageDir, shell: '/bin/sh' }), (e: unknown) => {
      assert.ok(e instanceof JobError && e.code === 'storageFailed', `a storageFailed JobError, got ${String(e)}`);
      assert.match(e.message, /^Could not take the queue lock in .*: disk full \(ENOSPC\)\. Free some space and try again\.$/);
      return true;
    });
    assert.deepEqual(fs.readdirSync(storageDir), ['queue.json'], 'nothing left behind');

    fs.rmSync(filler);
    const service = await openService({ storageDir });
    assert.equal(service.role.kind, 'owner');
  });
});
