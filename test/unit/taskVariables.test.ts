// Task variables (Add Task as Job): resolved as VS Code's task runner resolves them, or refused by
// name when only VS Code's task runner could (input, command) or something is missing.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { resolveAll, resolveText, unresolvedMessage, type UnresolvedVariable, type VariableContext } from '../../src/vscode/commands/taskVariables';

const folder = { path: '/work/my project', name: 'my project' };
const other = { path: '/work/other', name: 'other' };

function context(overrides: Partial<VariableContext> = {}): VariableContext {
  return {
    folder,
    folders: [folder, other],
    editor: { file: '/work/my project/src/app/main.test.ts', folder, lineNumber: 12, columnNumber: 5, selectedText: 'picked words' },
    cwd: '/start',
    userHome: '/home/me',
    pathSeparator: '/',
    env: { HOME: '/home/me', EMPTY: '' },
    config: (name) => ({ 'editor.tabSize': 4, 'files.eol': '\n', 'python.defaultInterpreterPath': '/usr/bin/python3', 'search.exclude': { a: true } } as Record<string, unknown>)[name],
    paths: path.posix,
    ...overrides,
  };
}

function resolve(text: string, ctx = context()): string | UnresolvedVariable[] {
  const unresolved: UnresolvedVariable[] = [];
  const value = resolveText(text, ctx, unresolved);
  return unresolved.length ? unresolved : value;
}

describe('task variables', () => {
  it('resolves the workspace, file, editor and environment variables', () => {
    const cases: Array<[string, string]> = [
      ['${workspaceFolder}', '/work/my project'],
      ['${workspaceRoot}', '/work/my project'],
      ['${workspaceFolderBasename}', 'my project'],
      ['${workspaceFolder:other}/x', '/work/other/x'],
      ['${file}', '/work/my project/src/app/main.test.ts'],
      ['${fileBasename}', 'main.test.ts'],
      ['${fileBasenameNoExtension}', 'main.test'],
      ['${fileExtname}', '.ts'],
      ['${fileDirname}', '/work/my project/src/app'],
      ['${fileDirnameBasename}', 'app'],
      ['${fileWorkspaceFolder}', '/work/my project'],
      ['${fileWorkspaceFolderBasename}', 'my project'],
      ['${relativeFile}', 'src/app/main.test.ts'],
      ['${relativeFileDirname}', 'src/app'],
      ['${lineNumber}:${columnNumber}', '12:5'],
      ['${selectedText}', 'picked words'],
      ['${cwd}', '/start'],
      ['${userHome}', '/home/me'],
      ['a${pathSeparator}b${/}c', 'a/b/c'],
      ['${env:HOME}', '/home/me'],
      ['[${env:NOT_SET}][${env:EMPTY}]', '[][]'],
      ['${config:editor.tabSize}', '4'],
      ['${config:python.defaultInterpreterPath} -m pytest', '/usr/bin/python3 -m pytest'],
      ['no variables, $HOME and $(pwd) are the shell’s', 'no variables, $HOME and $(pwd) are the shell’s'],
    ];
    for (const [text, expected] of cases) assert.equal(resolve(text), expected, text);
  });

  it('relative file variables of a file at the folder root, and of a task without a folder', () => {
    const atRoot = context({ editor: { file: '/work/my project/Makefile', folder, lineNumber: 1, columnNumber: 1, selectedText: '' } });
    assert.equal(resolve('${relativeFileDirname}', atRoot), '.');
    const noFolder = context({ folder: undefined });
    assert.equal(resolve('${relativeFile}', noFolder), '/work/my project/src/app/main.test.ts', 'absolute without a task folder, as VS Code');
  });

  it('refuses what only VS Code’s task runner can resolve, naming each variable once', () => {
    const refused = resolve('deploy ${input:target} ${command:pickHost} ${input:target}');
    assert.ok(Array.isArray(refused));
    assert.deepEqual(refused.map((u) => u.variable), ['${input:target}', '${command:pickHost}']);
    assert.match(refused[0]!.reason, /asks for input/);
    assert.match(refused[1]!.reason, /runs a command/);
  });

  it('refuses unknown variables, missing settings and folders, and file variables with no editor', () => {
    const cases: Array<[string, RegExp, Partial<VariableContext>?]> = [
      ['${execPath}', /not a variable/],
      ['${defaultBuildTask}', /not a variable/],
      ['${fileBasename:x}', /not a variable/],
      ['${}', /not a variable/],
      ['${config:no.such.setting}', /not set/],
      ['${config:search.exclude}', /not a single value/],
      ['${workspaceFolder:nope}', /no open workspace folder/],
      ['${workspaceFolder}', /needs a workspace folder/, { folder: undefined }],
      ['${file}', /needs an open editor/, { editor: undefined }],
      ['${lineNumber}', /needs an open editor/, { editor: undefined }],
      ['${selectedText}', /needs text selected/, { editor: { file: '/a', folder, lineNumber: 1, columnNumber: 1, selectedText: '' } }],
      ['${file}', /saved file/, { editor: { file: undefined, folder: undefined, lineNumber: 1, columnNumber: 1, selectedText: '' } }],
      ['${fileWorkspaceFolder}', /in a workspace folder/, { editor: { file: '/tmp/x.txt', folder: undefined, lineNumber: 1, columnNumber: 1, selectedText: '' } }],
    ];
    for (const [text, reason, overrides] of cases) {
      const result = resolve(text, context(overrides));
      assert.ok(Array.isArray(result), `${text} is refused`);
      assert.equal(result[0]!.variable, text);
      assert.match(result[0]!.reason, reason, text);
    }
  });

  it('resolves a whole task: command, arguments (quoted ones too), cwd and env values, not env names', () => {
    const task = { command: ['${workspaceFolder}/build.sh', { value: '${fileBasename}', quoting: 1 }], cwd: '${workspaceFolder}/sub', env: { OUT: '${userHome}/out', '${notAName}': 'x' } };
    const resolved = resolveAll(task, context());
    assert.deepEqual(resolved, { ok: true, value: { command: ['/work/my project/build.sh', { value: 'main.test.ts', quoting: 1 }], cwd: '/work/my project/sub', env: { OUT: '/home/me/out', '${notAName}': 'x' } } });
    const refused = resolveAll({ command: ['echo ${input:x}'], env: { A: '${command:y}' } }, context());
    assert.equal(refused.ok, false);
    assert.deepEqual(!refused.ok && refused.unresolved.map((u) => u.variable), ['${input:x}', '${command:y}']);
  });

  it('says in one plain message which variables stop the task, by name', () => {
    const message = unresolvedMessage('deploy', [{ variable: '${input:target}', reason: 'asks for input when the task runs, which only VS Code’s own task runner can do' }]);
    assert.match(message, /^Task “deploy” cannot be queued as a job: \$\{input:target\} asks for input/);
    assert.match(message, /Tasks: Run Task/);
  });
});
