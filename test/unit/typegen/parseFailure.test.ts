import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pointRange } from '../../../src/core/findings';
import { failureFindings, type FailureContext } from '../../../src/core/typegen/output/parseFailure';
import { locateKey, pointerSegments } from '../../../src/core/typegen/output/locate';

const at = (f: { file: string; range: { start: { line: number; character: number } } }) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;

describe('typegen failure output', () => {
  let root: string;
  let ctx: FailureContext;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-fail-'));
    const files: Record<string, string> = {
      'frontend/src/lib/billing.ts': 'x\n'.repeat(30),
      'backend/openapi.json': JSON.stringify({ openapi: '3.0.2', paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } } } }, null, 2),
      'backend/broken.json': '{"openapi": "3.0.2", "info": {\n',
      'backend/src/shop/schemas.py': 'class A:\n    x: int =\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    ctx = { root, cwd: path.join(root, 'frontend'), fallback: { file: 'backend/src/shop/schemas.py', range: pointRange(0) }, ended: 'exit code 1', document: { abs: path.join(root, 'backend/openapi.json'), rel: 'backend/openapi.json' } };
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reads tsc's file(line,col) and its pretty file:line:col forms, relative to the command's folder", () => {
    const out = [
      "src/lib/billing.ts(15,30): error TS2339: Property 'total_cents' does not exist on type '{ id: number; }'.",
      "src/lib/billing.ts:23:18 - error TS2339: Property 'total_cents' does not exist.",
      '',
      '23   return invoice.total_cents === 0',
      'Found 2 errors in the same file, starting at: src/lib/billing.ts:15',
    ].join('\n');
    const f = failureFindings(out, ctx);
    assert.deepEqual(f.map(at), ['frontend/src/lib/billing.ts:15:30', 'frontend/src/lib/billing.ts:23:18']);
    assert.match(f[0].message, /^Type generation failed: TS2339: Property 'total_cents' does not exist/);
    assert.ok(f.every((x) => x.rule === 'typegen/failed' && x.severity === 'error'));
  });

  it("puts openapi-typescript's unresolved $ref at the pointer's place in the document", () => {
    const out = ' ✘  Can\'t resolve $ref at #/paths/~1a/get/responses/200/content/application~1json/schema\nfile:///x/node_modules/openapi-typescript/dist/lib/redoc.mjs:74\n      throw new Error(errorMessage);\n    at _processProblems (file:///x/redoc.mjs:74:13)\n\nNode.js v20.20.2\n';
    const f = failureFindings(out, ctx);
    assert.equal(f.length, 1);
    const text = fs.readFileSync(path.join(root, 'backend/openapi.json'), 'utf8');
    const expected = text.split('\n').findIndex((l) => l.includes('"schema"'));
    assert.equal(f[0].file, 'backend/openapi.json');
    assert.equal(f[0].range.start.line, expected);
    assert.match(f[0].message, /Can't resolve \$ref/);
  });

  it("reads the YAML parser's position in a broken document (real openapi-typescript output)", () => {
    const doc = path.join(root, 'backend/broken.json');
    const out = `/node_modules/@redocly/openapi-core/lib/resolve.js:131\n            throw new YamlParseError(e, source);\n\nYamlParseError: unexpected end of the stream within a flow collection in "${doc}" (2:1)\n    at BaseResolver.parseDocument (/x/resolve.js:131:19)\n`;
    const f = failureFindings(out, { ...ctx, document: { abs: doc, rel: 'backend/broken.json' } });
    assert.deepEqual(f.map(at), ['backend/broken.json:2:1']);
    assert.match(f[0].message, /unexpected end of the stream/);
  });

  it('puts a Python traceback at the innermost workspace frame, with the caret column of a SyntaxError', () => {
    const out = [
      'Traceback (most recent call last):',
      '  File "<string>", line 4, in <module>',
      '  File "/usr/lib/python3.11/importlib/__init__.py", line 126, in import_module',
      '    return _bootstrap._gcd_import(name[level:], package, level)',
      `  File "${path.join(root, 'backend/src/shop/schemas.py')}", line 2`,
      '    x: int =',
      '            ^',
      'SyntaxError: invalid syntax',
    ].join('\n');
    const f = failureFindings(out, { ...ctx, cwd: path.join(root, 'backend/src') });
    assert.deepEqual(f.map(at), ['backend/src/shop/schemas.py:2:9']);
    assert.equal(f[0].message, 'Type generation failed: SyntaxError: invalid syntax');
  });

  it('an unparseable failure gives one finding on the trigger file with the last lines, without the package manager noise', () => {
    const out = [
      '> generate:types',
      '> openapi-typescript ../backend/openapi.json -o src/api.ts',
      'file:///x/node_modules/openapi-typescript/dist/lib/redoc.mjs:95',
      '      throw new Error("Unsupported Swagger version: 2.x. Use OpenAPI 3.x instead.");',
      'Error: Unsupported Swagger version: 2.x. Use OpenAPI 3.x instead.',
      '    at validateAndBundle (file:///x/redoc.mjs:95:13)',
      'Node.js v20.20.2',
      'npm error Lifecycle script `generate:types` failed with error:',
      'npm error code 1',
    ].join('\n');
    const f = failureFindings(out, ctx);
    assert.equal(f.length, 1);
    assert.equal(f[0].file, 'backend/src/shop/schemas.py');
    assert.match(f[0].message, /^Type generation failed \(exit code 1\): Error: Unsupported Swagger version/);
    assert.doesNotMatch(f[0].message, /npm error|Node\.js v20|at validateAndBundle/);
  });

  it('ignores positions outside the workspace and in node_modules', () => {
    const out = '/usr/lib/node_modules/x/index.js:10:5 - error boom\nnode_modules/openapi-typescript/dist/index.js:3:1: fail\n';
    const f = failureFindings(out, ctx);
    assert.equal(f.length, 1);
    assert.equal(f[0].file, 'backend/src/shop/schemas.py');
  });

  it('locates keys in YAML and JSON, and decodes JSON pointers', () => {
    assert.deepEqual(pointerSegments('#/paths/~1api~1v1/get'), ['paths', '/api/v1', 'get']);
    assert.deepEqual(locateKey('a: 1\ntypegen:\n  command: x\n', ['typegen', 'command']), { line: 2, character: 2 });
    assert.deepEqual(locateKey('{\n  "scripts": {\n    "gen": "x"\n  }\n}', ['scripts', 'gen', 'deeper']), { line: 2, character: 4 });
    assert.equal(locateKey('', ['x']), undefined);
  });
});
