// Add Job's steps as a person walks them (a scripted UI, no VS Code): where the job runs is asked
// only with Slurm enabled, the sbatch options only once Slurm is chosen, Back and Escape keep what
// was entered, and the answers carry where the job runs; the last command line and folder are
// offered again. (The real input box is driven in test/integration/addJob.test.ts.)
import * as assert from 'node:assert/strict';
import { askForJob, type AddJobStart, type AddJobUi, type StepResult } from '../../src/vscode/commands/addJobSteps';
import { mayUseMatcher, suggestedMatcher } from '../../src/vscode/problems/matcherChoices';

type Seen = { step: 'command' | 'label' | 'folder' | 'matcher' | 'where' | 'sbatch' | 'lane' | 'when' | 'afterJobs' | 'afterCondition' | 'startTime'; at: string; value: string; canGoBack: boolean };
/** A UI that answers each step in order from a script and records what each step was shown with. */
function inOrder(answers: StepResult[]): { ui: AddJobUi; seen: Seen[] } {
  const seen: Seen[] = [];
  const answer = (step: Seen['step']) => (info: { step: number; totalSteps: number; canGoBack: boolean; value: string }) => {
    seen.push({ step, at: `${info.step}/${info.totalSteps}`, value: info.value, canGoBack: info.canGoBack });
    const next = answers.shift();
    if (!next) throw new Error(`no scripted answer for the ${step} step`);
    return Promise.resolve(next);
  };
  return { ui: { commandLine: answer('command'), label: answer('label'), folder: answer('folder'), where: answer('where'), sbatchFlags: answer('sbatch') }, seen };
}

/** The same, with the waiting steps too (lane, when, which jobs, the condition, the time), as the workbench has them. */
function withWaits(answers: StepResult[]): { ui: AddJobUi; seen: Seen[] } {
  const made = inOrder(answers);
  const answer = (step: Seen['step']) => (info: { step: number; totalSteps: number; canGoBack: boolean; value: string }) => {
    made.seen.push({ step, at: `${info.step}/${info.totalSteps}`, value: info.value, canGoBack: info.canGoBack });
    const next = answers.shift();
    if (!next) throw new Error(`no scripted answer for the ${step} step`);
    return Promise.resolve(next);
  };
  return { ui: { ...made.ui, lane: answer('lane'), when: answer('when'), afterJobs: answer('afterJobs'), afterCondition: answer('afterCondition'), startTime: answer('startTime') }, seen: made.seen };
}

const one: AddJobStart = { folders: [{ name: 'app', path: '/w/app' }], home: '/home/me' };
const two: AddJobStart = { folders: [{ name: 'app', path: '/w/app' }, { name: 'lib', path: '/w/lib' }], home: '/home/me' };
const base = one;
const next = (value: string): StepResult => ({ kind: 'next', value });
const escape = (value: string): StepResult => ({ kind: 'escape', value });
const back: StepResult = { kind: 'back' };
const slurm = { defaults: '--partition=debug', lastWhere: 'local' as const, lastFlags: '' };

