// The card's output (src/vscode/runningJobCard/cardOutput.ts, outputLinks.ts): `file:line[:col]`
// references that name an existing file become links the host records; anything else stays text,
// and the webview can only name a link by the id it was given, for the run it was given on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CardOutput, filesOnDisk, splitAtLinks } from '../../src/vscode/runningJobCard/cardOutput';
import { LinkTable, findReferences, resolveReference } from '../../src/vscode/runningJobCard/outputLinks';
import { tempDir } from './helpers';

describe('card output: file:line references', () => {
  it('finds path:line and path:line:col, relative or absolute, and nothing that is not one', () => {
    const refs = (text: string) => findReferences(text).map((r) => [text.slice(r.start, r.end), r.file, r.line, r.column]);
    assert.deepEqual(refs('src/x.ts:3:7 error: boom'), [['src/x.ts:3:7', 'src/x.ts', 3, 7]]);
    assert.deepEqual(refs('  at f (/home/u/app/main.js:10:5)'), [['/home/u/app/main.js:10:5', '/home/u/app/main.js', 10, 5]]);
    assert.deepEqual(refs('./a.py:12: warning; b.c:1'), [['./a.py:12', './a.py', 12, undefined], ['b.c:1', 'b.c', 1, undefined]]);
    // A time, a URL's port, a ratio and line 0 are not references (v1.2:3 is a candidate; it resolves to no file).
    assert.deepEqual(refs('at 10:30:00, see http://host:8080/x, 3/10, main.ts:0 and v1.2:3'), [['v1.2:3', 'v1.2', 3, undefined]]);
  });

  it('resolves against the job folder first, then the workspace folders; a missing file stays unresolved', async () => {
    const job = tempDir();
    const workspace = tempDir();
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'x.ts'), 'x');
    fs.writeFileSync(path.join(job, 'both.ts'), 'job');
    fs.writeFileSync(path.join(workspace, 'both.ts'), 'workspace');
    const isFile = filesOnDisk(() => []).isFile;
    assert.equal(await resolveReference('src/x.ts', [job, workspace], isFile), path.join(workspace, 'src', 'x.ts'));
    assert.equal(await resolveReference('both.ts', [job, workspace], isFile), path.join(job, 'both.ts'));
    assert.equal(await resolveReference('nope.ts', [job, workspace], isFile), undefined);
    assert.equal(await resolveReference('src', [workspace], isFile), undefined, 'a folder is not a file');
  });

  it('makes links of resolved references only, keeping the colours around and inside them', async () => {
    const workspace = tempDir();
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'x.ts'), 'a\nb\nc\n');
    const links = new LinkTable();
    const output = new CardOutput(links, filesOnDisk(() => [workspace]));
    const run = { id: '7', attempt: 1, spec: {} };
    const [line, other] = await output.lines(run, ['\x1b[31msrc/x.ts:3:7\x1b[0m error: boom', 'missing.ts:1:1 and src/x.ts:2']);
    assert.deepEqual(line, [{ text: 'src/x.ts:3:7', style: { fg: { kind: 'palette', index: 1 } }, link: 0 }, { text: ' error: boom' }]);
    assert.deepEqual(links.get(0, '7', 1)?.target, { file: path.join(workspace, 'src', 'x.ts'), line: 3, column: 7 });
    assert.deepEqual(other, [{ text: 'missing.ts:1:1 and ' }, { text: 'src/x.ts:2', link: 1 }]);
    // The same output again: the same ids (a link under the pointer stays the same link).
    const [again] = await output.lines(run, ['\x1b[31msrc/x.ts:3:7\x1b[0m error: boom']);
    assert.equal(again![0]!.link, 0);
  });

  it('the job folder may be relative to the first workspace folder', () => {
    const output = new CardOutput(new LinkTable(), { folders: () => ['/w/a', '/w/b'], isFile: async () => false });
    assert.deepEqual(output.bases({ id: '1', attempt: 1, spec: { cwd: 'sub' } }), ['/w/a/sub', '/w/a', '/w/b']);
    assert.deepEqual(output.bases({ id: '1', attempt: 1, spec: { cwd: '/elsewhere' } }), ['/elsewhere', '/w/a', '/w/b']);
    assert.deepEqual(output.bases({ id: '1', attempt: 1, spec: {} }), ['/w/a', '/w/b']);
  });

  it('a link id names that run only, and the oldest ids are forgotten, not reused', () => {
    const links = new LinkTable(2);
    const target = (line: number) => ({ file: '/f.ts', line });
    const a = links.idFor({ jobId: '1', attempt: 1, target: target(1) });
    assert.equal(links.get(a, '1', 2), undefined, 'another run of the same job');
    assert.equal(links.get(a, '2', 1), undefined, 'another job');
    const b = links.idFor({ jobId: '1', attempt: 1, target: target(2) });
    const c = links.idFor({ jobId: '1', attempt: 1, target: target(3) });
    assert.deepEqual([a, b, c], [0, 1, 2]);
    assert.equal(links.get(a, '1', 1), undefined, 'forgotten');
    assert.equal(links.get(c, '1', 1)?.target.line, 3);
  });

  it('cuts runs where links start and end', () => {
    const line = [{ text: 'at a.ts:1', style: { bold: true } }, { text: ':2 x' }];
    assert.deepEqual(splitAtLinks(line, [{ start: 3, end: 11, link: 9 }]), [
      { text: 'at ', style: { bold: true } }, { text: 'a.ts:1', style: { bold: true }, link: 9 }, { text: ':2', link: 9 }, { text: ' x' },
    ]);
  });
});
