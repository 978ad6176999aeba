// The Slurm backend's in-doubt cases, each closed (fake Slurm; the wrapper with real processes):
// finding runs again never runs a command on the host's thread, a submission without an id is
// looked for (and cancelled by name when declared lost), an id learned from squeue reaches the
// marker, pauses act in order on what is wanted, Slurm's signals reach the command once, and a
// run's files are found where they were written, whatever the output folder setting says now.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobExecution, StartRequest } from '../../src/core/runner/types';
import { SlurmRunner } from '../../src/core/runner/slurm/slurmRunner';
import { ensureWrapper, readMarker, slurmHandleFor, writeMarker } from '../../src/core/runner/slurm/slurmFiles';
import { FakeSlurm } from './fixtures/fakeSlurm';
import { eventually, tempDir } from './helpers';

function setup(extra: { lostSubmissionMs?: number } = {}) {
  const slurm = new FakeSlurm();
  const runner = new SlurmRunner({ commands: slurm, activePollMs: 20, burstPollMs: 20, maxPollMs: 500, user: 'alice', ...extra });
  const dir = tempDir('jq-slurm-recovery-');
  const request = (n: number): StartRequest => ({ jobId: String(n), attempt: 0, spec: { command: 'echo hi', runOn: { kind: 'slurm' } }, logPath: path.join(dir, `${n}.1.log`), shell: '/bin/sh' });
  return { slurm, runner, dir, request };
}

const executions: JobExecution[] = [];
afterEach(() => {
  for (const e of executions.splice(0)) e.detach();
});

