import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolvePlan, runTypegenOnce, typegenAnalyzer } from '../../../src/core/typegen';
import { generatorArgs, splitWords } from '../../../src/core/typegen/detect';
import { Workspace } from '../../../src/core/workspace/workspace';

const SAMPLE = path.resolve(__dirname, '../../../../test/fixtures/sample');
const dirs: string[] = [];

async function workspace(files: Record<string, string>): Promise<Workspace> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-plan-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return Workspace.open(root, { noGit: true });
}

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'web', private: true, scripts, ...extra }, null, 2);

describe('typegen plan', () => {
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('reads words of a script like a shell would, without running it', () => {
    assert.deepEqual(splitWords(`openapi-typescript "../api spec/openapi.json" -o 'src/types/api.ts' && prettier -w x`), ['openapi-typescript', '../api spec/openapi.json', '-o', 'src/types/api.ts']);
    assert.deepEqual(generatorArgs(splitWords('npx openapi-typescript ../backend/openapi.json --output=src/api.ts --alphabetize')), { input: '../backend/openapi.json', output: 'src/api.ts' });
    assert.deepEqual(generatorArgs(['node', 'scripts/gen.js']), {});
  });

  it('detects a generate:types script in a nested package.json, with its input, output and package manager', async () => {
    const ws = await workspace({
      'frontend/package.json': pkg({ 'generate:types': 'openapi-typescript ../backend/openapi.json -o src/shared/types/api.ts' }),
      'frontend/pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
      'frontend/src/shared/types/.keep': '',
      'backend/openapi.json': '{}',
    });
    const { plan, problems } = resolvePlan(ws);
    assert.deepEqual(problems, []);
    assert.ok(plan);
    assert.equal(plan.detectedFrom, 'package.json');
    assert.deepEqual(plan.command, { kind: 'script', script: 'generate:types', packageJson: 'frontend/package.json', packageManager: 'pnpm', text: 'openapi-typescript ../backend/openapi.json -o src/shared/types/api.ts' });
    assert.equal(plan.cwd, 'frontend');
    assert.equal(plan.output, 'frontend/src/shared/types/api.ts');
    assert.deepEqual(plan.openapi, { kind: 'file', file: 'backend/openapi.json' });
    assert.ok(plan.triggers.includes('**/models.py') && plan.triggers.includes('backend/openapi.json'));
    assert.equal(plan.onSaveDuringRun, 'restart');
  });

  it('uses yarn when only a yarn.lock exists up the tree, and npm by default', async () => {
    const yarn = await workspace({ 'yarn.lock': '', 'web/package.json': pkg({ 'generate:types': 'openapi-typescript api.json -o api.ts' }) });
    const cmd = resolvePlan(yarn).plan?.command;
    assert.equal(cmd?.kind === 'script' ? cmd.packageManager : undefined, 'yarn');
    const npm = await workspace({ 'package.json': pkg({ 'generate:types': 'openapi-typescript api.json -o api.ts' }) });
    const c2 = resolvePlan(npm).plan?.command;
    assert.equal(c2?.kind === 'script' ? c2.packageManager : undefined, 'npm');
  });

  it('no config and no script: no plan and no problem', async () => {
    const ws = await workspace({ 'package.json': pkg({ build: 'tsc' }), 'src/models.py': '' });
    assert.deepEqual(resolvePlan(ws), { problems: [] });
    const r = await typegenAnalyzer.run(ws);
    assert.deepEqual(r.findings, []);
    assert.equal(r.data.configured, false);
  });

  it('an argv command with placeholders and a python app', async () => {
    const ws = await workspace({
      '.codenav.yaml': 'typegen:\n  command: [openapi-typescript, "{openapi}", -o, "{output}"]\n  output: web/api.ts\n  openapi:\n    pythonApp: shop.main:app\n  onSaveDuringRun: queue\n  debounceMs: 50\n',
      'server/src/shop/__init__.py': '',
      'server/src/shop/main.py': 'app = None\n',
      'web/.keep': '',
    });
    const { plan, problems } = resolvePlan(ws);
    assert.deepEqual(problems, []);
    assert.deepEqual(plan?.openapi, { kind: 'pythonApp', app: 'shop.main:app', sourceRoot: 'server/src', file: undefined });
    assert.equal(plan?.detectedFrom, 'config');
    assert.equal(plan?.onSaveDuringRun, 'queue');
    assert.equal(plan?.debounceMs, 50);
  });

  it('reports mistakes at their key in .codenav.yaml', async () => {
    const ws = await workspace({
      '.codenav.yaml': 'version: 1\ntypegen:\n  command: generate:typez\n',
      'package.json': pkg({ 'generate:types': 'openapi-typescript a.json -o b.ts' }),
    });
    const r = await typegenAnalyzer.run(ws);
    assert.equal(r.findings.length, 1);
    const f = r.findings[0];
    assert.equal(f.rule, 'typegen/config');
    assert.equal(f.file, '.codenav.yaml');
    assert.equal(f.range.start.line, 2);
    assert.match(f.message, /no package\.json in the workspace defines a "generate:typez" script/);
  });

  it('refuses a command line given as a string, and suggests the argv', async () => {
    const ws = await workspace({ '.codenav.yaml': 'typegen:\n  command: openapi-typescript api.json -o "src/api.ts"\n' });
    const { plan, problems } = resolvePlan(ws);
    assert.equal(plan, undefined);
    assert.match(problems[0].message, /never runs a shell.*\["openapi-typescript","api\.json","-o","src\/api\.ts"\]/);
  });

  it('a script with a python app needs to know where to write the document', async () => {
    const ws = await workspace({
      '.codenav.yaml': 'typegen:\n  command: gen\n  openapi:\n    pythonApp: shop.main:app\n',
      'package.json': pkg({ gen: 'node scripts/gen.js' }),
      'shop/main.py': '',
    });
    const { problems } = resolvePlan(ws);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /\{openapi\}.*typegen\.openapi\.file/);
    const missing = await workspace({ '.codenav.yaml': 'typegen:\n  command: [x, "{openapi}"]\n  openapi:\n    pythonApp: nowhere.main:app\n' });
    assert.match(resolvePlan(missing).problems[0].message, /the module "nowhere\.main" was not found/);
  });

  it('typegen.enabled: false turns it off, and the CLI says so without running anything', async () => {
    const ws = await workspace({ '.codenav.yaml': 'typegen:\n  enabled: false\n', 'package.json': pkg({ 'generate:types': 'openapi-typescript a.json -o b.ts' }) });
    assert.equal(resolvePlan(ws).disabled, true);
    const r = await runTypegenOnce(ws, { check: false });
    assert.deepEqual(r.findings, []);
    assert.match(r.log[0], /disabled/);
  });

  it('the sample monorepo: script run in frontend, document exported from the FastAPI app', async () => {
    const ws = await Workspace.open(SAMPLE);
    const { plan, problems } = resolvePlan(ws);
    assert.deepEqual(problems, []);
    assert.ok(plan?.command.kind === 'script');
    assert.equal(plan.command.packageJson, 'frontend/package.json');
    assert.equal(plan.cwd, 'frontend');
    assert.equal(plan.output, 'frontend/src/shared/types/api.ts');
    assert.deepEqual(plan.openapi, { kind: 'pythonApp', app: 'acme.platform.main:app', sourceRoot: 'backend/src', file: 'backend/openapi.json' });
    const r = await typegenAnalyzer.run(ws);
    assert.deepEqual(r.findings, []);
    assert.equal(r.data.typegen?.openapi, 'python:acme.platform.main:app');
  });
});
