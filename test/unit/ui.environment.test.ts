// Jobs added in the UI get jobQueue.envFile and jobQueue.env (resolved like launch.json's, a bad one
// refused by name); the approval dialog and the tooltip list how a job's environment differs from
// the window's — what approving it means it runs with.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withDefaults } from '../../src/core/environment';
import { environmentSummary } from '../../src/vscode/environmentText';
import { settingsEnvironment } from '../../src/vscode/settingsEnvironment';
import type { VariableContext } from '../../src/vscode/commands/taskVariables';
import { tempDir } from './helpers';

function context(folderPath: string): VariableContext {
  const folder = { path: folderPath, name: path.basename(folderPath) };
  return { folder, folders: [folder], editor: undefined, cwd: '/', userHome: '/home/me', pathSeparator: '/', env: { TOKEN_FROM_WINDOW: 's3cret' }, config: () => undefined };
}

describe('UI jobs: jobQueue.env and jobQueue.envFile', () => {
  it('reads the dotenv file (relative to the folder), resolves variables, and lets env win over the file', async () => {
    const folder = tempDir('jq-envfile-');
    fs.writeFileSync(path.join(folder, '.env'), '# comment\nFROM_FILE=file\nBOTH=file\nQUOTED="a b # not a comment"\nexport EXPORTED=yes\nMULTI="line1\nline2"\n');
    const result = await settingsEnvironment({ env: { BOTH: 'settings', WHERE: '${workspaceFolder}/out', TOKEN: '${env:TOKEN_FROM_WINDOW}' }, envFile: '.env' }, context(folder));
    assert.deepEqual(result, {
      kind: 'vars',
      vars: { FROM_FILE: 'file', BOTH: 'settings', QUOTED: 'a b # not a comment', EXPORTED: 'yes', MULTI: 'line1\nline2', WHERE: `${folder}/out`, TOKEN: 's3cret' },
    });
    const absolute = await settingsEnvironment({ env: {}, envFile: '${workspaceFolder}/.env' }, context(folder));
    assert.equal(absolute.kind === 'vars' && absolute.vars.FROM_FILE, 'file');
    assert.deepEqual(await settingsEnvironment({ env: undefined, envFile: '' }, context(folder)), { kind: 'vars', vars: {} });
  });

  it('refuses, naming the setting, what cannot be used', async () => {
    const folder = tempDir('jq-envfile-');
    const refusal = async (input: { env: unknown; envFile: unknown }) => {
      const result = await settingsEnvironment(input, context(folder));
      return result.kind === 'refused' ? result.message : `not refused: ${JSON.stringify(result)}`;
    };
    assert.match(await refusal({ env: {}, envFile: 'missing.env' }), new RegExp(`jobQueue.envFile: there is no file ${folder}/missing.env`));
    assert.match(await refusal({ env: ['A=1'], envFile: '' }), /jobQueue.env must be an object of variables/);
    assert.match(await refusal({ env: { PORT: 8080, OK: 'x' }, envFile: '' }), /jobQueue.env: the value of PORT must be text/);
    assert.match(await refusal({ env: { A: '${input:x}' }, envFile: '' }), /jobQueue.env: \$\{input:x\}/);
    assert.match(await refusal({ env: { A: 'a\0b' }, envFile: '' }), /the value of A contains a NUL byte/);
  });

  it('settings go under a job\'s own variables; a captured environment is kept whole', () => {
    assert.deepEqual(withDefaults(undefined, { A: 's' }), { kind: 'overlay', vars: { A: 's' } });
    assert.deepEqual(withDefaults({ kind: 'overlay', vars: { A: 'job' } }, { A: 's', B: 's' }), { kind: 'overlay', vars: { A: 'job', B: 's' } });
    const captured = { kind: 'captured' as const, vars: { A: 'terminal' } };
    assert.equal(withDefaults(captured, { B: 's' }), captured);
    assert.equal(withDefaults(undefined, {}), undefined);
  });
});

describe('UI: a job\'s environment as it differs from the window\'s', () => {
  const window = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/me', LANG: 'en_US.UTF-8', OLD: 'x', VSCODE_IPC_HOOK_CLI: '/tmp/a.sock', ELECTRON_RUN_AS_NODE: '1' };

  it('a terminal\'s: added, removed and changed variables, a PATH by the folders it gains', () => {
    const summary = environmentSummary({
      kind: 'captured',
      vars: {
        PATH: '/home/me/venv/bin:/usr/local/bin:/usr/bin:/bin', HOME: '/home/me', LANG: 'C.UTF-8', VIRTUAL_ENV: '/home/me/venv', CONDA_PREFIX: '/opt/conda/envs/ml',
        TERM: 'xterm-256color', TERM_PROGRAM: 'vscode', PWD: '/work',
      },
    }, window);
    assert.equal(summary.headline, 'The terminal\'s it was queued from (recorded by jobq add); 8 variables differ from the window\'s');
    assert.deepEqual(summary.lines, [
      '+ CONDA_PREFIX=/opt/conda/envs/ml',
      '~ LANG=C.UTF-8 (the window has en_US.UTF-8)',
      '− OLD (not set; the window has x)',
      '~ PATH: adds /home/me/venv/bin',
      '+ VIRTUAL_ENV=/home/me/venv',
      'and what a terminal sets itself: PWD, TERM, TERM_PROGRAM',
    ], 'VS Code\'s own variables (VSCODE_*, ELECTRON_*) are not differences a user approves');
  });

  it('an overlay: only what it changes; long values shortened; many changes cut to a dozen lines', () => {
    const long = `/very/long/${'x'.repeat(200)}/end`;
    const summary = environmentSummary({ kind: 'overlay', vars: { HOME: '/home/me', TOKEN: long, PATH: '/bin:/usr/bin' } }, window);
    assert.equal(summary.headline, 'The window\'s; 2 variables differ from the window\'s');
    assert.deepEqual(summary.lines, ['~ PATH: drops /usr/local/bin', `+ TOKEN=${long.slice(0, 52)}…${long.slice(-19)}`]);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`V${String(i).padStart(2, '0')}`, 'v']));
    const cut = environmentSummary({ kind: 'overlay', vars: many }, window);
    assert.equal(cut.lines.length, 13);
    assert.equal(cut.lines.at(-1), '… and 8 more');
    assert.deepEqual(environmentSummary(undefined, window), { headline: 'The window\'s', lines: [] });
    assert.equal(environmentSummary({ kind: 'captured', vars: { PATH: window.PATH, HOME: '/home/me', LANG: 'en_US.UTF-8', OLD: 'x' } }, window).headline,
      'The terminal\'s it was queued from (recorded by jobq add), the same as the window\'s');
  });
});