describe('Add Job steps', () => {
  it('without Slurm: command and label only, and the job runs here', async () => {
    const { ui, seen } = inOrder([next('make'), next('')]);
    assert.deepEqual(await askForJob(ui, base), { command: 'make', cwd: '/w/app' });
    assert.deepEqual(seen.map((s) => s.step), ['command', 'label']);
  });

  it('with Slurm enabled: "where" is asked; this machine ends the steps there', async () => {
    const { ui, seen } = inOrder([next('make'), next('Build'), next('local')]);
    assert.deepEqual(await askForJob(ui, { ...base, slurm }), { command: 'make', label: 'Build', cwd: '/w/app' });
    assert.deepEqual(seen.map((s) => [s.step, s.at]), [['command', '1/3'], ['label', '2/3'], ['where', '3/3']]);
  });

  it('Slurm chosen: its options step follows, and the job carries runOn with the typed options', async () => {
    const { ui, seen } = inOrder([next('python train.py'), next(''), next('slurm'), next('-p gpu --gres=gpu:1')]);
    assert.deepEqual(await askForJob(ui, { ...base, slurm }), {
      command: 'python train.py', cwd: '/w/app', runOn: { kind: 'slurm', options: { partition: 'gpu', gres: 'gpu:1' } },
    });
    assert.deepEqual(seen.map((s) => [s.step, s.at]).slice(2), [['where', '3/3'], ['sbatch', '4/4']], 'the options step appears once Slurm is chosen (4 steps now)');
  });

  it('Back from the options keeps the choice; Escape there queues on Slurm with what was typed; empty options mean the defaults', async () => {
    const { ui, seen } = inOrder([next('train'), next(''), next('slurm'), back, next('slurm'), escape('')]);
    assert.deepEqual(await askForJob(ui, { ...base, slurm: { ...slurm, lastWhere: 'slurm', lastFlags: '-p long' } }), { command: 'train', cwd: '/w/app', runOn: { kind: 'slurm' } });
    assert.deepEqual(seen.filter((s) => s.step === 'where').map((s) => s.value), ['slurm', 'slurm'], 'the last choice is offered first, and kept on Back');
    assert.equal(seen.find((s) => s.step === 'sbatch')?.value, '-p long', 'the last options are offered again');
  });

  it('command line, then label: two steps with one folder', async () => {
    const { ui, seen } = inOrder([next('make -j8'), next('Build')]);
    assert.deepEqual(await askForJob(ui, one), { command: 'make -j8', label: 'Build', cwd: '/w/app' });
    assert.deepEqual(seen.map((s) => [s.step, s.at, s.canGoBack]), [['command', '1/2', false], ['label', '2/2', true]]);
  });

  it('Escape on the command line cancels', async () => {
    const { ui } = inOrder([escape('make')]);
    assert.equal(await askForJob(ui, one), undefined);
  });

  it('Escape on the label step keeps what was typed and queues the job', async () => {
    const { ui } = inOrder([next('npm test'), escape('Tests')]);
    assert.deepEqual(await askForJob(ui, one), { command: 'npm test', label: 'Tests', cwd: '/w/app' });
    const empty = inOrder([next('npm test'), escape('')]);
    assert.deepEqual(await askForJob(empty.ui, one), { command: 'npm test', cwd: '/w/app' });
  });

  it('Back returns to the command line with what was typed; a new command line goes on', async () => {
    const { ui, seen } = inOrder([next('make'), back, next('make -j8'), next('')]);
    assert.deepEqual(await askForJob(ui, one), { command: 'make -j8', cwd: '/w/app' });
    assert.deepEqual(seen.map((s) => [s.step, s.value]), [['command', ''], ['label', ''], ['command', 'make'], ['label', '']]);
  });

  it('offers the last command line and preselects the last folder', async () => {
    const { ui, seen } = inOrder([next('make'), next('L'), next('/w/lib')]);
    assert.deepEqual(await askForJob(ui, { ...two, lastCommand: 'make', lastFolder: '/w/lib', activeFolder: '/w/app' }), { command: 'make', label: 'L', cwd: '/w/lib' });
    assert.deepEqual(seen.map((s) => [s.step, s.at, s.value]), [['command', '1/3', 'make'], ['label', '2/3', ''], ['folder', '3/3', '/w/lib']]);
  });

  it('with several folders: the folder step, Back to the label with its text, Escape queues with the preselected folder', async () => {
    const { ui, seen } = inOrder([next('make'), next('L'), back, escape('L2')]);
    assert.deepEqual(await askForJob(ui, { ...two, lastFolder: '/gone', activeFolder: '/w/lib' }), { command: 'make', label: 'L2', cwd: '/w/lib' });
    assert.deepEqual(seen.map((s) => [s.step, s.value]), [['command', ''], ['label', ''], ['folder', '/w/lib'], ['label', 'L']]);
  });

  it('with no folder open, the job runs in the home folder', async () => {
    const { ui } = inOrder([next('ls'), next('')]);
    assert.deepEqual(await askForJob(ui, { folders: [], home: '/home/me' }), { command: 'ls', cwd: '/home/me' });
  });
});

