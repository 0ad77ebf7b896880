import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { repoRoot, tempDir, writeTree } from '../../support/tmp';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd });
  return { code, out, err };
}

/** Two Alembic revisions on one parent: a real error finding. */
const TWO_HEADS = {
  'alembic.ini': '[alembic]\nscript_location = migrations\n',
  'migrations/env.py': '',
  'migrations/versions/aaa_base.py': 'revision = "aaa"\ndown_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n',
  'migrations/versions/bbb_one.py': 'revision = "bbb"\ndown_revision = "aaa"\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n',
  'migrations/versions/ccc_two.py': 'revision = "ccc"\ndown_revision = "aaa"\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n',
};

describe('codenav CLI', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('prints usage and exits 2 on a bad command, flag or format', async () => {
    assert.equal((await run([], t.dir)).code, 2);
    const bad = await run(['frobnicate'], t.dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown command "frobnicate"/);
    const flag = await run(['check', '--nope'], t.dir);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /Unknown option '--nope'/);
    const fmt = await run(['migrations', '--format', 'markdown'], t.dir);
    assert.equal(fmt.code, 2);
    assert.match(fmt.err, /does not support --format markdown/);
    const missing = await run(['check', 'no/such/dir'], t.dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot analyse .*no\/such\/dir/);
  });

  it('exits 0 with a summary line on a clean folder', async () => {
    writeTree(t.dir, { 'app.py': 'x = 1\n' });
    const r = await run(['check', '.'], t.dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out.trimEnd().split('\n').pop()!, /no problems found/);
  });

  it('exits 2 on an invalid config and prints config/invalid with file and line', async () => {
    writeTree(t.dir, { '.codenav.yaml': 'exclude: ["a"]\nmigrations:\n  naming: [1, 2]\n' });
    const text = await run(['check'], t.dir);
    assert.equal(text.code, 2);
    assert.match(text.out, /\.codenav\.yaml\n\s+3:11\s+error\s+migrations\.naming: expected a string.*config\/invalid/);
    const json = await run(['check', '--format', 'json'], t.dir);
    assert.equal(json.code, 2);
    const parsed = JSON.parse(json.out);
    assert.deepEqual(
      parsed.findings.map((f: { rule: string; file: string; line: number }) => [f.rule, f.file, f.line]),
      [['config/invalid', '.codenav.yaml', 3]],
    );
    assert.match(json.err, /invalid config/);
  });

  it('exits 1 on an error finding, in every format', async () => {
    writeTree(t.dir, TWO_HEADS);
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await run(['check', '--format', format], t.dir);
      assert.equal(r.code, 1, `${format}: ${r.err}`);
    }
  });

  it('renders SARIF 2.1.0 and GitHub annotations for the same findings', async () => {
    writeTree(t.dir, TWO_HEADS);
    const json = JSON.parse((await run(['migrations', '--format', 'json'], t.dir)).out);
    const heads = json.findings.filter((f: { rule: string }) => f.rule === 'migration/multiple-heads');
    assert.ok(heads.length >= 1);
    const sarif = JSON.parse((await run(['migrations', '--format', 'sarif'], t.dir)).out);
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results;
    assert.equal(results.length, json.findings.length);
    const r0 = results.find((r: { ruleId: string }) => r.ruleId === 'migration/multiple-heads');
    assert.equal(r0.level, 'error');
    assert.equal(sarif.runs[0].tool.driver.rules[r0.ruleIndex].id, 'migration/multiple-heads');
    assert.ok(r0.locations[0].physicalLocation.region.startLine >= 1);
    const gh = (await run(['migrations', '--format', 'github'], t.dir)).out.trim().split('\n');
    assert.ok(gh.some((l) => /^::error file=migrations\/versions\/[a-z_]+\.py,line=\d+,col=\d+,endLine=\d+,title=migration\/multiple-heads::/.test(l)), gh.join('\n'));
  });

  it('analyses a workspace full of hazards without crashing or hanging', async function () {
    this.timeout(30_000);
    writeTree(t.dir, {
      'bin/blob.py': Buffer.from([0x00, 0xff, 0x10, 0x00]),
      'bad_utf8.py': Buffer.concat([Buffer.from('class BrokenService:\n    """'), Buffer.from([0xff, 0xfe]), Buffer.from('"""\n')]),
      'half.py': 'class HalfService:\n    def charge(self,\n',
      'web/half.ts': 'export class A {\n  m( {\n',
      'ok.py': 'x = 1\n',
    });
    const fd = fs.openSync(path.join(t.dir, 'huge.py'), 'w');
    fs.ftruncateSync(fd, 20 * 1024 * 1024);
    fs.closeSync(fd);
    fs.mkdirSync(path.join(t.dir, 'loop'));
    fs.symlinkSync('..', path.join(t.dir, 'loop', 'up'));
    const r = await run(['check', '--format', 'json'], t.dir);
    assert.equal(r.code, 0, r.err);
    assert.ok(Array.isArray(JSON.parse(r.out).findings));
    const text = await run(['check'], t.dir);
    assert.match(text.out, /skipped 1 file\(s\): huge\.py \(larger than 1024 KB/);
  });

  it('codenav migrations lists only the files migrations read, with the same findings', async () => {
    writeTree(t.dir, {
      ...TWO_HEADS,
      '.codenav.yaml': 'maxFileSizeKb: 1\n',
      'docs/notes.md': 'x'.repeat(2048), // over the limit: listed as skipped by commands that read every file
      'migrations/script.py.mako': '"""${message}"""\nrevision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n',
      'pkg/pyproject.toml': '[project]\nname = "x"\n',
    });
    const migrations = await run(['migrations', '--format', 'json'], t.dir);
    const check = await run(['check', '--format', 'json'], t.dir);
    assert.equal(migrations.code, 1);
    const ofMigrations = (out: string) => JSON.parse(out).findings.filter((f: { rule: string }) => f.rule.startsWith('migration/'));
    assert.deepEqual(ofMigrations(migrations.out), ofMigrations(check.out));
    assert.ok(ofMigrations(migrations.out).some((f: { rule: string }) => f.rule === 'migration/multiple-heads'));
    assert.doesNotMatch((await run(['migrations'], t.dir)).out, /notes\.md/);
    assert.match((await run(['check'], t.dir)).out, /skipped 1 file\(s\): docs\/notes\.md/);
  });

  it('writes a report to --output instead of stdout', async () => {
    writeTree(t.dir, { 'a.py': '' });
    const r = await run(['check', '--format', 'json', '--output', 'report.json'], t.dir);
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(t.dir, 'report.json'), 'utf8')).findings, []);
  });

  it('runs as the bundled dist/cli.js: each engine, the wasm files and every lazily loaded vendor file', function () {
    const cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip(); // `npm test` builds dist/ first; a bare `mocha` run may not have it
    writeTree(t.dir, {
      '.codenav.yaml': 'exclude: ["ignored/**"]\n',
      'svc.py': 'class BillingService:\n    def charge(self):\n        pass\n',
      'package.json': '{ "name": "web", "private": true }\n',
      'app/api/ping/route.ts': 'export async function GET() {}\n',
      'migrations/env.py': '',
      'migrations/versions/a1_first.py': 'revision = "a1"\ndown_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n',
      'bin.dat': Buffer.from([0, 1, 2]),
    });
    assert.match(execFileSync('node', [cli, '--version'], { encoding: 'utf8' }), /^\d+\.\d+\.\d+/);
    const json = (command: string) => {
      const r = spawnSync('node', [cli, command, t.dir, '--format', 'json'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '', 'nothing on stderr (no warning from the runtime settings the CLI makes)');
      return JSON.parse(r.stdout);
    };
    assert.deepEqual(json('check').findings, []);
    // Python through web-tree-sitter, TypeScript through ts-morph, the config through the YAML parser.
    const services = json('services');
    assert.deepEqual(services.services.map((x: { name: string }) => x.name), ['BillingService']);
    assert.deepEqual(services.routes.map((x: { method: string; path: string }) => `${x.method} ${x.path}`), ['GET /api/ping']);
    assert.deepEqual(json('migrations').environments.map((e: { heads: string[] }) => e.heads), [['a1']]);
  });

  it('writes a report larger than a pipe holds in full, and ends quietly when the reader goes away', async function () {
    this.timeout(30_000);
    const cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const files: Record<string, string> = { 'migrations/env.py': '' };
    for (let i = 0; i < 400; i++) {
      const down = i ? `"r${i - 1}"` : 'None';
      files[`migrations/versions/r${i}_step.py`] = `"""step ${i}"""\nrevision = "r${i}"\ndown_revision = ${down}\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n`;
    }
    writeTree(t.dir, files);
    const full = spawnSync('node', [cli, 'migrations', t.dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(full.status, 0, full.stderr);
    assert.ok(full.stdout.length > 64 * 1024, `${full.stdout.length} bytes: more than a pipe buffer`);
    assert.equal(JSON.parse(full.stdout).environments[0].revisions, 400);
    // `codenav … | head -c 1`: the reader closes its end after the first bytes.
    const child = spawn('node', [cli, 'migrations', t.dir, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    assert.equal(err, '', 'no EPIPE trace');
  });

  it('keeps its compiled code between runs in a private folder, and survives a damaged or shared one', function () {
    this.timeout(30_000);
    const cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip();
    writeTree(t.dir, { 'migrations/env.py': '', 'migrations/versions/a1_first.py': 'revision = "a1"\ndown_revision = None\n' });
    const store = path.join(t.dir, 'store');
    const run = () => {
      const r = spawnSync('node', [cli, 'migrations', t.dir, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, CODENAV_COMPILE_CACHE: store } });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout).environments;
    };
    const stored = () => (fs.existsSync(store) ? fs.readdirSync(store).filter((f) => f.startsWith('cli-migrations.js.') && f.endsWith('.v8')) : []);
    writeTree(store, { 'cli-migrations.js.0123456789abcdef.v8': 'code of an earlier build' });
    fs.chmodSync(store, 0o700);
    const expected = run();
    assert.equal(stored().length, 1, 'the first run stores the engine’s code, and drops that of an earlier build');
    assert.notEqual(stored()[0], 'cli-migrations.js.0123456789abcdef.v8');
    const file = path.join(store, stored()[0]);
    const written = fs.statSync(file).mtimeMs;
    assert.deepEqual(run(), expected);
    assert.equal(fs.statSync(file).mtimeMs, written, 'the second run uses the stored code as it is');
    fs.writeFileSync(file, 'not code');
    assert.deepEqual(run(), expected, 'damaged code is refused by the engine');
    assert.notEqual(fs.readFileSync(file, 'utf8'), 'not code', 'and stored again');
    fs.rmSync(store, { recursive: true });
    fs.mkdirSync(store, { mode: 0o777 });
    fs.chmodSync(store, 0o777);
    assert.deepEqual(run(), expected);
    assert.deepEqual(stored(), [], 'a folder others can write to is not used');
  });

  it('loads the Node modules a migrations run needs before it tunes V8 (and no stream module for it), in and out of git', function () {
    this.timeout(30_000);
    const cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli) || Number(process.versions.v8.split('.')[0]) !== 11) this.skip();
    // Records which of Node's own modules load after the flag change: those would be compiled from source.
    const hook = path.join(t.dir, 'hook.js');
    fs.writeFileSync(
      hook,
      [
        "const fs = require('fs');",
        'process.noDeprecation = true;',
        "const v8 = process.binding('v8');",
        'process.noDeprecation = false;',
        'const set = v8.setFlagsFromString;',
        'let at;',
        'v8.setFlagsFromString = (flags) => ((at = process.moduleLoadList.length), set(flags));',
        "process.on('exit', () => {",
        '  const list = process.moduleLoadList;',
        "  fs.writeSync(2, 'LOADED ' + JSON.stringify(at === undefined ? null : { before: list.slice(0, at), after: list.slice(at) }) + '\\n');",
        '});',
      ].join('\n'),
    );
    const loaded = (dir: string, ...args: string[]) => {
      const r = spawnSync('node', ['-r', hook, cli, 'migrations', dir, ...args, '--format', 'json'], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).environments[0].heads, ['bbb', 'ccc']);
      const line = /^LOADED (.*)$/m.exec(r.stderr);
      assert.ok(line, r.stderr);
      const modules = JSON.parse(line[1]) as { before: string[]; after: string[] } | null;
      assert.ok(modules, 'the run tunes V8');
      assert.deepEqual(modules.after.filter((m) => m.startsWith('NativeModule ')), []);
      assert.ok(!modules.before.includes('NativeModule v8'), 'the flag is set without node:v8 and its stream modules');
      assert.equal(r.stderr.replace(/^LOADED .*\n/m, ''), '', 'no warning, no unknown V8 flag');
      return modules.before;
    };
    const plain = path.join(t.dir, 'plain');
    writeTree(plain, TWO_HEADS);
    const outside = loaded(plain);
    assert.ok(!outside.includes('NativeModule child_process'), 'nothing to spawn outside git');
    assert.ok(!outside.includes('NativeModule stream'), 'nor any stream to open');
    const repo = path.join(t.dir, 'repo');
    writeTree(repo, TWO_HEADS);
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { cwd: repo });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'two heads');
    assert.ok(loaded(repo).includes('NativeModule child_process'), 'git lists the files');
    assert.ok(loaded(repo, '--against', 'HEAD').includes('NativeModule child_process'));
  });

  it('never serves stored code to a rebuilt engine of the same length', function () {
    this.timeout(30_000);
    const dist = path.join(repoRoot(), 'dist');
    if (!fs.existsSync(path.join(dist, 'cli.js'))) this.skip();
    // A copy of the two bundles: the store only serves bundles beside cli.js.
    const bin = path.join(t.dir, 'bin');
    fs.mkdirSync(bin);
    for (const f of ['cli.js', 'cli-migrations.js']) fs.copyFileSync(path.join(dist, f), path.join(bin, f));
    const empty = path.join(t.dir, 'empty');
    fs.mkdirSync(empty);
    const store = path.join(t.dir, 'store');
    const run = () => {
      const r = spawnSync('node', [path.join(bin, 'cli.js'), 'migrations', empty, '--no-color'], { encoding: 'utf8', env: { ...process.env, CODENAV_COMPILE_CACHE: store } });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    assert.match(run(), /no Alembic environment or Django migrations found/);
    assert.match(run(), /no Alembic environment or Django migrations found/, 'from the stored code');
    const engine = path.join(bin, 'cli-migrations.js');
    const text = fs.readFileSync(engine, 'utf8');
    const rebuilt = text.replace('no Alembic environment or Django migrations found', 'NO ALEMBIC ENVIRONMENT OR DJANGO MIGRATIONS FOUND');
    assert.equal(rebuilt.length, text.length);
    fs.writeFileSync(engine, rebuilt);
    assert.match(run(), /NO ALEMBIC ENVIRONMENT OR DJANGO MIGRATIONS FOUND/, 'the rebuilt engine runs its own code');
  });
});
