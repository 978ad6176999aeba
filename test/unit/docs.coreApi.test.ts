// docs/core-api.md is the contract other code (the VS Code layer, the API for other extensions) is
// written against: it must name everything src/core/index.ts exports, every public member of
// JobService, every JobError code, every wait reason and every event. Read with the TypeScript
// compiler's own parser, so a new export, method, code or kind fails this test until it is documented.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'core-api.md'), 'utf8');

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

function undocumented(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((name) => !new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(DOC)).sort();
}

/** The names a module exports through `export { … }` and `export type { … }` lists. */
function exportedNames(file: string): string[] {
  const names: string[] = [];
  for (const statement of parse(file).statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    }
  }
  return names;
}

/** Public methods, getters and properties declared in a class. */
function publicMembers(file: string, className: string): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.name?.text === className) {
      for (const member of node.members) {
        if (ts.isConstructorDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) continue;
        const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
        if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        names.push(member.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return names;
}

/** The string literals of one property (`kind`, `type`) across a type alias's union, or the alias's own literals. */
function literals(file: string, typeName: string, property?: string): string[] {
  const names: string[] = [];
  const collect = (node: ts.Node): void => {
    if (property && ts.isPropertySignature(node) && ts.isIdentifier(node.name) && node.name.text === property && node.type && ts.isLiteralTypeNode(node.type) && ts.isStringLiteral(node.type.literal)) names.push(node.type.literal.text);
    if (!property && ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) names.push(node.literal.text);
    ts.forEachChild(node, collect);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === typeName) collect(node.type);
    else ts.forEachChild(node, visit);
  };
  visit(parse(file));
  assert.ok(names.length > 0, `found the literals of ${typeName} in ${file}`);
  return names;
}

describe('docs/core-api.md covers the core API', () => {
  it('names every export of src/core/index.ts', () => {
    const names = exportedNames('src/core/index.ts');
    assert.ok(names.length > 40, 'read the exports');
    assert.deepEqual(undocumented(names), []);
  });

  it('names every public member of JobService (its own and those it inherits from QueueReader)', () => {
    const members = [...publicMembers('src/core/jobService.ts', 'JobService'), ...publicMembers('src/core/engine/queueReader.ts', 'QueueReader')];
    assert.ok(members.includes('getCounts') && members.includes('role'), 'read the members');
    assert.deepEqual(undocumented(members), []);
  });

  it('names every JobError code, wait reason and event', () => {
    assert.deepEqual(undocumented(literals('src/core/errors.ts', 'JobErrorCode')), []);
    assert.deepEqual(undocumented(literals('src/core/engine/scheduling.ts', 'WaitReason', 'kind')), []);
    assert.deepEqual(undocumented(literals('src/core/events.ts', 'JobServiceEvent', 'type')), []);
  });
});