describe('Slurm: the in-doubt cases', () => {
  it('a controller that hangs: the folder still opens (the squeue before it is bounded) and its runs are adopted, judged when Slurm answers', async () => {
    const { slurm, runner, request } = setup();
    slurm.squeueHangs = true;
    const h = slurmHandleFor('1', 0, request(1).logPath);
    writeMarker(h.marker, { tag: h.tag, at: 1, slurmId: '77', confirmedAt: 2 });
    await runner.prepareToReattach();
    const found = runner.reattach({ ...h, slurmId: '77' }, undefined);
    assert.equal(found.kind, 'running', 'never interrupted on a guess');
    if (found.kind === 'running') executions.push(found.execution);
    assert.equal(slurm.count('squeue'), 1, 'reattach asked nothing itself');
  });

  it('a marker with no Slurm id, not listed at reopen: looked for until the lost-submission timeout, then cancelled by name and called not submitted', async () => {
    const { slurm, runner, request } = setup({ lostSubmissionMs: 150 });
    const h = slurmHandleFor('1', 0, request(1).logPath);
    writeMarker(h.marker, { tag: h.tag, at: Date.now() });
    await runner.prepareToReattach();
    const found = runner.reattach(h, undefined);
    assert.equal(found.kind, 'running', 'its sbatch may still be answering: looked for, not judged unknown');
    if (found.kind !== 'running') return;
    const exit = await found.execution.exited;
    assert.equal(exit.kind, 'failedToStart');
    assert.deepEqual(slurm.calls.find((c) => c.program === 'scancel')?.args, ['--name', h.tag], 'whatever arrives late under its name is cancelled');
  });

  it('the same marker, and the job shows up in squeue: adopted, and its id is written to the marker', async () => {
    const { slurm, runner, request } = setup();
    const h = slurmHandleFor('1', 0, request(1).logPath);
    writeMarker(h.marker, { tag: h.tag, at: Date.now() });
    await runner.prepareToReattach();
    const found = runner.reattach(h, undefined);
    assert.equal(found.kind, 'running');
    if (found.kind === 'running') executions.push(found.execution);
    slurm.jobs.set('88', { id: '88', name: h.tag, state: 'RUNNING', reason: 'None', restarts: 0 });
    await eventually(() => readMarker(h.marker)?.slurmId === '88', 'the id in the marker');
  });

  it('sbatch timed out but took the job: the id learned from squeue is written to the marker (a later host knows it by id)', async () => {
    const { slurm, runner, request } = setup();
    slurm.sbatchAnswer = 'lostButTaken';
    const req = request(1);
    const execution = runner.start(req);
    executions.push(execution);
    execution.release();
    await eventually(() => readMarker(`${req.logPath}.submitted`)?.slurmId === '4711', 'the id in the marker');
    assert.equal((execution.handle as { slurmId?: string }).slurmId, '4711');
  });

  it('sbatch timed out and the job never appears: cancelled by name before it is called not submitted', async () => {
    const { slurm, runner, request } = setup({ lostSubmissionMs: 100 });
    slurm.sbatchAnswer = 'lostNotTaken';
    const execution = runner.start(request(1));
    execution.release();
    const tag = execution.handle.tag as string;
    const exit = await execution.exited;
    assert.equal(exit.kind, 'failedToStart');
    assert.ok(slurm.calls.some((c) => c.program === 'scancel' && c.args.join(' ') === `--name ${tag}`));
  });

  it('a pause asked before the first squeue row holds the pending job (never STOP signals to a job that has no processes)', async () => {
    const { slurm, runner, request } = setup();
    const execution = runner.start(request(1));
    executions.push(execution);
    execution.release();
    await eventually(() => slurm.jobs.size === 1, 'submitted');
    execution.pause();
    await eventually(() => slurm.calls.some((c) => c.program === 'scontrol' && c.args.join(' ') === 'hold 4711'), 'held');
    assert.ok(!slurm.calls.some((c) => c.program === 'scancel' || (c.program === 'scontrol' && c.args[0] === 'suspend')), JSON.stringify(slurm.calls));
    execution.resume();
    await eventually(() => slurm.calls.some((c) => c.program === 'scontrol' && c.args.join(' ') === 'release 4711'), 'released');
  });

  it('pause then resume at once on a running job: in order, ending resumed', async () => {
    const { slurm, runner, request } = setup();
    const execution = runner.start(request(1));
    executions.push(execution);
    execution.release();
    await eventually(() => slurm.jobs.size === 1, 'submitted');
    slurm.jobs.get('4711')!.state = 'RUNNING';
    await eventually(() => /RUNNING/.test(execution.details!()!.summary), 'running');
    execution.pause();
    execution.resume();
    execution.pause();
    await eventually(() => slurm.calls.filter((c) => c.program === 'scancel').length >= 1, 'stopped');
    execution.resume();
    await eventually(() => slurm.calls.some((c) => c.args.includes('--signal=CONT')), 'continued');
    const signals = slurm.calls.filter((c) => c.program === 'scancel').map((c) => c.args[0]);
    assert.deepEqual(signals, ['--signal=STOP', '--signal=CONT']);
  });

  it('locate: a run is found where it was written, though the output folder setting changed since', async () => {
    const { slurm, runner, request } = setup();
    const first = tempDir('jq-slurm-out1-');
    runner.setOutputDir(first);
    const req = request(1);
    const execution = runner.start(req);
    execution.release();
    await eventually(() => slurm.jobs.size === 1, 'submitted');
    execution.detach();
    const exitFile = (execution.handle as { exitFile: string }).exitFile;
    assert.ok(exitFile.startsWith(first));
    fs.writeFileSync(exitFile, '6 1700000000000\n');
    const later = new SlurmRunner({ commands: slurm, user: 'alice', outputDir: tempDir('jq-slurm-out2-') });
    assert.deepEqual(later.locate({ jobId: req.jobId, attempt: req.attempt, logPath: req.logPath }), { kind: 'finished', exit: { kind: 'exited', exitCode: 6, finishedAt: 1700000000000 } });
  });

  it('the wrapper: Slurm signals every process of the job; the command gets TERM once and INT at all, and its status is recorded', async () => {
    const dir = tempDir('jq-slurm-wrapper-');
    const seen = path.join(dir, 'seen');
    const stop = path.join(dir, 'stop');
    const exitFile = path.join(dir, 'job.exit');
    const command = `trap 'echo TERM >>"${seen}"' TERM; trap 'echo INT >>"${seen}"' INT; echo ready >>"${seen}"; while [ ! -e "${stop}" ]; do sleep 0.05; done; exit 4`;
    // Like slurmd, signal the job's whole process group (the wrapper and the command).
    const job = spawn('/bin/sh', [ensureWrapper(dir), '/bin/sh', command, exitFile], { detached: true, stdio: 'ignore' });
    const lines = () => (fs.existsSync(seen) ? fs.readFileSync(seen, 'utf8').split('\n').filter(Boolean) : []);
    await eventually(() => lines().includes('ready'), 'the command runs');
    process.kill(-job.pid!, 'SIGTERM');
    await eventually(() => lines().includes('TERM'), 'TERM reached the command');
    process.kill(-job.pid!, 'SIGINT');
    await eventually(() => lines().includes('INT'), 'INT reached the command (a background child would ignore it)');
    fs.writeFileSync(stop, '');
    await eventually(() => fs.existsSync(exitFile), 'the wrapper recorded the status');
    assert.match(fs.readFileSync(exitFile, 'utf8'), /^4 \d+\n$/);
    assert.deepEqual(lines(), ['ready', 'TERM', 'INT'], 'each signal once: the wrapper passes nothing on');
  });
});
