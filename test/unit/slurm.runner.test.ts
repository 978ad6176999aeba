// The Slurm runner against a fake commands layer: the gate (nothing submitted before release), a
// refusal, the poller's cost (ONE squeue per poll for 1 or 500 runs), an unreachable controller
// (never an end), and finding runs again (reattach/locate) from the files a run leaves.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobExecution, RunExit, StartRequest } from '../../src/core/runner/types';
import { SlurmRunner } from '../../src/core/runner/slurm/slurmRunner';
import { slurmHandleFor, writeMarker } from '../../src/core/runner/slurm/slurmFiles';
import { FakeSlurm } from './fixtures/fakeSlurm';
import { eventually, tempDir } from './helpers';

function setup(poll = 20) {
  const slurm = new FakeSlurm();
  const runner = new SlurmRunner({ commands: slurm, activePollMs: poll, burstPollMs: poll, maxPollMs: 500, user: 'alice' });
  const dir = tempDir('jq-slurm-unit-');
  let n = 0;
  const request = (command = 'echo hi', extra: Partial<StartRequest> = {}): StartRequest => {
    n++;
    return { jobId: String(n), attempt: 0, spec: { command, runOn: { kind: 'slurm' } }, logPath: path.join(dir, `${n}.1.log`), shell: '/bin/sh', ...extra };
  };
  return { slurm, runner, dir, request };
}

function settled(execution: JobExecution): () => RunExit | undefined {
  let exit: RunExit | undefined;
  void execution.exited.then((e) => (exit = e));
  return () => exit;
}

const executions: JobExecution[] = [];
afterEach(() => {
  for (const e of executions.splice(0)) e.detach();
});

