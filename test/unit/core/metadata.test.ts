import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { RULES } from '../../../src/core/rules';
import { SETTING_KEYS } from '../../../src/vscode/settingKeys';
import { repoRoot } from '../../support/tmp';

const root = repoRoot();
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('package metadata', () => {
  it('CHANGELOG.md starts with the package.json version', () => {
    const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
    const head = /^## \[?(\d+\.\d+\.\d+)\]?/m.exec(changelog);
    assert.ok(head, 'CHANGELOG.md has a "## x.y.z" heading');
    assert.equal(head[1], pkg.version);
  });

  it('the typed settings and package.json declare the same keys', () => {
    const declared = Object.keys(pkg.contributes.configuration.properties).sort();
    const typed = Object.values(SETTING_KEYS).map((k) => `codenav.${k}`).sort();
    assert.deepEqual(typed, declared);
    for (const [key, prop] of Object.entries<{ scope?: string; markdownDescription?: string }>(pkg.contributes.configuration.properties)) {
      assert.ok(prop.scope, `${key} has a scope`);
      assert.ok(prop.markdownDescription, `${key} has a markdownDescription`);
    }
  });

  it('every contributed command has a category and an icon, and is registered in the code', () => {
    const code = sourceFiles(path.join(root, 'src')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const registered = new Set([...code.matchAll(/registerCommand\(\s*['"`]([\w.]+)['"`]/g)].map((m) => m[1]));
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Codebase Navigator', c.command);
      assert.match(c.icon ?? '', /^\$\([\w-]+\)$/, `${c.command} has a codicon`);
      // Registered with a literal id, or through a constant holding it (the integration suite checks the live registry).
      assert.ok(registered.has(c.command) || code.includes(`'${c.command}'`), `${c.command} is registered`);
    }
    const contributed = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const id of registered) assert.ok(contributed.has(id), `${id} is registered but not in package.json`);
  });

  it('menus and views name only declared commands and views', () => {
    const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const [menu, items] of Object.entries<{ command: string }[]>(pkg.contributes.menus)) {
      for (const item of items) assert.ok(commands.has(item.command), `${menu}: ${item.command}`);
    }
    const views = pkg.contributes.views.codebaseNavigator.map((v: { id: string }) => v.id);
    for (const w of pkg.contributes.viewsWelcome) assert.ok(views.includes(w.view), w.view);
    assert.ok(fs.existsSync(path.join(root, pkg.contributes.viewsContainers.activitybar[0].icon)));
  });

  it('activation is narrow and workspace trust is declared', () => {
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.ok(!pkg.activationEvents.includes('onStartupFinished'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const key of pkg.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(pkg.contributes.configuration.properties[key], key);
  });

  it('rule ids are unique and namespaced', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+\/[a-z-]+$/);
  });

  it('.vscodeignore keeps every file the bundles load (engines, vendor chunks, wasm)', function () {
    const dist = path.join(root, 'dist');
    if (!fs.existsSync(path.join(dist, 'cli.js'))) this.skip(); // `npm test` builds first
    // vsce's rule: the last pattern that matches a path decides; `!` re-includes.
    const rules = fs
      .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => ({ keep: l.startsWith('!'), match: picomatch(l.replace(/^!/, ''), { dot: true }) }));
    const packaged = (rel: string) => !rules.reduce((ignored, r) => (r.match(rel) ? !r.keep : ignored), false);
    const built = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' }).map((f) => `dist/${f.split(path.sep).join('/')}`);
    const needed = built.filter((f) => /\.(js|wasm)$/.test(f));
    assert.ok(needed.includes('dist/cli-migrations.js') && needed.includes('dist/vendor/yaml.js'), needed.join(', '));
    for (const f of needed) assert.ok(packaged(f), `${f} is left out of the .vsix`);
    for (const f of ['src/cli.ts', 'test/fixtures/sample/backend/alembic.ini', 'dist/cli.js.map']) assert.ok(!packaged(f), `${f} is packaged`);
  });

  it('.vscodeignore keeps sources, tests and fixtures out of the package', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    for (const entry of ['src/**', 'test/**', 'node_modules/**', 'out/**']) assert.ok(ignore.split('\n').includes(entry), entry);
  });
});
