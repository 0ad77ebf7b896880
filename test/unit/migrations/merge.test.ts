import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { migrationsAnalyzer, planMergeFor } from '../../../src/core/migrations';
import { BUILTIN_TEMPLATE, renderPlainMako } from '../../../src/core/migrations/mergeWriter';
import { readOutline } from '../../../src/core/migrations/pyreader/outline';
import { Workspace } from '../../../src/core/workspace/workspace';
import { repoRoot, tempDir, writeTree } from '../../support/tmp';
import { revisionPy } from './helpers';
import { runOracle } from './oracle';

const V = 'backend/alembic/versions';

/** A copy of the clean sample with a second head on ecf891e89b57's parent. */
function branchedSample(dir: string): void {
  fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'sample', 'backend'), path.join(dir, 'backend'), { recursive: true });
  writeTree(dir, { [`${V}/2025_04_09_1200-bbbb00000001_side_branch.py`]: revisionPy('bbbb00000001', 'eef279a4303f', { message: 'side branch', date: '2025-04-09 12:00:00.000000' }) });
}

describe('migrations: the merge migration writer', function () {
  this.timeout(60_000);
  let t: { dir: string; cleanup: () => void };
  beforeEach(() => (t = tempDir('codenav-merge-')));
  afterEach(() => t.cleanup());

  it("writes a merge from the environment's plain script.py.mako that real Alembic sees as the one head", async () => {
    branchedSample(t.dir);
    const ws = await Workspace.open(t.dir, { noGit: true });
    const before = await migrationsAnalyzer.run(ws);
    assert.deepEqual(before.data.environments.find((e) => e.root === V)?.heads, ['ecf891e89b57', 'bbbb00000001']);
    const now = new Date(2025, 4, 6, 7, 8, 9);
    const plan = planMergeFor(ws, V, { now });
    assert.ok(!(plan instanceof Error), String(plan));
    assert.equal(plan.template, 'backend/alembic/script.py.mako');
    assert.match(plan.revision, /^[0-9a-f]{12}$/);
    assert.equal(plan.file, `${V}/2025_05_06_0708-${plan.revision}_merge_heads.py`);
    assert.match(plan.content, /^"""merge heads\n\nRevision ID: [0-9a-f]{12}\nRevises: ecf891e89b57, bbbb00000001\nCreate Date: 2025-05-06 07:08:09\.000000\n/);
    assert.match(plan.content, /\ndown_revision: Union\[str, None\] = \('ecf891e89b57', 'bbbb00000001'\)\n/);
    assert.ok(readOutline(plan.content), 'the fast reader reads the written file');
    writeTree(t.dir, { [plan.file]: plan.content });
    await ws.update(plan.file);
    const after = await migrationsAnalyzer.run(ws);
    assert.deepEqual(after.data.environments.find((e) => e.root === V)?.heads, [plan.revision]);
    assert.deepEqual(after.findings, [], 'the new file follows the naming rule and needs no downgrade');
    const oracle = runOracle<Record<string, { heads: string[] }>>('alembic_heads.py', [path.join(t.dir, 'backend', 'alembic.ini')]);
    assert.deepEqual(Object.values(oracle)[0].heads, [plan.revision]);
  });

  it('falls back to the built-in template when script.py.mako has Mako logic, and never overwrites', async () => {
    branchedSample(t.dir);
    const mako = path.join(t.dir, 'backend', 'alembic', 'script.py.mako');
    fs.writeFileSync(mako, fs.readFileSync(mako, 'utf8').replace('${imports if imports else ""}', '% if imports:\n${imports}\n% endif'));
    const ws = await Workspace.open(t.dir, { noGit: true });
    await migrationsAnalyzer.run(ws);
    const plan = planMergeFor(ws, V, { newId: () => 'cafe00000001', now: new Date(2025, 0, 2, 3, 4, 5) });
    assert.ok(!(plan instanceof Error));
    assert.equal(plan.template, 'built-in');
    assert.equal(plan.content, renderPlainMako(BUILTIN_TEMPLATE, { message: 'merge heads', id: 'cafe00000001', heads: ['ecf891e89b57', 'bbbb00000001'], createDate: '2025-01-02 03:04:05.000000' }));
    writeTree(t.dir, { [plan.file]: '# somebody was faster\n' });
    const again = planMergeFor(ws, V, { newId: () => 'cafe00000001', now: new Date(2025, 0, 2, 3, 4, 5) });
    assert.ok(again instanceof Error && /already exists; not overwriting/.test(again.message));
  });

  it('refuses an environment with one head, and an unknown one', async () => {
    fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'sample', 'backend'), path.join(t.dir, 'backend'), { recursive: true });
    const ws = await Workspace.open(t.dir, { noGit: true });
    await migrationsAnalyzer.run(ws);
    assert.match(String(planMergeFor(ws, V)), /has 1 head: nothing to merge/);
    assert.match(String(planMergeFor(ws, 'nowhere/versions')), /no Alembic environment at nowhere\/versions/);
  });
});