describe('Slurm runner (fake Slurm)', () => {
  it('start() submits nothing; abandon() before release → nothing ever submitted', async () => {
    const { slurm, runner, request } = setup();
    const execution = runner.start(request());
    assert.equal(execution.handle.kind, 'slurm');
    assert.equal(execution.abandon(), true);
    const exit = await execution.exited;
    assert.equal(exit.kind, 'unknown');
    assert.equal(slurm.calls.length, 0);
  });

  it('release() runs sbatch once with the command as an ARGUMENT of the fixed wrapper, and writes the marker', async () => {
    const { slurm, runner, request } = setup();
    const req = request(`echo "it's $HOME"; exit 3`, { spec: { command: `echo "it's $HOME"; exit 3`, cwd: '/tmp', runOn: { kind: 'slurm', options: { partition: 'gpu', time: '10' } } } });
    const execution = runner.start(req);
    executions.push(execution);
    execution.release();
    execution.release();
    await eventually(() => slurm.count('sbatch') === 1 && slurm.jobs.size === 1, 'submitted');
    const args = slurm.calls.find((c) => c.program === 'sbatch')!.args;
    const tag = execution.handle.tag as string;
    assert.deepEqual(args.slice(0, 7), ['--parsable', `--job-name=${tag}`, '--comment=job-queue', `--output=${req.logPath}`, '--open-mode=append', '--export=ALL', '--chdir=/tmp']);
    assert.deepEqual(args.slice(7, 9), ['--partition=gpu', '--time=10']);
    assert.match(args[9]!, /slurm-wrapper\.sh$/);
    assert.deepEqual(args.slice(10), ['/bin/sh', req.spec.command, `${req.logPath}.exit`]);
    assert.ok(!fs.readFileSync(args[9]!, 'utf8').includes('HOME'), 'the wrapper is fixed text');
    await eventually(() => JSON.parse(fs.readFileSync(`${req.logPath}.submitted`, 'utf8')).slurmId === '4711', 'marker has the id');
  });

  it('a refused submission ends as failedToStart with Slurm\'s reason', async () => {
    const { slurm, runner, request } = setup();
    slurm.refuse = 'Invalid partition name specified';
    const execution = runner.start(request());
    execution.release();
    const exit = await execution.exited;
    assert.deepEqual({ kind: exit.kind, reason: exit.kind === 'failedToStart' ? exit.reason : '' }, { kind: 'failedToStart', reason: 'Slurm refused the job: Batch job submission failed: Invalid partition name specified' });
  });

  it('the controller down when a job is submitted: it fails saying the controller could not be reached, not that Slurm refused it', async () => {
    const { slurm, runner, request } = setup();
    slurm.down = true;
    const execution = runner.start(request());
    execution.release();
    const exit = await execution.exited;
    assert.equal(exit.kind, 'failedToStart');
    assert.equal(exit.kind === 'failedToStart' && exit.reason, 'Could not start: the Slurm controller could not be reached (Batch job submission failed: Unable to contact slurm controller (connect failure))');
  });

  it('an output folder: the node writes output and exit file there, the queue\'s log links to the output, and a later host finds the end there', async () => {
    const { slurm, runner, request } = setup();
    const outputDir = tempDir('jq-slurm-out-');
    runner.setOutputDir(outputDir);
    const job = request('echo to scratch');
    const execution = runner.start(job);
    executions.push(execution);
    const handle = execution.handle as { tag: string; output: string; exitFile: string };
    assert.equal(handle.output, path.join(outputDir, `${handle.tag}.out`));
    assert.equal(handle.exitFile, `${handle.output}.exit`);
    execution.release();
    await eventually(() => slurm.jobs.size === 1, 'submitted');
    const sbatch = slurm.calls.find((c) => c.program === 'sbatch')!;
    assert.ok(sbatch.args.includes(`--output=${handle.output}`), 'sbatch writes the output into the folder');
    assert.ok(sbatch.args.includes(handle.exitFile), 'the wrapper records the exit status there too');
    assert.equal(fs.readlinkSync(job.logPath), handle.output, 'the queue\'s log is a link to it');
    fs.writeFileSync(handle.output, 'to scratch\n');
    assert.equal(fs.readFileSync(job.logPath, 'utf8'), 'to scratch\n', 'the card reads the output through the log');
    fs.writeFileSync(handle.exitFile, '0 1700000000000\n');
    assert.deepEqual(runner.locate({ jobId: job.jobId, attempt: job.attempt, logPath: job.logPath }), { kind: 'finished', exit: { kind: 'exited', exitCode: 0, finishedAt: 1700000000000 } });
  });

  it('sbatch missing: checkCanStart says so plainly', () => {
    const { slurm, runner } = setup();
    slurm.sbatchMissing = true;
    assert.match(runner.checkCanStart({ command: 'x', runOn: { kind: 'slurm' } }) ?? '', /sbatch was not found on PATH/);
  });

  for (const count of [1, 500]) {
    it(`${count} active run(s): ONE squeue call per poll`, async () => {
      const { slurm, runner, request } = setup(10);
      const runs = Array.from({ length: count }, () => runner.start(request()));
      executions.push(...runs);
      for (const run of runs) run.release();
      await eventually(() => slurm.jobs.size === count, 'all submitted');
      for (const job of slurm.jobs.values()) job.state = 'RUNNING';
      const polls0 = runner.polls;
      const squeue0 = slurm.count('squeue');
      await eventually(() => runner.polls >= polls0 + 10, '10 polls');
      assert.equal(slurm.count('squeue') - squeue0, runner.polls - polls0);
      assert.equal(runner.commandsPerPoll, 1);
      assert.match(runs[count - 1]!.details!()!.summary, /^Slurm \d+ · RUNNING on node1$/);
    });
  }

  it('nothing to watch: no squeue at all (an idle queue costs the controller nothing)', async () => {
    const { slurm, runner, request } = setup(10);
    const execution = runner.start(request());
    execution.release();
    await eventually(() => slurm.jobs.size === 1, 'submitted');
    execution.detach();
    const before = slurm.count('squeue');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(slurm.count('squeue'), before);
  });

  it('an unreachable controller never ends a run: details say so, and it is judged when Slurm answers', async () => {
    const { slurm, runner, request } = setup();
    const req = request();
    const execution = runner.start(req);
    executions.push(execution);
    const exit = settled(execution);
    let changes = 0;
    execution.onDetailsChanged!(() => changes++);
    execution.release();
    await eventually(() => execution.details!()!.summary.includes('PENDING'), 'pending');
    slurm.down = true;
    await eventually(() => /Slurm unreachable since/.test(execution.details!()!.summary), 'unreachable shown');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(exit(), undefined);
    const seen = changes;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(changes, seen, 'listeners hear of changes only');
    // It ran and ended while the controller was away; Slurm then answers (it forgot the job).
    slurm.jobs.clear();
    fs.writeFileSync(`${req.logPath}.exit`, '2 1700000000000\n');
    slurm.down = false;
    const end = await execution.exited;
    // No accounting on this (fake) cluster: the end says so rather than leaving it out silently.
    assert.deepEqual(end, { kind: 'exited', exitCode: 2, finishedAt: 1700000000000, usage: { kind: 'unavailable', why: 'Slurm accounting is not available here (Slurm accounting storage is disabled)' } });
  });

  it('an exit status 128+N is a signal; cancel resolves once Slurm says it ended', async () => {
    const { slurm, runner, request } = setup();
    const req = request();
    const execution = runner.start(req);
    execution.release();
    await eventually(() => slurm.jobs.size === 1, 'submitted');
    slurm.jobs.get('4711')!.state = 'RUNNING';
    const ending = execution.terminate(1000);
    await eventually(() => slurm.count('scancel') >= 1, 'scancel');
    fs.writeFileSync(`${req.logPath}.exit`, '143 1700000000000\n');
    await ending;
    const exit = await execution.exited;
    assert.equal(exit.kind, 'signalled');
    assert.equal(exit.kind === 'signalled' && exit.signal, 'SIGTERM');
  });

  it('pause: scontrol suspend refused for a non-operator → STOP/CONT signals, remembered and shown', async () => {
    const { slurm, runner, request } = setup();
    const execution = runner.start(request());
    executions.push(execution);
    execution.release();
    await eventually(() => slurm.jobs.size === 1, 'submitted');
    slurm.jobs.get('4711')!.state = 'RUNNING';
    await eventually(() => execution.details!()!.summary.includes('RUNNING'), 'running');
    execution.pause();
    await eventually(() => slurm.calls.some((c) => c.program === 'scancel' && c.args.join(' ') === '--signal=STOP --full 4711'), 'STOP sent');
    assert.match(execution.details!()!.fields.find((f) => f.label === 'Pause method')!.value, /^STOP\/CONT signals — scontrol suspend needs an operator \(Access\/permission denied/);
    execution.resume();
    await eventually(() => slurm.calls.some((c) => c.program === 'scancel' && c.args.join(' ') === '--signal=CONT --full 4711'), 'CONT sent');
    assert.equal(slurm.calls.filter((c) => c.program === 'scontrol').length, 1, 'scontrol asked once, then remembered');
  });

  it('reattach/locate judge by the squeue fetched before the folder opened: exit file → finished; listed → running; gone → unknown; nothing → neverStarted', async () => {
    const { slurm, runner, dir } = setup();
    const at = (n: number) => ({ jobId: String(n), attempt: 0, logPath: path.join(dir, `${n}.1.log`) });
    const h4 = slurmHandleFor('4', 0, at(4).logPath);
    slurm.jobs.set('50', { id: '50', name: h4.tag, state: 'RUNNING', reason: 'None', restarts: 0 });
    writeMarker(`${at(2).logPath}.submitted`, { tag: 'x', at: 1, slurmId: '99', confirmedAt: 2 });
    await runner.prepareToReattach();
    assert.equal(slurm.count('squeue'), 1, 'one squeue for all of them, asked before the folder opens');
    assert.deepEqual(runner.locate(at(1)), { kind: 'neverStarted' });
    assert.deepEqual(runner.locate(at(2)), { kind: 'unknown', reason: 'Slurm no longer lists job 99 and it left no exit status' });
    fs.writeFileSync(`${at(3).logPath}.exit`, '130 1700000000000\n');
    assert.deepEqual(runner.reattach(slurmHandleFor('3', 0, at(3).logPath), undefined), { kind: 'finished', exit: { kind: 'signalled', signal: 'SIGINT', exitCode: 130, finishedAt: 1700000000000 } });
    const found = runner.reattach(h4, undefined);
    assert.equal(found.kind, 'running');
    if (found.kind === 'running') found.execution.detach();
    assert.equal(slurm.calls.length, 1, 'reattach and locate ran no Slurm command of their own');
    assert.deepEqual(runner.reattach({ kind: 'local-posix' }, undefined), { kind: 'unknown', reason: 'its Slurm record could not be read' });
  });
});
