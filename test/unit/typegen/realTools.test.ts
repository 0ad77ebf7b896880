import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkTypes, generateTypes, resolvePlan, TypegenSession, type TypegenPlan } from '../../../src/core/typegen';
import { declarationModel } from '../../../src/core/typegen/contract';
import { exportOpenApi } from '../../../src/core/typegen/pythonApp';
import { Workspace } from '../../../src/core/workspace/workspace';

const REPO = path.resolve(__dirname, '../../../..');
const SAMPLE = path.join(REPO, 'test/fixtures/sample');
const OPENAPI_TS = path.join(REPO, 'node_modules/.bin/openapi-typescript');
const DEBIAN_PYTHON = '/usr/bin/python3';
const SCHEMAS = 'backend/src/acme/platform/billing/schemas.py';
const OUTPUT = 'frontend/src/shared/types/api.ts';

/** A temporary copy of the sample, with the repository's node_modules where the frontend's would be. */
function copySample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-typegen-sample-'));
  fs.cpSync(SAMPLE, dir, { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'frontend/node_modules'), 'dir');
  return dir;
}

function edit(root: string, rel: string, from: string, to: string): void {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${rel} contains ${JSON.stringify(from)}`);
  fs.writeFileSync(file, text.replace(from, to));
}

const read = (root: string, rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const at = (f: { file: string; range: { start: { line: number; character: number } } }) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;

describe('typegen with the real tools', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  before(() => {
    process.env.PYTHONDONTWRITEBYTECODE = '1';
  });
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const sample = () => {
    const d = copySample();
    dirs.push(d);
    return d;
  };

  it('the real openapi-typescript turns the sample openapi.json into the committed api.ts', async () => {
    const root = sample();
    const ws = await Workspace.open(root, { noGit: true });
    const plan: TypegenPlan = {
      detectedFrom: 'config',
      command: { kind: 'argv', argv: [OPENAPI_TS, '{openapi}', '-o', '{output}'] },
      cwd: 'frontend',
      output: 'frontend/src/generated.ts',
      triggers: ['backend/openapi.json'],
      timeoutMs: 60_000,
      debounceMs: 0,
      onSaveDuringRun: 'restart',
      openapi: { kind: 'file', file: 'backend/openapi.json' },
    };
    const r = await generateTypes({ ws, plan });
    assert.equal(r.ok, true, r.log.join('\n'));
    assert.ok(r.log.some((l) => l.includes('openapi-typescript 7.13.0')), 'the log has the tool output');
    const generated = read(root, 'frontend/src/generated.ts');
    assert.equal(generated, read(SAMPLE, OUTPUT));
    const invoice = declarationModel(generated).get(['components', 'schemas', 'Invoice', 'total_cents'].join('\u0000'));
    assert.deepEqual([invoice?.type, invoice?.optional], ['number', false]);
    assert.deepEqual(r.findings, []);
  });

  it("exports the sample app's OpenAPI document with Debian's python3-fastapi, without a server", async () => {
    const root = sample();
    const outFile = path.join(root, 'exported.json');
    const o = await exportOpenApi({ app: 'acme.platform.main:app', root, sourceRoot: 'backend/src', interpreter: DEBIAN_PYTHON, outFile, timeoutMs: 60_000 });
    assert.equal(o.code, 0, o.output);
    const exported = fs.readFileSync(outFile, 'utf8');
    assert.deepEqual(JSON.parse(exported), JSON.parse(read(SAMPLE, 'backend/openapi.json')));
    assert.equal(exported, read(SAMPLE, 'backend/openapi.json'), 'byte for byte, so the committed file does not churn');
    const pycache = fs.readdirSync(path.join(root, 'backend/src/acme/platform')).includes('__pycache__');
    assert.equal(pycache, false, 'no __pycache__ written into the tree');
  });

  it('on the sample: a clean run changes nothing; removing Invoice.total_cents breaks the four frontend uses', async () => {
    const root = sample();
    const ws = await Workspace.open(root, { noGit: true });
    const { plan } = resolvePlan(ws);
    assert.ok(plan);
    const session = new TypegenSession();

    const clean = await session.run({ ws, plan, python: DEBIAN_PYTHON });
    assert.equal(clean.ok, true, clean.log.join('\n'));
    assert.deepEqual(clean.findings, []);
    assert.equal(read(root, OUTPUT), read(SAMPLE, OUTPUT));
    assert.equal(read(root, 'backend/openapi.json'), read(SAMPLE, 'backend/openapi.json'));

    edit(root, SCHEMAS, '    tax_cents: int\n    total_cents: int\n', '    tax_cents: int\n');
    const broken = await session.run({ ws, plan, python: DEBIAN_PYTHON, triggers: [SCHEMAS] });
    assert.equal(broken.ok, true, broken.log.join('\n'));
    assert.deepEqual(broken.findings.map(at), [
      'frontend/src/app/api/invoices/[id]/route.ts:20:25',
      'frontend/src/lib/billing.ts:15:30',
      'frontend/src/lib/billing.ts:23:18',
      'frontend/src/lib/billing.ts:23:70',
    ]);
    assert.ok(broken.findings.every((f) => f.rule === 'typegen/contract-break'));
    assert.equal(broken.findings[1].message, `\`Invoice.total_cents\` was removed from the API types by the change to ${SCHEMAS}`);
    assert.doesNotMatch(read(root, OUTPUT).split('Invoice: {')[1].split('};')[0], /\btotal_cents/);
    assert.doesNotMatch(read(root, 'backend/openapi.json'), /"Total Cents"/);
    assert.ok(broken.log.some((l) => /contract: 1 breaking change \(`Invoice.total_cents` removed\); 4 use sites in 2 files/.test(l)));

    // Regenerating again keeps the breaks: the frontend was not fixed.
    const again = await session.run({ ws, plan, python: DEBIAN_PYTHON, triggers: ['backend/src/acme/platform/booking/schemas.py'] });
    assert.equal(again.findings.length, 4);
    assert.match(again.findings[0].message, /by the changes to backend\/src\/acme\/platform\/billing\/schemas\.py and backend\/src\/acme\/platform\/booking\/schemas\.py$/);
  });

  it('a Python error while exporting is a typegen/failed finding at the offending line', async () => {
    const root = sample();
    const ws = await Workspace.open(root, { noGit: true });
    const { plan } = resolvePlan(ws);
    assert.ok(plan);
    edit(root, SCHEMAS, '    tax_cents: int\n    total_cents: int\n', '    tax_cents: int\n    total_cents: int =\n');
    const r = await generateTypes({ ws, plan, python: DEBIAN_PYTHON, triggers: [SCHEMAS] });
    assert.equal(r.ok, false);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0].rule, 'typegen/failed');
    assert.equal(r.findings[0].file, SCHEMAS);
    const line = read(root, SCHEMAS).split('\n').findIndex((l) => l.includes('total_cents: int ='));
    assert.equal(r.findings[0].range.start.line, line);
    assert.match(r.findings[0].message, /SyntaxError/);
    assert.equal(read(root, OUTPUT), read(SAMPLE, OUTPUT), 'the generated file is left alone');
  });

  it('--check: passes on the sample, fails after a schema change, and leaves the working tree as it was', async () => {
    const root = sample();
    const ws = await Workspace.open(root, { noGit: true });
    const { plan } = resolvePlan(ws);
    assert.ok(plan);
    const fresh = await checkTypes(ws, plan, { python: DEBIAN_PYTHON });
    assert.equal(fresh.ok, true, fresh.log.join('\n'));
    assert.deepEqual(fresh.findings, []);

    edit(root, SCHEMAS, '    tax_cents: int\n    total_cents: int\n', '    tax_cents: int\n');
    const stale = await checkTypes(ws, plan, { python: DEBIAN_PYTHON });
    assert.equal(stale.ok, false);
    const byRule = (rule: string) => stale.findings.filter((f) => f.rule === rule).map((f) => f.file);
    assert.deepEqual(byRule('typegen/stale').sort(), ['backend/openapi.json', OUTPUT]);
    assert.equal(byRule('typegen/contract-break').length, 4);
    assert.equal(read(root, OUTPUT), read(SAMPLE, OUTPUT), 'api.ts restored');
    assert.equal(read(root, 'backend/openapi.json'), read(SAMPLE, 'backend/openapi.json'), 'openapi.json restored');
  });
});
