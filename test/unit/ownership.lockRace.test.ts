// Exactly one owner, always: five separate processes race for a stale (or damaged) lock, a hundred
// times. Before the takeover was one exclusive step, a contender could move a live owner's fresh lock
// aside while judging the stale one, and a third could link its own into the gap: two processes each
// believed they owned the folder (1–8 % of rounds).
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { readOwner, tryAcquireLock } from '../../src/core/ownership/ownerLock';
import { readProcessInfo } from '../../src/core/runner/processIdentity';
import { tempDir } from './helpers';

interface Answer { kind: 'acquired' | 'held' | 'error'; instance?: string; message?: string }

class Contender {
  private readonly process: ChildProcess;
  private readonly answers: Answer[] = [];
  private waiting: ((a: Answer) => void) | undefined;

  constructor() {
    this.process = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'lockContender.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    readline.createInterface({ input: this.process.stdout! }).on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      if (this.waiting) {
        const deliver = this.waiting;
        this.waiting = undefined;
        deliver(answer);
      } else this.answers.push(answer);
    });
  }

  ask(dir: string, at: number): Promise<Answer> {
    this.process.stdin!.write(`${dir} ${at}\n`);
    return new Promise((resolve) => {
      const ready = this.answers.shift();
      if (ready) resolve(ready);
      else this.waiting = resolve;
    });
  }

  stop(): void {
    this.process.kill('SIGKILL');
  }
}

describe('ownership: the lock race', function () {
  this.timeout(180_000);
  const contenders: Contender[] = [];

  before(function () {
    if (process.platform === 'win32') this.skip();
    for (let i = 0; i < 5; i++) contenders.push(new Contender());
  });

  after(() => {
    for (const c of contenders) c.stop();
  });

  it('5 processes racing for a stale or damaged lock, 100 rounds: exactly one owns the folder each time', async () => {
    const root = tempDir();
    const doubled: string[] = [];
    for (let round = 0; round < 100; round++) {
      const dir = path.join(root, String(round));
      fs.mkdirSync(dir);
      // A lock left by a process that is gone (pid + a start time it never had), or a damaged one.
      const stale = round % 4 === 3 ? '{"v":1,"pid":' : JSON.stringify({ v: 1, pid: 2 ** 22 - 3, startToken: '1', instance: `gone-${round}`, label: 'old', since: 1 });
      fs.writeFileSync(path.join(dir, 'owner.lock'), stale);
      const at = Date.now() + 40;
      const answers = await Promise.all(contenders.map((c) => c.ask(dir, at)));
      assert.deepEqual(answers.filter((a) => a.kind === 'error'), [], `round ${round}: no contender fails`);
      const owners = answers.filter((a) => a.kind === 'acquired').map((a) => a.instance);
      const holder = readOwner(dir);
      if (owners.length !== 1) doubled.push(`round ${round}: ${owners.length} owners`);
      else assert.equal(typeof holder === 'object' && holder.instance, owners[0], `round ${round}: the lock names the one that acquired it`);
    }
    assert.deepEqual(doubled, []);
  });
});

describe('ownership: taking over a stale lock', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  const staleText = JSON.stringify({ v: 1, pid: 2 ** 22 - 3, startToken: '1', instance: 'gone', label: 'old', since: 1 });
  const claimName = `owner.lock.takeover-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;

  it('a takeover left unfinished by a host that died blocks nothing, and its claim is cleared', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'owner.lock'), staleText);
    fs.writeFileSync(path.join(dir, claimName), JSON.stringify({ v: 1, pid: 2 ** 22 - 5, startToken: '1', instance: 'died-taking-over', label: 'x', since: 1 }));
    const attempt = tryAcquireLock(dir, 'me');
    assert.equal(attempt.kind, 'acquired');
    assert.deepEqual(fs.readdirSync(dir), ['owner.lock']);
    if (attempt.kind === 'acquired') attempt.lock.release();
  });

  it('while a live host holds the takeover claim, the lock is left alone and that host is followed', async () => {
    const dir = tempDir();
    const sleeper = spawn('sleep', ['30']);
    try {
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      const live = { v: 1, pid: sleeper.pid!, startToken: readProcessInfo(sleeper.pid!)!.startToken, instance: 'taking-over', label: 'busy host', since: 2 };
      fs.writeFileSync(path.join(dir, 'owner.lock'), staleText);
      fs.writeFileSync(path.join(dir, claimName), JSON.stringify(live));
      const attempt = tryAcquireLock(dir, 'me');
      assert.equal(attempt.kind === 'held' && attempt.owner.instance, 'taking-over');
      assert.equal(fs.readFileSync(path.join(dir, 'owner.lock'), 'utf8'), staleText, 'the lock is not touched');
      assert.ok(fs.existsSync(path.join(dir, claimName)), 'a live claim is not removed');
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
