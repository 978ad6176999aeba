// VS Code's conventions, read from the manifest: the palette shows only what applies (each toggle's
// other half is hidden by the context key the extension sets; Show in Slurm only with Slurm on), one
// icon means one thing, the default keybindings, the Getting Started walkthrough's files, the
// marketplace icon, and machine-scoped settings (Settings Sync must not carry one machine's
// cluster or shell to another).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface MenuItem { command: string; when?: string }
interface Manifest {
  icon?: string;
  contributes: {
    commands: Array<{ command: string; icon?: string }>;
    menus: Record<string, MenuItem[]>;
    keybindings?: Array<{ command: string; key: string; mac?: string }>;
    walkthroughs?: Array<{ steps: Array<{ id: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }> }>;
    configuration: { properties: Record<string, { scope?: string; default?: unknown }> } | Array<{ properties: Record<string, { scope?: string; default?: unknown }> }>;
  };
}

// Compiled to out/test/unit/: the repository is three folders up.
const repo = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as Manifest;
const palette = (command: string): string | undefined => manifest.contributes.menus.commandPalette?.find((i) => i.command === command)?.when;
const settings = (): Record<string, { scope?: string; default?: unknown }> => {
  const { configuration } = manifest.contributes;
  return Object.assign({}, ...(Array.isArray(configuration) ? configuration : [configuration]).map((c) => c.properties));
};

describe('VS Code conventions in the manifest', () => {
  it('the palette offers only the half of each toggle that applies, from the context keys the Jobs view sets', () => {
    assert.equal(palette('jobQueue.pauseQueue'), '!jobQueue.paused');
    assert.equal(palette('jobQueue.resumeQueue'), 'jobQueue.paused');
    assert.equal(palette('jobQueue.enableAutoRun'), '!jobQueue.autoRun');
    assert.equal(palette('jobQueue.disableAutoRun'), 'jobQueue.autoRun');
    // The keys are set from the engine's state (tree/jobsTree.ts, on every snapshot change).
    const tree = fs.readFileSync(path.join(repo, 'src/vscode/tree/jobsTree.ts'), 'utf8');
    for (const key of ['jobQueue.paused', 'jobQueue.autoRun']) assert.ok(tree.includes(`'setContext', '${key}'`), `${key} is set by the extension`);
  });

  it('Show in Slurm is in the palette only while Slurm is enabled', () => {
    assert.equal(palette('jobQueue.showInSlurm'), 'config.jobQueue.slurm.enabled');
  });

  it('one icon means one thing: no two commands share a codicon', () => {
    const byIcon = new Map<string, string[]>();
    for (const { command, icon } of manifest.contributes.commands) if (icon) byIcon.set(icon, [...(byIcon.get(icon) ?? []), command]);
    const shared = [...byIcon].filter(([, commands]) => commands.length > 1);
    assert.deepEqual(shared, [], `icons used for more than one command: ${JSON.stringify(shared)}`);
  });

  it('Add Job, Send Job and Show Running Job have default keybindings, each its own chord', () => {
    const bindings = manifest.contributes.keybindings ?? [];
    for (const command of ['jobQueue.addJob', 'jobQueue.sendJob', 'jobQueue.showRunningJob']) {
      const binding = bindings.find((b) => b.command === command);
      assert.ok(binding?.key && binding.mac, `${command} has a key (and a mac key)`);
    }
    assert.equal(new Set(bindings.map((b) => b.key)).size, bindings.length, 'no chord is bound twice');
  });

  it('the Getting Started walkthrough has its four steps, their pages, and completion by our commands', () => {
    const [walkthrough] = manifest.contributes.walkthroughs ?? [];
    assert.ok(walkthrough, 'a walkthrough is contributed');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['addJob', 'runIt', 'card', 'jobq']);
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && fs.existsSync(path.join(repo, media)), `${step.id}: ${media} exists`);
      assert.ok(step.completionEvents?.length, `${step.id} completes`);
      for (const event of step.completionEvents ?? []) {
        const command = /^onCommand:(jobQueue\..+)$/.exec(event)?.[1];
        if (command) assert.ok(commands.has(command), `${step.id}: ${command} is contributed`);
      }
    }
  });

  it('the marketplace icon is a 128×128 PNG that the package ships', () => {
    assert.ok(manifest.icon, 'package.json names an icon');
    const png = fs.readFileSync(path.join(repo, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    // .vscodeignore ships media/** (scripts/package-vsix.mjs packages by it).
    assert.match(fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8'), /^!media\/\*\*$/m);
  });

  it('the shell and every Slurm setting are machine settings (not synced to another machine)', () => {
    const machine = Object.entries(settings()).filter(([key]) => key === 'jobQueue.shell' || key.startsWith('jobQueue.slurm.'));
    assert.ok(machine.length > 5);
    for (const [key, value] of machine) assert.match(value.scope ?? '', /^machine(-overridable)?$/, `${key} is scoped to the machine`);
  });

  it('notifications default to what needs attention; successes are opt-in', () => {
    assert.equal(settings()['jobQueue.notifications']?.default, 'failures');
  });
});
