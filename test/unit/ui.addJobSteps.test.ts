// Add Job's steps as a person walks them (a scripted UI, no VS Code): where the job runs is asked
// only with Slurm enabled, the sbatch options only once Slurm is chosen, Back and Escape keep what
// was entered, and the answers carry where the job runs; the last command line and folder are
// offered again. (The real input box is driven in test/integration/addJob.test.ts.)
import * as assert from 'node:assert/strict';
import { askForJob, type AddJobStart, type AddJobUi, type StepResult } from '../../src/vscode/commands/addJobSteps';

type Seen = { step: 'command' | 'label' | 'folder' | 'where' | 'sbatch'; at: string; value: string; canGoBack: boolean };
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
