// One source of truth for what a row allows: for every kind of row (a queued job, a running or
// paused run, each kind of finished run, and an earlier run of a job that is queued or running
// again; a held job, one held for approval, one waiting for another) and every action — the engine's,
// and how a queued job waits (hold, release, run after, send) — the tree's context menu offers the
// action ⇔ the palette lists the row ⇔ the command path (the row's rule, then the engine) accepts
// it. Real engine, real processes.
import * as assert from 'node:assert/strict';
import { JOB_ACTIONS, can, type JobAction, type JobRow } from '../../src/core/lifecycle';
import { isJobError, type Job, type JobService } from '../../src/core';
import { performRowAction, performWaitAction, paletteRows } from '../../src/vscode/commands/rowActions';
import { ROW_COMMANDS, WAIT_ACTIONS, isJobAction, isWaitAction, rowAllows, waitActionAllowed, rowContextValue, rowKey, type RowAction, type WaitAction } from '../../src/vscode/tree/capabilities';
import { eventually, openService, pidAlive, tempDir, waitForFileLine, waitForStatus } from './helpers';

interface MenuItem { command: string; when?: string; group?: string }
interface Manifest { contributes: { commands: Array<{ command: string }>; menus: Record<string, MenuItem[]> } }

/** Evaluates a view/item/context `when` clause for a row of the Jobs view (the only forms the manifest uses). */
function shows(item: MenuItem, contextValue: string): boolean {
  return (item.when ?? '').split('&&').map((t) => t.trim()).every((term) => {
    if (term === 'view == jobQueue.jobs') return true;
    const match = /^viewItem =~ \/(.+)\/$/.exec(term);
    if (match) return new RegExp(match[1]!).test(contextValue);
    throw new Error(`a clause this test cannot read: ${term}`);
  });
}

/** The JobError code an action is refused with (undefined when it is not refused). */
async function refusalCode(action: () => unknown): Promise<string | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    return isJobError(error) ? error.code : String(error);
  }
}

interface Scenario {
  name: string;
  /** Builds a fresh engine holding the row. */
  make(): Promise<{ service: JobService; row: JobRow }>;
  /** Actions the row allows that the engine still refuses because of how the job waits now (the refusal says so). */
  refusedBecauseWaits?: Partial<Record<WaitAction, RegExp>>;
}

/** Every action a row can be asked to do through a command. */
const ACTIONS: readonly (JobAction | WaitAction)[] = [...JOB_ACTIONS, ...WAIT_ACTIONS];

/** A job that prints `started` and then runs for a while. */
const LONG = 'echo started; sleep 30';

async function enqueued(command = LONG): Promise<{ service: JobService; job: Job }> {
  const service = await openService();
  return { service, job: service.enqueue({ command, label: 'row under test' }) };
}

/** Sent and, for a long job, seen running (its command began: past the runner's start gate). */
async function started(command = LONG, service?: JobService): Promise<{ service: JobService; job: Job }> {
  const made = service ? { service, job: service.enqueue({ command, label: 'row under test' }) } : await enqueued(command);
  const sent = made.service.sendNextJob();
  assert.equal(sent.outcome, 'started');
  const job = made.service.getJob(made.job.id)!;
  if (command === LONG) await waitForFileLine(job.logPath!, /^started$/);
  return { service: made.service, job: made.service.getJob(made.job.id)! };
}

async function finishedRun(command: string, status: Job['status']): Promise<{ service: JobService; row: JobRow }> {
  const { service, job } = await started(command);
  await waitForStatus(service, job.id, status);
  return { service, row: { kind: 'finished', job: service.getHistory()[0]! } };
}

/** A run whose host went away and whose end cannot be known: its process group killed while no host watched. */
async function interruptedRun(policy: 'keepInHistory' | 'requeue'): Promise<{ service: JobService; row: JobRow }> {
  const storageDir = tempDir();
  const first = await openService({ storageDir });
  const { job } = await started(LONG, first);
  await first.dispose();
  // Killed only once its command has begun (past its gate), so its end is truly unknown.
  await waitForFileLine(String(job.run!.exitJournal), new RegExp(`^${job.run!.exitKey} started$`));
  const pid = Number(job.run!.pid);
  process.kill(-pid, 'SIGKILL');
  await eventually(() => !pidAlive(pid), 'the killed job to be gone');
  const service = await openService({ storageDir, interruptedPolicy: policy });
  const run = service.getHistory()[0]!;
  assert.equal(run.status, 'interrupted');
  return { service, row: { kind: 'finished', job: run } };
}

