// A task's dependsOn as the jobs to queue, in order, each after what it waits for (pure: no VS Code).
import * as assert from 'node:assert/strict';
import { entriesByLabel, namedMatchers, planTask, type TaskEntry } from '../../src/vscode/commands/taskDependencies';

/** A graph of tasks.json entries; every labelled entry with `command` runs, others only group. */
function graph(entries: Array<TaskEntry & { command?: string }>, runs = (e: { command?: string } | undefined) => e?.command !== undefined) {
  const byLabel = entriesByLabel(entries);
  const raw = new Map(entries.map((e) => [e.label ?? e.taskName, e]));
  return { entry: (name: string) => byLabel.get(name), runs: (name: string) => runs(raw.get(name)) };
}

describe('Add Task as Job: dependsOn as queue dependencies', () => {
  it('no dependencies: the task alone', () => {
    assert.deepEqual(planTask('build', graph([{ label: 'build', command: 'make' }])), { ok: true, steps: [{ name: 'build', after: [] }] });
  });

  it('dependsOrder sequence: a chain, each after the one before', () => {
    const plan = planTask('all', graph([
      { label: 'a', command: 'a' }, { label: 'b', command: 'b' }, { label: 'c', command: 'c' },
      { label: 'all', command: 'all', dependsOn: ['a', 'b', 'c'], dependsOrder: 'sequence' },
    ]));
    assert.deepEqual(plan, { ok: true, steps: [{ name: 'a', after: [] }, { name: 'b', after: ['a'] }, { name: 'c', after: ['b'] }, { name: 'all', after: ['c'] }] });
  });

  it('parallel (the default): the dependencies start together, the task after all of them', () => {
    const plan = planTask('all', graph([{ label: 'a', command: 'a' }, { label: 'b', command: 'b' }, { label: 'all', command: 'all', dependsOn: ['a', 'b'] }]));
    assert.deepEqual(plan, { ok: true, steps: [{ name: 'a', after: [] }, { name: 'b', after: [] }, { name: 'all', after: ['a', 'b'] }] });
  });

  it('a dependency with dependencies of its own, in a sequence, starts after the one before it; a diamond is queued once', () => {
    const plan = planTask('top', graph([
      { label: 'base', command: 'base' },
      { label: 'left', command: 'left', dependsOn: 'base' },
      { label: 'right', command: 'right', dependsOn: ['base'] },
      { label: 'top', command: 'top', dependsOn: ['left', 'right'], dependsOrder: 'sequence' },
    ]));
    assert.deepEqual(plan, { ok: true, steps: [{ name: 'base', after: [] }, { name: 'left', after: ['base'] }, { name: 'right', after: ['base'] }, { name: 'top', after: ['right'] }] });
  });

  it('a task that only groups others queues nothing itself: what waits for it waits for its last ones', () => {
    const plan = planTask('ship', graph([
      { label: 'a', command: 'a' }, { label: 'b', command: 'b' },
      { label: 'group', dependsOn: ['a', 'b'] },
      { label: 'ship', command: 'ship', dependsOn: 'group' },
    ]));
    assert.deepEqual(plan, { ok: true, steps: [{ name: 'a', after: [] }, { name: 'b', after: [] }, { name: 'ship', after: ['a', 'b'] }] });
  });

  it('refuses, with a sentence: a circle, a dependency named by its definition, one that cannot run, nothing to run', () => {
    const circle = planTask('a', graph([{ label: 'a', command: 'a', dependsOn: 'b' }, { label: 'b', command: 'b', dependsOn: 'a' }]));
    assert.deepEqual(circle, { ok: false, message: 'Task “a” cannot be queued as a job: its dependencies go round in a circle (“a” → “b” → “a”). Run it with Tasks: Run Task instead.' });
    const byDefinition = planTask('a', graph([{ label: 'a', command: 'a', dependsOn: [{ type: 'npm', script: 'build' }] }]));
    assert.match(byDefinition.ok ? '' : byDefinition.message, /names a dependency by its definition \(\{"type":"npm","script":"build"\}\).*name it by its label/);
    const notRunnable = planTask('a', graph([{ label: 'a', command: 'a', dependsOn: 'npm: build' }]));
    assert.equal(notRunnable.ok ? '' : notRunnable.message, 'Task “a” depends on “npm: build”, which is not a shell or process task Job Queue can run. Run it with Tasks: Run Task instead.');
    const empty = planTask('nothing', graph([{ label: 'nothing' }]));
    assert.match(empty.ok ? '' : empty.message, /has no shell or process command and no dependencies/);
  });

  it('reads tasks.json entries leniently (junk skipped, the first of a label kept) and keeps only named matchers', () => {
    const entries = entriesByLabel([null, 3, { label: 'x', dependsOn: 'y' }, { label: 'x', dependsOn: 'z' }, { taskName: 'old' }, { label: 'bad order', dependsOrder: 'sideways' }, {}]);
    assert.deepEqual([...entries.keys()], ['x', 'old']);
    assert.equal(entries.get('x')?.dependsOn, 'y');
    assert.deepEqual(entriesByLabel('not a list').size, 0);
    assert.deepEqual(namedMatchers({ problemMatcher: '$tsc' }), ['$tsc']);
    assert.deepEqual(namedMatchers({ problemMatcher: ['$gcc', { owner: 'inline', pattern: { regexp: '.' } }, '$go'] }), ['$gcc', '$go']);
    assert.deepEqual(namedMatchers({}), []);
    assert.deepEqual(namedMatchers(undefined), []);
  });
});
