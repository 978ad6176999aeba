// The harness itself: the suite runs inside a real extension host with the test workspace open.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Extension host', () => {
  it('runs inside VS Code with the test workspace open', () => {
    assert.ok(vscode.version, 'vscode API available');
    const expected = process.env.JOB_QUEUE_TEST_WORKSPACE;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (expected) assert.equal(folder, expected);
    else assert.ok(folder, 'a workspace folder is open');
  });
});
