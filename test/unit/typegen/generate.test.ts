import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTypes, resolvePlan, type TypegenPlan } from '../../../src/core/typegen';
import { Workspace } from '../../../src/core/workspace/workspace';
import { FakeProcesses, settle, until } from './fakes';

const OLD = 'export interface components { schemas: { Invoice: { id: number; total_cents: number } } }\n';
const NEW = 'export interface components { schemas: { Invoice: { id: number } } }\n';

describe('typegen run (fake processes)', () => {
  let root: string;
  let ws: Workspace;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-gen-'));
    const files: Record<string, string> = {
      '.codenav.yaml': 'typegen:\n  command: [openapi-typescript, "{openapi}", -o, "{output}"]\n  cwd: web\n  output: web/src/api.ts\n  timeoutMs: 5000\n  openapi:\n    file: api/openapi.json\n',
      'api/openapi.json': '{"openapi": "3.0.2"}',
      'api/models.py': 'class Invoice: ...\n',
      'web/src/api.ts': OLD,
      'web/src/use.ts': 'import type { components } from "./api";\nexport const total = (i: components["schemas"]["Invoice"]) => i.total_cents;\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    ws = await Workspace.open(root, { noGit: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const plan = (): TypegenPlan => {
    const p = resolvePlan(ws).plan;
    assert.ok(p);
    return p;
  };

  it('fills {openapi} and {output} with absolute paths and runs in cwd; a success compares the declarations', async () => {
    const procs = new FakeProcesses();
    const run = generateTypes({ ws, plan: plan(), deps: procs.deps, triggers: ['api/models.py'] });
    await until(() => procs.spawned.length === 1, 5000, 'the generator to start');
    const p = procs.last();
    assert.deepEqual(p.args, [path.join(root, 'api/openapi.json'), '-o', path.join(root, 'web/src/api.ts')]);
    assert.equal(p.options.cwd, path.join(root, 'web'));
    fs.writeFileSync(path.join(root, 'web/src/api.ts'), NEW);
    p.exit(0);
    const r = await run;
    assert.equal(r.ok, true);
    assert.equal(r.previous, OLD);
    assert.equal(r.generated, NEW);
    assert.deepEqual(
      r.findings.map((f) => `${f.rule} ${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
      ['typegen/contract-break web/src/use.ts:2:65 `Invoice.total_cents` was removed from the API types by the change to api/models.py'],
    );
  });

  it('a timeout is a typegen/failed finding on the saved file', async () => {
    const procs = new FakeProcesses();
    const run = generateTypes({ ws, plan: plan(), deps: procs.deps, triggers: ['api/models.py'] });
    await until(() => procs.spawned.length === 1, 5000, 'the generator to start');
    procs.clock.advance(5000);
    const r = await run;
    assert.equal(r.ok, false);
    assert.equal(r.timedOut, true);
    assert.deepEqual(procs.killedTrees, [procs.last().pid]);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0].file, 'api/models.py');
    assert.match(r.findings[0].message, /^Type generation timed out after 5 s and was stopped/);
  });

  it('a failure without a location is reported at the config key when no file was saved', async () => {
    const procs = new FakeProcesses();
    const run = generateTypes({ ws, plan: plan(), deps: procs.deps });
    await until(() => procs.spawned.length === 1, 5000, 'the generator to start');
    procs.last().write('Error: Unsupported Swagger version: 2.x. Use OpenAPI 3.x instead.\n', 'stderr');
    await settle();
    procs.last().exit(1);
    const r = await run;
    assert.equal(r.ok, false);
    assert.deepEqual([r.findings[0].file, r.findings[0].range.start.line], ['.codenav.yaml', 1]);
    assert.match(r.findings[0].message, /exit code 1.*Unsupported Swagger version/);
    assert.equal(fs.readFileSync(path.join(root, 'web/src/api.ts'), 'utf8'), OLD);
  });

  it('a cancelled run reports nothing', async () => {
    const procs = new FakeProcesses();
    const ac = new AbortController();
    const run = generateTypes({ ws, plan: plan(), deps: procs.deps, signal: ac.signal });
    await until(() => procs.spawned.length === 1, 5000, 'the generator to start');
    ac.abort();
    const r = await run;
    assert.deepEqual([r.ok, r.cancelled, r.findings], [false, true, []]);
  });

  it('a package.json script runs through its package manager, as argv', async () => {
    fs.writeFileSync(path.join(root, 'web/package.json'), JSON.stringify({ scripts: { 'generate:types': 'openapi-typescript ../api/openapi.json -o src/api.ts' } }));
    fs.writeFileSync(path.join(root, 'web/pnpm-lock.yaml'), '');
    fs.writeFileSync(path.join(root, '.codenav.yaml'), 'typegen:\n  triggers: ["api/**/*.py"]\n');
    ws = await Workspace.open(root, { noGit: true });
    const procs = new FakeProcesses();
    const run = generateTypes({ ws, plan: plan(), deps: procs.deps });
    await until(() => procs.spawned.length === 1, 5000, 'the package manager to start');
    assert.deepEqual([procs.last().file, ...procs.last().args], ['/fake/bin/pnpm', 'run', 'generate:types']);
    assert.equal(procs.last().options.shell, false);
    procs.last().exit(0);
    assert.equal((await run).ok, true);
  });
});
