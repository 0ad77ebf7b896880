import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { migrationsAnalyzer } from '../../../src/core/migrations';
import { Workspace } from '../../../src/core/workspace/workspace';
import { repoRoot, tempDir } from '../../support/tmp';

const AI = 'backend/ai/migrations/versions';

describe('migrations: incremental analysis and the CLI', () => {
  let t: { dir: string; cleanup: () => void };
  beforeEach(() => {
    t = tempDir('codenav-incremental-');
    fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'sample'), t.dir, { recursive: true });
  });
  afterEach(() => t.cleanup());

  it('re-analyses only the environment whose files changed', async () => {
    const ws = await Workspace.open(t.dir, { noGit: true });
    const first = await migrationsAnalyzer.run(ws);
    const parses = ws.cache.parses;
    const again = await migrationsAnalyzer.run(ws);
    assert.ok(again.data.environments.every((e, i) => e === first.data.environments[i]), 'nothing changed: both environments come from the memo');
    const rel = `${AI}/c3fab9fc4213_add_prompt_templates.py`;
    fs.appendFileSync(path.join(t.dir, rel), '\n\ndef helper():\n    return 1\n');
    await ws.update(rel);
    const third = await migrationsAnalyzer.run(ws);
    const main = (r: typeof first) => r.data.environments.find((e) => e.root === 'backend/alembic/versions');
    const ai = (r: typeof first) => r.data.environments.find((e) => e.root === AI);
    assert.equal(main(third), main(first), 'the untouched environment is reused as is');
    assert.notEqual(ai(third), ai(first), 'the changed environment is recomputed');
    assert.deepEqual(ai(third)?.heads, ['c3fab9fc4213']);
    assert.equal(ws.cache.parses, parses, 'revision files are read by the fast reader: no tree-sitter parse');
  });

  it('reuses the whole result when only files it does not read changed, and recomputes after a reload or a revision edit', async () => {
    const ws = await Workspace.open(t.dir, { noGit: true });
    /** Appends to a file (creating it if need be), tells the workspace, and runs the analysis. */
    const append = async (rel: string, text: string) => {
      fs.appendFileSync(path.join(t.dir, rel), text);
      await ws.update(rel);
      return migrationsAnalyzer.run(ws);
    };
    const first = await migrationsAnalyzer.run(ws);
    const second = await append('backend/src/acme/platform/billing/router.py', '\n# edited\n');
    assert.equal(second.data, first.data, 'a Python module the analysis did not read: the last result is returned');
    assert.deepEqual(second.findings, first.findings);
    assert.notEqual(second.findings, first.findings, 'each caller gets its own findings array');
    const third = await append('NOTES.md', '# notes\n');
    assert.notEqual(third.data, first.data, 'a created file, of any kind, changes the file list discovery reads: recomputed');
    assert.deepEqual(third.data, first.data);
    assert.equal((await append('NOTES.md', 'more\n')).data, third.data, 'an edit of that file is not');
    const against = await migrationsAnalyzer.run(ws, { against: 'no-such-ref' });
    assert.notEqual(against.data, first.data, 'a run against a base ref is never reused');
    assert.equal((await migrationsAnalyzer.run(ws)).data, third.data, 'nor does it replace the memo');
    await ws.reload();
    assert.notEqual((await migrationsAnalyzer.run(ws)).data, third.data, 'a reload (config, file list) recomputes');
    const rel = `${AI}/c3fab9fc4213_add_prompt_templates.py`;
    const text = fs.readFileSync(path.join(t.dir, rel), 'utf8');
    fs.writeFileSync(path.join(t.dir, rel), text.replace(/^revision(.*)=.*$/m, "revision$1= 'c3fab9fc4299'"));
    await ws.update(rel);
    assert.deepEqual((await migrationsAnalyzer.run(ws)).data.environments.find((e) => e.root === AI)?.heads, ['c3fab9fc4299']);
  });

  it('recomputes when a module a revision takes a constant from changes', async () => {
    fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'migrations', 'labelled-heads'), path.join(t.dir, 'labelled'), { recursive: true });
    const ws = await Workspace.open(path.join(t.dir, 'labelled'), { noGit: true });
    const labels = async () => (await migrationsAnalyzer.run(ws)).data.environments[0].branchLabels;
    assert.deepEqual(await labels(), { contract: 'c1c0a1b2c3d4', expand: 'e1c0a1b2c3d4' });
    const cli = path.join(t.dir, 'labelled', 'app', 'cli.py');
    fs.writeFileSync(cli, fs.readFileSync(cli, 'utf8').replace('"contract"', '"shrink"'));
    await ws.update('app/cli.py');
    assert.deepEqual(await labels(), { expand: 'e1c0a1b2c3d4', shrink: 'c1c0a1b2c3d4' });
  });

  it('a new revision file is picked up, and a deleted one dropped', async () => {
    const ws = await Workspace.open(t.dir, { noGit: true });
    await migrationsAnalyzer.run(ws);
    const rel = `${AI}/d00d00d00d00_next.py`;
    fs.writeFileSync(path.join(t.dir, rel), "revision = 'd00d00d00d00'\ndown_revision = '2f530cc0c41d'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n");
    await ws.update(rel);
    const withNew = await migrationsAnalyzer.run(ws);
    assert.deepEqual(withNew.data.environments.find((e) => e.root === AI)?.heads, ['c3fab9fc4213', 'd00d00d00d00']);
    fs.rmSync(path.join(t.dir, rel));
    await ws.update(rel);
    const after = await migrationsAnalyzer.run(ws);
    assert.deepEqual(after.data.environments.find((e) => e.root === AI)?.heads, ['c3fab9fc4213']);
  });

  it('codenav migrations: exit 0 on the clean sample, 1 on the faulty one, with the contract fields', async () => {
    const run = async (fixture: string, ...args: string[]) => {
      let out = '';
      const code = await main(['migrations', path.join(repoRoot(), 'test', 'fixtures', fixture), ...args], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: repoRoot() });
      return { code, out };
    };
    const clean = await run('sample', '--format', 'json');
    assert.equal(clean.code, 0);
    const json = JSON.parse(clean.out);
    for (const e of json.environments) for (const k of ['tool', 'root', 'revisions', 'heads', 'bases', 'merges']) assert.ok(k in e, `environments[].${k}`);
    assert.deepEqual(json.findings, []);
    const faulty = await run('sample-faulty');
    assert.equal(faulty.code, 1);
    assert.match(faulty.out, /backend\/alembic \(alembic, backend\/alembic\.ini\): 20 revisions in backend\/alembic\/versions, 2 heads: 9d985ae16eff \(billing\), 9f955a680dc9 \(billing\)/);
    assert.match(faulty.out, /✖ 10 problems \(7 errors, 3 warnings, 0 info\)/);
    const github = await run('sample-faulty', '--format', 'github');
    assert.match(github.out, /::error file=.*9d985ae16eff_add_invoice_pdf_url\.py,line=15/);
  });
});