describe('Add Job steps: lane and when it runs', () => {
  const NOW = new Date(2026, 2, 10, 14, 0).getTime();
  const lanes = { ...one, lanes: ['default', 'gpu'], canWaitForJobs: true, now: () => NOW };

  it('with one lane: no lane step; "its turn" (the default) adds no wait', async () => {
    const { ui, seen } = withWaits([next('make'), next(''), next('turn')]);
    assert.deepEqual(await askForJob(ui, { ...one, lanes: ['default'], canWaitForJobs: true }), { command: 'make', cwd: '/w/app' });
    assert.deepEqual(seen.map((s) => [s.step, s.at, s.value]), [['command', '1/3', ''], ['label', '2/3', ''], ['when', '3/3', 'turn']]);
  });

  it('with more than one lane: the lane step, then when; the lane picked goes with the job', async () => {
    const { ui, seen } = withWaits([next('train'), next('T'), next('gpu'), next('hold')]);
    assert.deepEqual(await askForJob(ui, lanes), { command: 'train', label: 'T', cwd: '/w/app', schedule: { lane: 'gpu', hold: true } });
    assert.deepEqual(seen.map((s) => [s.step, s.at, s.value]).slice(2), [['lane', '3/4', 'default'], ['when', '4/4', 'turn']]);
  });

  it('after other jobs: which ones, then the condition', async () => {
    const { ui, seen } = withWaits([next('deploy'), next(''), next('default'), next('after'), next('3,5'), next('any')]);
    assert.deepEqual(await askForJob(ui, lanes), { command: 'deploy', cwd: '/w/app', schedule: { after: { ids: ['3', '5'], condition: 'any' } } });
    assert.deepEqual(seen.map((s) => [s.step, s.at]).slice(3), [['when', '4/4'], ['afterJobs', '5/6'], ['afterCondition', '6/6']], 'the steps grow once "after" is chosen');
  });

  it('at a time: the time as typed (the same input as Set Start Time)', async () => {
    const { ui } = withWaits([next('backup'), next(''), next('default'), next('at'), next('+2h')]);
    assert.deepEqual(await askForJob(ui, lanes), { command: 'backup', cwd: '/w/app', schedule: { notBefore: NOW + 2 * 3_600_000 } });
  });

  it('Escape on a later step queues with what is filled in: the lane chosen, the jobs picked (after success by default)', async () => {
    const { ui } = withWaits([next('train'), next(''), next('gpu'), next('after'), escape('')]);
    assert.deepEqual(await askForJob(ui, lanes), { command: 'train', cwd: '/w/app', schedule: { lane: 'gpu' } }, 'no job picked: it waits for none');
    const picked = withWaits([next('train'), next(''), next('gpu'), next('after'), next('7'), escape('success')]);
    assert.deepEqual(await askForJob(picked.ui, lanes), { command: 'train', cwd: '/w/app', schedule: { lane: 'gpu', after: { ids: ['7'], condition: 'success' } } });
    const when = withWaits([next('train'), next(''), escape('gpu')]);
    assert.deepEqual(await askForJob(when.ui, lanes), { command: 'train', cwd: '/w/app', schedule: { lane: 'gpu' } }, 'Escape on the lane step keeps the lane selected');
  });

  it('Escape on the time keeps a time that was typed in full, and drops one that is not a time', async () => {
    const typed = withWaits([next('backup'), next(''), next('default'), next('at'), escape('+30m')]);
    assert.deepEqual(await askForJob(typed.ui, lanes), { command: 'backup', cwd: '/w/app', schedule: { notBefore: NOW + 30 * 60_000 } });
    const partial = withWaits([next('backup'), next(''), next('default'), next('at'), escape('+3')]);
    assert.deepEqual(await askForJob(partial.ui, lanes), { command: 'backup', cwd: '/w/app' });
  });

  it('Back from the jobs step returns to "when" with the choice kept; choosing "its turn" then drops the jobs', async () => {
    const { ui, seen } = withWaits([next('x'), next(''), next('default'), next('after'), next('3'), back, back, next('turn')]);
    assert.deepEqual(await askForJob(ui, lanes), { command: 'x', cwd: '/w/app' });
    assert.deepEqual(seen.slice(-3).map((s) => [s.step, s.value]), [['afterCondition', 'success'], ['afterJobs', '3'], ['when', 'after']]);
  });

  it('Slurm steps still come first, then the lane and when', async () => {
    const { ui, seen } = withWaits([next('train'), next(''), next('slurm'), next('-p gpu'), next('gpu'), next('turn')]);
    assert.deepEqual(await askForJob(ui, { ...lanes, slurm }), { command: 'train', cwd: '/w/app', runOn: { kind: 'slurm', options: { partition: 'gpu' } }, schedule: { lane: 'gpu' } });
    assert.deepEqual(seen.map((s) => s.step), ['command', 'label', 'where', 'sbatch', 'lane', 'when']);
  });
});

