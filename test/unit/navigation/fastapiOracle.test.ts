import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyse, FIXTURES, REPO, removeTempWorkspaces, SAMPLE } from './helpers';

/**
 * The correctness oracle: FastAPI itself (Debian's python3-fastapi under
 * /usr/bin/python3) imports every layout fixture and the sample, in one
 * process, and the static route list must equal `app.routes` exactly, in
 * registration order.
 */
interface Spec {
  id: string;
  root: string;
  paths: string[];
  app: string;
}

const PYTHON = process.env.CODENAV_ORACLE_PYTHON ?? '/usr/bin/python3';

function specs(): Spec[] {
  const out: Spec[] = [];
  for (const dir of fs.readdirSync(FIXTURES).sort()) {
    const file = path.join(FIXTURES, dir, 'fixture.json');
    if (!fs.existsSync(file)) continue;
    const apps = (JSON.parse(fs.readFileSync(file, 'utf8')) as { apps: { paths: string[]; app: string }[] }).apps;
    apps.forEach((a, i) => out.push({ id: `${dir}#${i}`, root: path.join(FIXTURES, dir), ...a }));
  }
  out.push({ id: 'sample#0', root: SAMPLE, paths: ['backend/src'], app: 'acme.platform.main:app' });
  return out;
}

describe('navigation: FastAPI routes equal what FastAPI registers (oracle)', function () {
  this.timeout(120_000);
  const all = specs();
  let oracle: Record<string, [string, string][] | { error: string }> = {};

  before(() => {
    const out = execFileSync(PYTHON, [path.join(REPO, 'test', 'oracles', 'fastapi_routes.py')], {
      input: JSON.stringify(all),
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    oracle = JSON.parse(out.toString('utf8'));
  });
  after(removeTempWorkspaces);

  it('covers every layout the issue lists', () => {
    const layouts = new Set(all.map((s) => s.id.split('#')[0]));
    for (const l of ['nested-routers', 'reexports', 'aliased-imports', 'multi-routers', 'router-subclass', 'factory', 'namespace-package', 'src-layout', 'monorepo', 'sample']) {
      assert.ok(layouts.has(l), `fixture ${l} is missing`);
    }
    assert.equal(all.filter((s) => s.id.startsWith('monorepo#')).length, 2, 'the monorepo fixture holds two apps');
  });

  for (const spec of all) {
    it(`${spec.id}: ${spec.app}`, async () => {
      const want = oracle[spec.id];
      assert.ok(Array.isArray(want), `FastAPI could not import the fixture: ${JSON.stringify(want)}`);
      assert.ok(want.length > 0, 'the oracle found no routes');
      const { data } = await analyse(spec.root);
      const [module, attr] = spec.app.split(':');
      const root = spec.paths[0] === '.' ? '' : spec.paths[0];
      const app = data.apps.find((a) => a.framework === 'fastapi' && a.root === root && a.name.split(' ')[0] === `${module}:${attr}`);
      assert.ok(app, `no static app ${spec.app} in ${root || '.'}; found ${data.apps.map((a) => `${a.name}@${a.root}`).join(', ')}`);
      const got = data.routes.filter((r) => r.app === app.name).map((r) => [r.method, r.path]);
      assert.deepEqual(got, want);
      assert.equal(app.routes, want.length);
    });
  }
});
