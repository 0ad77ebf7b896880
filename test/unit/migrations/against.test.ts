import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { tempDir, writeTree } from '../../support/tmp';
import { analyseDir, INI, lines, revisionPy } from './helpers';

const V = 'migrations/versions';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  }).toString('utf8');
}

describe('migrations: --against a git ref (a real repository with two branches)', function () {
  this.timeout(60_000);
  let t: { dir: string; cleanup: () => void };
  let root: string;

  before(() => {
    t = tempDir('codenav-against-');
    // The workspace is a sub-folder of the repository, as in a monorepo.
    root = path.join(t.dir, 'backend');
    git(t.dir, 'init', '-q', '-b', 'main');
    writeTree(root, { 'alembic.ini': INI, 'migrations/env.py': '', [`${V}/a_base.py`]: revisionPy('a', null), [`${V}/b_users.py`]: revisionPy('b', 'a') });
    git(t.dir, 'add', '-A');
    git(t.dir, 'commit', '-qm', 'base');
    git(t.dir, 'checkout', '-qb', 'feature');
    writeTree(root, { [`${V}/c_feature.py`]: revisionPy('c', 'b') });
    git(t.dir, 'add', '-A');
    git(t.dir, 'commit', '-qm', 'feature adds c on b');
    git(t.dir, 'checkout', '-q', 'main');
    writeTree(root, { [`${V}/d_main.py`]: revisionPy('d', 'b') });
    git(t.dir, 'add', '-A');
    git(t.dir, 'commit', '-qm', 'main adds d on b');
    git(t.dir, 'checkout', '-q', 'feature');
  });
  after(() => t.cleanup());

  it('reports that merging would leave two heads, on the new revision, without touching the work tree', async () => {
    const statusBefore = git(t.dir, 'status', '--porcelain');
    const r = await analyseDir(root, undefined, 'main');
    assert.deepEqual(lines(r.findings), [`migration/new-head-against-base error ${V}/c_feature.py:12`]);
    const f = r.findings[0];
    assert.match(f.message, /merging this branch into main would leave 2 heads in migrations\/versions: c \(this branch\) and d \(main: migrations\/versions\/d_main\.py\); both build on b/);
    assert.deepEqual(f.fixes?.[0].edits?.map((e) => e.newText), ['"d"']);
    assert.equal(r.data.against?.ref, 'main');
    assert.match(r.data.against?.commit ?? '', /^[0-9a-f]{40}$/);
    assert.deepEqual(r.data.environments[0].heads, ['c'], 'the work tree alone has one head');
    assert.equal(git(t.dir, 'status', '--porcelain'), statusBefore);
    assert.equal(git(t.dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), 'feature');
    assert.ok(!fs.existsSync(path.join(root, V, 'd_main.py')));
  });

  it('is quiet when the base did not move, and when the branch already builds on the base head', async () => {
    const r = await analyseDir(root, undefined, 'feature~1');
    assert.deepEqual(r.findings, []);
    git(t.dir, 'checkout', '-qb', 'rebased', 'main');
    writeTree(root, { [`${V}/e_rebased.py`]: revisionPy('e', 'd') });
    try {
      assert.deepEqual((await analyseDir(root, undefined, 'main')).findings, []);
    } finally {
      fs.rmSync(path.join(root, V, 'e_rebased.py'));
      git(t.dir, 'checkout', '-q', 'feature');
    }
  });

  it('an unknown ref is an error finding that says how to fetch it', async () => {
    const r = await analyseDir(root, undefined, 'origin/nope');
    assert.deepEqual(lines(r.findings), ['migration/against-unavailable error alembic.ini:1']);
    assert.match(r.findings[0].message, /unknown git ref "origin\/nope".*fetch-depth: 0/);
  });

  it('codenav migrations --against exits 1 with the finding in JSON', async () => {
    let out = '';
    const code = await main(['migrations', root, '--against', 'main', '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: t.dir });
    assert.equal(code, 1);
    const json = JSON.parse(out);
    assert.deepEqual(json.findings.map((f: { rule: string; line: number }) => `${f.rule}:${f.line}`), ['migration/new-head-against-base:12']);
    assert.deepEqual(json.environments[0].heads, ['c']);
  });
});