describe('Add Job steps: a problem matcher, only when it applies', () => {
  /** The steps with the matcher step, as the workbench has them. */
  function withMatcher(answers: StepResult[]): { ui: AddJobUi; seen: Seen[] } {
    const made = inOrder(answers);
    const matcher: AddJobUi['matcher'] = (info) => {
      made.seen.push({ step: 'matcher', at: `${info.step}/${info.totalSteps}`, value: info.value, canGoBack: info.canGoBack });
      return Promise.resolve(answers.shift()!);
    };
    return { ui: { ...made.ui, matcher }, seen: made.seen };
  }

  it('a command line that runs tsc: the step offers $tsc, and the job carries it', async () => {
    const { ui, seen } = withMatcher([next('npx tsc -p .'), next(''), next('$tsc')]);
    assert.deepEqual(await askForJob(ui, base), { command: 'npx tsc -p .', cwd: '/w/app', problemMatchers: ['$tsc'] });
    assert.deepEqual(seen.map((s) => [s.step, s.at, s.value]), [['command', '1/2', ''], ['label', '2/3', ''], ['matcher', '3/3', '$tsc']], 'the step appears once the command line asks for it');
  });

  it('any other command line: no matcher step, as quick as before; None chosen: no matcher', async () => {
    const plain = withMatcher([next('python train.py'), next('')]);
    assert.deepEqual(await askForJob(plain.ui, base), { command: 'python train.py', cwd: '/w/app' });
    assert.deepEqual(plain.seen.map((s) => s.step), ['command', 'label']);
    const none = withMatcher([next('make -j8'), next(''), next('')]);
    assert.deepEqual(await askForJob(none.ui, base), { command: 'make -j8', cwd: '/w/app' });
    assert.equal(none.seen.at(-1)?.value, '$gcc', 'make suggests $gcc');
  });

  it('after a job with a matcher the step is offered for any command, none preselected; Escape before it adds none', async () => {
    const { ui, seen } = withMatcher([next('./build.sh'), next(''), next('$eslint-stylish')]);
    assert.deepEqual(await askForJob(ui, { ...base, lastMatcher: '$tsc' }), { command: './build.sh', cwd: '/w/app', problemMatchers: ['$eslint-stylish'] });
    assert.equal(seen.at(-1)?.value, '', 'nothing suggested for ./build.sh');
    const escaped = withMatcher([next('tsc'), escape('')]);
    assert.deepEqual(await askForJob(escaped.ui, base), { command: 'tsc', cwd: '/w/app' }, 'a matcher the person never saw is not added');
  });

  it('suggests the matcher of the tool the command line runs', () => {
    assert.equal(suggestedMatcher('npx tsc --noEmit'), '$tsc');
    assert.equal(suggestedMatcher('node_modules/.bin/tsc'), '$tsc');
    assert.equal(suggestedMatcher('npx eslint src'), '$eslint-stylish');
    assert.equal(suggestedMatcher('eslint -f compact src'), '$eslint-compact');
    assert.equal(suggestedMatcher('go test ./...'), '$go');
    assert.equal(suggestedMatcher('dotnet build'), '$msCompile');
    assert.equal(suggestedMatcher('gcc -o a a.c'), '$gcc');
    assert.equal(suggestedMatcher('python train.py'), undefined);
    assert.equal(suggestedMatcher('echo tscore'), undefined);
  });

  it('a package script that builds or lints gets the step too, with none preselected', async () => {
    const { ui, seen } = withMatcher([next('npm run build'), next(''), next('$tsc')]);
    assert.deepEqual(await askForJob(ui, base), { command: 'npm run build', cwd: '/w/app', problemMatchers: ['$tsc'] });
    assert.equal(seen.at(-1)?.value, '');
    assert.equal(mayUseMatcher('pnpm lint'), true);
    assert.equal(mayUseMatcher('npm start'), false);
  });
});
