import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDES, discover, excluder, languageOf, underRoot } from '../../../src/core/workspace/discovery';
import { Rng } from '../../bench/gen/prng';
import { gitInit, tempDir, writeTree } from '../../support/tmp';

describe('workspace discovery', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  const paths = (r: { files: { path: string }[] }) => r.files.map((f) => f.path);

  it('walks without git, honouring nested .gitignore files and default excludes', async () => {
    writeTree(t.dir, {
      '.gitignore': 'build/\n*.log\n',
      'app/main.py': 'x = 1\n',
      'app/debug.log': 'noise',
      'build/out.py': 'x = 1\n',
      'web/.gitignore': 'generated/\n!keep.ts\n',
      'web/generated/api.ts': 'export {}\n',
      'web/src/page.tsx': 'export {}\n',
      'node_modules/pkg/index.js': 'x',
      'app/__pycache__/main.cpython-311.pyc': 'x',
    });
    const r = await discover(t.dir, { noGit: true });
    assert.equal(r.method, 'walk');
    assert.deepEqual(paths(r), ['.gitignore', 'app/main.py', 'web/.gitignore', 'web/src/page.tsx']);
  });

  it('lets other work run while it lists a folder of more entries than one batch', async () => {
    // 600 ignored files and three folders: many entries to list, four files to stat (no stat batch turns the loop).
    const tree: Record<string, string> = { '.gitignore': '*.log\n' };
    for (let i = 0; i < 600; i++) tree[`f${i}.log`] = '';
    for (let d = 0; d < 3; d++) tree[`d${d}/x.py`] = '';
    writeTree(t.dir, tree);
    let turns = 0;
    let done = false;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    const r = await discover(t.dir, { noGit: true });
    const during = turns;
    done = true;
    assert.deepEqual(paths(r), ['.gitignore', 'd0/x.py', 'd1/x.py', 'd2/x.py']);
    assert.ok(during >= 1, 'the event loop did not turn while 604 entries were listed');
  });

  it('lists what `git ls-files --others --exclude-standard` lists, on 40 random trees with nested .gitignore rules', async function () {
    this.timeout(60_000);
    const names = ['src', 'build', 'logs', 'gen', 'keep', 'a', 'b'];
    const files = ['x.py', 'y.log', 'z.ts', 'keep.py', 'top.py', 'notes.md'];
    const rules = ['build/', '*.log', '!keep.py', 'gen', '/top.py', '**/logs', 'a/*.md', '!*.md', 'b/', 'src/**/z.ts', '*.py', '!src/'];
    const rng = new Rng(7);
    const rnd = (n: number) => rng.int(0, n - 1);
    for (let tree = 0; tree < 40; tree++) {
      const dir = path.join(t.dir, `t${tree}`);
      const entries: Record<string, string> = {};
      for (let i = 0; i < 25; i++) {
        const depth = rnd(4);
        const parts = Array.from({ length: depth }, () => names[rnd(names.length)]);
        entries[[...parts, files[rnd(files.length)]].join('/')] = '';
      }
      for (const folder of ['', ...names.slice(0, 3).map((n) => n + '/')]) {
        if (rnd(2)) entries[`${folder}.gitignore`] = Array.from({ length: 1 + rnd(4) }, () => rules[rnd(rules.length)]).join('\n') + '\n';
      }
      // A file and a folder cannot share a path: keep the deeper entries.
      for (const p of Object.keys(entries)) if (Object.keys(entries).some((q) => q.startsWith(p + '/'))) delete entries[p];
      writeTree(dir, entries);
      const walked = paths(await discover(dir, { noGit: true }));
      execFileSync('git', ['init', '-q'], { cwd: dir });
      const listed = execFileSync('git', ['ls-files', '-z', '--others', '--exclude-standard'], { cwd: dir, encoding: 'utf8' })
        .split('\0')
        .filter(Boolean)
        .sort();
      assert.deepEqual(walked, listed, `tree ${tree}: ${JSON.stringify(entries)}`);
    }
  });

  it('uses git ls-files in a repository, including untracked files that are not ignored', async () => {
    writeTree(t.dir, { '.gitignore': 'secret.py\n', 'a.py': '', 'secret.py': '' });
    gitInit(t.dir);
    writeTree(t.dir, { 'new.py': '' });
    const r = await discover(t.dir);
    assert.equal(r.method, 'git');
    assert.deepEqual(paths(r), ['.gitignore', 'a.py', 'new.py']);
  });

  it('honours exclude globs from config', async () => {
    writeTree(t.dir, { 'a/x.py': '', 'a/gen/y.py': '', 'b.ts': '' });
    const r = await discover(t.dir, { noGit: true, exclude: ['**/gen/**', '*.ts'] });
    assert.deepEqual(paths(r), ['a/x.py']);
  });

  it('skips a file over the size limit with a recorded reason (a 20 MB file)', async () => {
    writeTree(t.dir, { 'small.py': 'x = 1\n' });
    const fd = fs.openSync(path.join(t.dir, 'huge.py'), 'w');
    fs.ftruncateSync(fd, 20 * 1024 * 1024);
    fs.closeSync(fd);
    const r = await discover(t.dir, { noGit: true });
    assert.deepEqual(paths(r), ['small.py']);
    assert.equal(r.skipped.length, 1);
    assert.equal(r.skipped[0].path, 'huge.py');
    assert.match(r.skipped[0].reason, /larger than 1024 KB \(20480 KB\)/);
  });

  it('survives a symlink loop and never walks through directory links', async function () {
    this.timeout(10_000);
    writeTree(t.dir, { 'pkg/a.py': '', 'pkg/sub/b.py': '' });
    fs.symlinkSync('..', path.join(t.dir, 'pkg/sub/loop'));
    fs.symlinkSync(path.join(t.dir, 'pkg'), path.join(t.dir, 'pkg/self'));
    fs.symlinkSync('missing-target.py', path.join(t.dir, 'dangling.py'));
    fs.symlinkSync('pkg/a.py', path.join(t.dir, 'alias.py'));
    for (const noGit of [true, false]) {
      if (!noGit) gitInit(t.dir);
      const r = await discover(t.dir, { noGit });
      assert.deepEqual(paths(r), ['alias.py', 'pkg/a.py', 'pkg/sub/b.py'], `noGit=${noGit}`);
      assert.ok(r.skipped.some((s) => s.path === 'dangling.py' && /unreadable: ENOENT/.test(s.reason)));
    }
  });

  it('excludes exactly the paths the default and configured globs match', () => {
    const globs = ['**/generated/**', 'docs/*.md'];
    const expected = picomatch([...DEFAULT_EXCLUDES, ...globs], { dot: true });
    const actual = excluder(globs);
    const segments = ['node_modules', '.git', 'venv', '.venv', 'my_venv', 'venv.py', '__pycache__', '.next', 'src', 'generated', 'docs', 'a.md', '.vscode-test', 'x.tox'];
    let checked = 0;
    for (const a of segments)
      for (const b of segments)
        for (const rel of [a, `${a}/${b}`, `${a}/${b}/f.py`, `p/${a}/${b}`]) {
          assert.equal(actual(rel), expected(rel), rel);
          checked++;
        }
    assert.ok(checked > 700);
  });

  it('joins root-relative paths exactly as path.join does', () => {
    const rels = ['a.py', 'a/b/c.py', '.hidden/x', 'a/.b', 'a/../b', './a', 'a/./b', '..', '.', '', 'a//b', '/abs', 'a/', 'x\\y', '...', 'a/..b', '..a/b'];
    for (const root of ['/', '/work/repo', path.resolve('rel-root')]) for (const rel of rels) assert.equal(underRoot(root, rel), path.join(root, ...rel.split('/')), `${root} + ${rel}`);
  });

  it('classifies languages', () => {
    assert.equal(languageOf('a/b.py'), 'python');
    assert.equal(languageOf('a/b.tsx'), 'typescript');
    assert.equal(languageOf('a/b.mjs'), 'typescript');
    assert.equal(languageOf('a/types.d.ts'), 'other');
    assert.equal(languageOf('alembic.ini'), 'other');
  });
});