/** Cancel and Return to Queue: the job is queued again; its first run is in the history. */
async function returnedToQueue(): Promise<{ service: JobService; run: Job; jobId: string }> {
  const { service, job } = await started();
  await service.cancelAndRequeue(job.id);
  assert.equal(service.getJob(job.id)?.status, 'queued');
  return { service, run: service.getHistory()[0]!, jobId: job.id };
}

const scenarios: Scenario[] = [
  { name: 'a queued job', make: async () => { const { service, job } = await enqueued(); return { service, row: { kind: 'queued', job } }; } },
  { name: 'a running run', make: async () => { const { service, job } = await started(); return { service, row: { kind: 'running', job } }; } },
  {
    name: 'a paused run',
    make: async () => {
      const { service, job } = await started();
      return { service, row: { kind: 'running', job: service.pauseJob(job.id) } };
    },
  },
  { name: 'a completed run', make: () => finishedRun('exit 0', 'completed') },
  { name: 'a failed run', make: () => finishedRun('exit 3', 'failed') },
  {
    name: 'a job cancelled while queued (never ran)',
    make: async () => {
      const { service, job } = await enqueued();
      return { service, row: { kind: 'finished', job: await service.cancelJob(job.id) } };
    },
  },
  {
    name: 'a cancelled run',
    make: async () => {
      const { service, job } = await started();
      return { service, row: { kind: 'finished', job: await service.cancelJob(job.id) } };
    },
  },
  { name: 'an interrupted run', make: () => interruptedRun('keepInHistory') },
  {
    name: 'an earlier run of a job now queued (cancel and return to queue)',
    make: async () => {
      const { service, run } = await returnedToQueue();
      return { service, row: { kind: 'finished', job: run } };
    },
  },
  {
    name: 'an earlier run of a job now running again',
    make: async () => {
      const { service, run, jobId } = await returnedToQueue();
      assert.equal(service.sendNextJob().outcome, 'started');
      assert.equal(service.getJob(jobId)?.status, 'running');
      return { service, row: { kind: 'finished', job: run } };
    },
  },
  {
    name: 'an earlier (interrupted) run of a job re-queued',
    make: async () => {
      const made = await interruptedRun('requeue');
      assert.equal(made.service.getJob(made.row.job.id)?.status, 'queued');
      return made;
    },
  },
  {
    // Not among the last three: the by-id checks below read those.
    name: 'a queued job with a start time ahead',
    make: async () => {
      const { service, job } = await enqueued();
      return { service, row: { kind: 'queued', job: service.setStartTime(job.id, Date.now() + 3_600_000) } };
    },
  },
  {
    name: 'a queued job held by the user',
    make: async () => {
      const { service, job } = await enqueued();
      return { service, row: { kind: 'queued', job: service.hold(job.id) } };
    },
  },
  {
    name: 'a job from the API, held for approval',
    make: async () => {
      const service = await openService();
      const job = service.enqueue({ command: LONG, label: 'row under test', source: { kind: 'api', extensionId: 'someone.tool' } });
      assert.deepEqual(job.hold, { by: 'approval', source: 'someone.tool' });
      return { service, row: { kind: 'queued', job } };
    },
  },
  {
    name: 'a queued job waiting for a running one',
    make: async () => {
      const { service, job: first } = await started();
      const job = service.enqueue({ command: LONG, label: 'row under test' }, { after: { ids: [first.id] } });
      return { service, row: { kind: 'queued', job } };
    },
    refusedBecauseWaits: { send: /waits for Job #\d+/ },
  },
];

/** Runs the action the way the command does; 'accepted' or the refusal's message. */
async function attempt(service: JobService, action: JobAction | WaitAction, row: JobRow): Promise<'accepted' | string> {
  try {
    if (isWaitAction(action)) {
      // Run After: on a job of its own (made only when the row allows it: a refusal changes nothing).
      const after = action === 'runAfter' && waitActionAllowed(action, row) ? { ids: [service.enqueue({ command: 'exit 0', label: 'dependency' }).id], condition: 'any' as const } : undefined;
      const notBefore = action === 'startTime' ? Date.now() + 3_600_000 : undefined;
      const result = performWaitAction(service, action, row, after ? { by: 'user', after } : notBefore !== undefined ? { by: 'user', notBefore } : { by: 'user' });
      if ('outcome' in result && result.outcome === 'refused') return result.message;
      return 'accepted';
    }
    await performRowAction(service, action, row);
    return 'accepted';
  } catch (error) {
    if (isJobError(error)) return error.message;
    throw error;
  }
}

describe('menus ⇔ palette ⇔ engine: what each row allows', function () {
  this.timeout(60_000);
  let manifest: Manifest;
  let rowItems: MenuItem[];

  before(async () => {
    manifest = (await import('../../package.json')).default as unknown as Manifest;
    // Job rows' items; a lane group's (Pause/Resume Lane, tokens `pausablelane` / `resumablelane`) are checked in viewModels.test.ts.
    rowItems = (manifest.contributes.menus['view/item/context'] ?? []).filter((i) => !/lane\\b/.test(i.when ?? ''));
  });

  it('every row menu item acts through a command whose action is known', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const item of rowItems) {
      assert.ok(contributed.has(item.command), `${item.command} is contributed`);
      assert.ok(ROW_COMMANDS[item.command], `${item.command} has a row action`);
    }
    // Every row action is offered somewhere in the context menu.
    const offered = new Set(rowItems.filter((i) => !i.group?.startsWith('inline')).map((i) => ROW_COMMANDS[i.command]));
    for (const action of new Set(Object.values(ROW_COMMANDS))) assert.ok(offered.has(action), `${action} is in the context menu`);
  });

  it('the palette hides a command only when it needs a row (no quick pick to fall back on), and never a row command that has one', () => {
    const hidden = new Set((manifest.contributes.menus.commandPalette ?? []).filter((i) => i.when === 'false').map((i) => i.command));
    // Row commands pick their row in a quick pick from the palette (commands/shared.ts resolveRows).
    for (const command of Object.keys(ROW_COMMANDS)) assert.ok(!hidden.has(command), `${command} has a quick pick: it stays in the palette`);
    // “Show more” rows' commands load the next page of the row they are on: nothing to pick.
    assert.deepEqual([...hidden].sort(), ['jobQueue.showMoreHistory']);
  });

  for (const scenario of scenarios) {
    it(`${scenario.name}: menu item shown ⇔ palette lists it ⇔ the engine accepts it`, async () => {
      const { service, row } = await scenario.make();
      const options = { canPauseJobs: service.canPauseJobs };
      const contextValue = rowContextValue(row, options);
      const actions = new Set<RowAction>([...ACTIONS, 'showLog', 'showRunningJob']);
      for (const action of actions) {
        const allowed = rowAllows(row, action, options);
        // Context menu: the item is there exactly when the row allows it; an inline button only then.
        for (const item of rowItems.filter((i) => ROW_COMMANDS[i.command] === action)) {
          const inline = item.group?.startsWith('inline') ?? false;
          if (inline) assert.ok(!shows(item, contextValue) || allowed, `${scenario.name}: inline ${item.command} shows only when allowed (${contextValue})`);
          else assert.equal(shows(item, contextValue), allowed, `${scenario.name}: ${item.command} in the menu ⇔ ${action} allowed (${contextValue})`);
        }
        // Palette: the row is listed exactly when the action applies to it.
        const listed = paletteRows(service, action, options).some((r) => rowKey(r) === rowKey(row));
        assert.equal(listed, allowed, `${scenario.name}: the palette lists the row for ${action} ⇔ allowed`);
      }
      // Engine: every refused action is refused with a message, and changes nothing.
      const before = JSON.stringify({ snapshot: service.getSnapshot(), history: service.getHistory() });
      for (const action of ACTIONS.filter((a) => !rowAllows(row, a, options))) {
        const outcome = await attempt(service, action, row);
        assert.notEqual(outcome, 'accepted', `${scenario.name}: ${action} is refused`);
        assert.match(outcome, /^Cannot /, `${scenario.name}: ${action} says why`);
      }
      assert.equal(JSON.stringify({ snapshot: service.getSnapshot(), history: service.getHistory() }), before, `${scenario.name}: refusals change nothing`);
    });

    it(`${scenario.name}: every action the menu offers, the engine performs`, async () => {
      const probe = await scenario.make();
      const allowed = ACTIONS.filter((a) => rowAllows(probe.row, a, { canPauseJobs: probe.service.canPauseJobs }));
      for (const action of allowed) {
        // A fresh engine per action: each one changes the state.
        const { service, row } = action === allowed[0] ? probe : await scenario.make();
        const before = { queued: service.getSnapshot().queued.length, history: service.historySize };
        const because = isWaitAction(action) ? scenario.refusedBecauseWaits?.[action] : undefined;
        if (because) {
          assert.match(await attempt(service, action, row), because, `${scenario.name}: ${action} is refused, saying how the job waits`);
          continue;
        }
        assert.equal(await attempt(service, action, row), 'accepted', `${scenario.name}: ${action}`);
        const now = service.getJob(row.job.id);
        if (action === 'hold') assert.deepEqual(now?.hold, { by: 'user' }, `${scenario.name}: held`);
        if (action === 'release') assert.equal(now?.hold, undefined, `${scenario.name}: released`);
        if (action === 'runAfter') assert.equal(now?.after?.ids.length, 1, `${scenario.name}: waits for one job`);
        if (action === 'startTime') assert.ok(now?.notBefore !== undefined && now.notBefore > Date.now(), `${scenario.name}: has a start time`);
        if (action === 'clearStartTime') assert.equal(now?.notBefore, undefined, `${scenario.name}: start time cleared`);
        if (action === 'send') assert.ok(now && (now.status !== 'queued' || now.pending) && !now.hold, `${scenario.name}: sent (and released)`);
        if (action === 'retry') {
          // A NEW job from THAT run's spec, linked to it, at the bottom of the queue.
          const retry = service.getSnapshot().queued.at(-1)!;
          assert.notEqual(retry.id, row.job.id);
          assert.equal(retry.retryOf, row.job.id);
          assert.deepEqual(retry.spec, row.job.spec);
          assert.equal(service.getSnapshot().queued.length, before.queued + 1);
        }
      }
    });
  }

  it('the engine’s own check agrees when a job is addressed by its id (its row: the job as it is now)', async () => {
    const byId: Record<JobAction, (service: JobService, id: string) => unknown> = {
      cancel: (service, id) => service.cancelJob(id),
      cancelAndRequeue: (service, id) => service.cancelAndRequeue(id),
      pause: (service, id) => service.pauseJob(id),
      resume: (service, id) => service.resumeJob(id),
      retry: (service, id) => service.retryJob(id),
      move: (service, id) => service.moveJob(id, 0),
      remove: (service, id) => service.removeJob(id),
    };
    // A queued, running or paused job, and jobs whose latest run finished: the row is the job itself.
    for (const scenario of scenarios.slice(0, 8)) {
      const { service, row } = await scenario.make();
      for (const action of JOB_ACTIONS.filter((a) => !can(a, row))) {
        assert.equal(await refusalCode(() => byId[action](service, row.job.id)), 'invalidState', `${scenario.name}: the engine refuses ${action} by id`);
      }
    }
  });

  it('the engine’s own check agrees for how a queued job waits, addressed by its id', async () => {
    const byId: Record<WaitAction, (service: JobService, id: string) => unknown> = {
      hold: (service, id) => service.hold(id),
      release: (service, id) => service.release(id),
      runAfter: (service, id) => service.setDependencies(id, null),
      send: (service, id) => service.sendJob(id),
      startTime: (service, id) => service.setStartTime(id, Date.now() + 3_600_000),
      clearStartTime: (service, id) => service.setStartTime(id, undefined),
    };
    // The row is the job itself; a finished job's row is its run in the history.
    for (const scenario of [...scenarios.slice(0, 8), ...scenarios.slice(-3)]) {
      const { service, row } = await scenario.make();
      // Clearing the start time of a queued job that has none is, to the engine, a change to nothing (accepted).
      for (const action of WAIT_ACTIONS.filter((a) => !rowAllows(row, a, { canPauseJobs: service.canPauseJobs }) && !(a === 'clearStartTime' && row.job.status === 'queued'))) {
        assert.equal(await refusalCode(() => byId[action](service, row.job.id)), 'invalidState', `${scenario.name}: the engine refuses ${action} by id`);
      }
    }
  });

  it('retry by job id alone refuses a job that is queued again; retry of its earlier run is a new job', async () => {
    const { service, run, jobId } = await returnedToQueue();
    assert.throws(() => service.retryJob(jobId), /Cannot retry job #\d+ .*it is queued/);
    const retry = service.retryJob(jobId, {}, { attempt: run.attempt, finishedAt: run.finishedAt! });
    assert.equal(retry.retryOf, jobId);
    assert.throws(() => service.retryJob(jobId, {}, { attempt: 99 }), (e: unknown) => isJobError(e) && e.code === 'unknownJob' && /no run 99 of job #/.test(e.message));
  });

  it('a job action is never performed on the job through one of its earlier runs', async () => {
    const { service, run, jobId } = await returnedToQueue();
    for (const action of ['cancel', 'move', 'remove'] as const) {
      assert.ok(isJobAction(action));
      assert.match(await attempt(service, action, { kind: 'finished', job: run }), new RegExp(`^Cannot .*job #${jobId} .*it is cancelled`));
    }
    assert.equal(service.getJob(jobId)?.status, 'queued', 'the queued job was not touched');
  });
});
