// The pseudoterminal behind Show Job Log, driven in plain Node against a real JobService and a real
// job: it shows what was written so far, streams what comes while the run goes on, ends with how the
// run ended, writes `\r\n` line ends with the colours untouched, and takes no input.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobLogPty } from '../../src/vscode/logTerminal/jobLogPty';
import { eventually, openService, tempDir, waitForFileLine, waitForStatus } from './helpers';

const END = (how: string) => `\u001b[2m── ${how} ──\u001b[0m\r\n`;

function transcript(pty: JobLogPty): { text: () => string } {
  const parts: string[] = [];
  pty.onDidWrite((data) => parts.push(data));
  return { text: () => parts.join('') };
}

describe('Show Job Log: the log pseudoterminal', function () {
  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('streams a running job\'s output as it is written, then says how the run ended', async () => {
    const work = tempDir();
    const service = await openService();
    // The job waits for a file after its first line, so the terminal is shown mid-run, for certain.
    const job = service.enqueue({ command: `echo first; while [ ! -f go ]; do sleep 0.05; done; printf '\\033[32mgreen\\033[0m\\n'; echo last`, cwd: work });
    service.sendJob(job.id);
    const running = await waitForStatus(service, job.id, 'running');
    await waitForFileLine(running.logPath!, /first/);
    const pty = new JobLogPty(service, { ...running, logPath: running.logPath! });
    const shown = transcript(pty);
    pty.open();
    await eventually(() => shown.text() === 'first\r\n', 'the output so far');
    assert.equal(service.getJob(job.id)?.status, 'running', 'shown while the job runs');

    pty.handleInput();
    pty.handleInput();
    assert.equal(shown.text(), `first\r\n\u001b[2mThis is Job #${job.id}'s log: it takes no input.\u001b[0m\r\n`, 'said once; nothing reaches the job');

    fs.writeFileSync(path.join(work, 'go'), '');
    await waitForStatus(service, job.id, 'completed');
    await eventually(() => shown.text().endsWith(END('completed · exit 0')), 'the end line');
    assert.equal(shown.text(), `first\r\n\u001b[2mThis is Job #${job.id}'s log: it takes no input.\u001b[0m\r\n\u001b[32mgreen\u001b[0m\r\nlast\r\n${END('completed · exit 0')}`);
    pty.close();
  });

  it('a finished run: its whole log and how it ended, at once; a last line without a newline is ended first', async () => {
    const service = await openService();
    const job = service.enqueue({ command: 'printf "one\\ntwo"; exit 3' });
    service.sendJob(job.id);
    const failed = await waitForStatus(service, job.id, 'failed');
    const pty = new JobLogPty(service, { ...failed, logPath: failed.logPath! });
    const shown = transcript(pty);
    pty.open();
    await eventually(() => shown.text().includes('──'), 'the end line');
    assert.equal(shown.text(), `one\r\ntwo\r\n${END('failed · exit 3')}`);
    pty.close();
  });
});
