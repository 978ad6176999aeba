// Add Job's steps as a person walks them (a scripted UI, no VS Code): where the job runs is asked
// only with Slurm enabled, the sbatch options only once Slurm is chosen, Back and Escape keep what
// was entered, and the answers carry where the job runs.
import * as assert from 'node:assert/strict';
import { askForJob, type AddJobStart, type AddJobUi, type StepResult } from '../../src/vscode/commands/addJobSteps';

type StepName = 'commandLine' | 'label' | 'folder' | 'where' | 'sbatchFlags';

/** Answers each step from a script, and records which steps were shown with what value. */
function scripted(answers: Array<[StepName, StepResult]>): { ui: AddJobUi; shown: Array<[StepName, string, number]> } {
  const shown: Array<[StepName, string, number]> = [];
  const next = (name: StepName, value: string, totalSteps: number): Promise<StepResult> => {
    shown.push([name, value, totalSteps]);
    const answer = answers.shift();
    assert.ok(answer, `no answer scripted for step ${name}`);
    assert.equal(answer[0], name, `step shown: ${name}, scripted: ${answer[0]}`);
    return Promise.resolve(answer[1]);
  };
  return {
    shown,
    ui: {
      commandLine: (info) => next('commandLine', info.value, info.totalSteps),
      label: (info) => next('label', info.value, info.totalSteps),
      folder: (info) => next('folder', info.value, info.totalSteps),
      where: (info) => next('where', info.value, info.totalSteps),
      sbatchFlags: (info) => next('sbatchFlags', info.value, info.totalSteps),
    },
  };
}

const base: AddJobStart = { folders: [{ name: 'app', path: '/w/app' }], home: '/home/u' };
const slurm = { defaults: '--partition=debug', lastWhere: 'local' as const, lastFlags: '' };

describe('Add Job steps', () => {
  it('without Slurm: command and label only, and the job runs here', async () => {
    const { ui, shown } = scripted([['commandLine', { kind: 'next', value: 'make' }], ['label', { kind: 'next', value: '' }]]);
    assert.deepEqual(await askForJob(ui, base), { command: 'make', cwd: '/w/app' });
    assert.deepEqual(shown.map(([name]) => name), ['commandLine', 'label']);
  });

  it('with Slurm enabled: "where" is asked; this machine ends the steps there', async () => {
    const { ui, shown } = scripted([
      ['commandLine', { kind: 'next', value: 'make' }], ['label', { kind: 'next', value: 'Build' }], ['where', { kind: 'next', value: 'local' }],
    ]);
    assert.deepEqual(await askForJob(ui, { ...base, slurm }), { command: 'make', label: 'Build', cwd: '/w/app' });
    assert.deepEqual(shown.map(([name, , total]) => [name, total]), [['commandLine', 3], ['label', 3], ['where', 3]]);
  });

  it('Slurm chosen: its options step follows, and the job carries runOn with the typed options', async () => {
    const { ui, shown } = scripted([
      ['commandLine', { kind: 'next', value: 'python train.py' }], ['label', { kind: 'next', value: '' }],
      ['where', { kind: 'next', value: 'slurm' }], ['sbatchFlags', { kind: 'next', value: '-p gpu --gres=gpu:1' }],
    ]);
    assert.deepEqual(await askForJob(ui, { ...base, slurm }), {
      command: 'python train.py', cwd: '/w/app', runOn: { kind: 'slurm', options: { partition: 'gpu', gres: 'gpu:1' } },
    });
    assert.deepEqual(shown.at(-1), ['sbatchFlags', '', 4], 'the options step appears once Slurm is chosen (4 steps now)');
  });

  it('Back from the options keeps the choice; Escape there queues on Slurm with what was typed; empty options mean the defaults', async () => {
    const { ui, shown } = scripted([
      ['commandLine', { kind: 'next', value: 'train' }], ['label', { kind: 'next', value: '' }],
      ['where', { kind: 'next', value: 'slurm' }], ['sbatchFlags', { kind: 'back' }],
      ['where', { kind: 'next', value: 'slurm' }], ['sbatchFlags', { kind: 'escape', value: '' }],
    ]);
    assert.deepEqual(await askForJob(ui, { ...base, slurm: { ...slurm, lastWhere: 'slurm', lastFlags: '-p long' } }), { command: 'train', cwd: '/w/app', runOn: { kind: 'slurm' } });
    assert.deepEqual(shown.filter(([name]) => name === 'where').map(([, value]) => value), ['slurm', 'slurm'], 'the last choice is offered first, and kept on Back');
    assert.equal(shown.find(([name]) => name === 'sbatchFlags')?.[1], '-p long', 'the last options are offered again');
  });
});
