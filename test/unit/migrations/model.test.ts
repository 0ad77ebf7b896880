import * as assert from 'node:assert/strict';
import type { EnvironmentSummary, RevisionNode } from '../../../src/core/migrations/summary';
import { MigrationsModel, type MigNode, type RevNode } from '../../../src/vscode/migrations/model';

function env(history: RevisionNode[], heads: string[]): EnvironmentSummary {
  return {
    tool: 'alembic',
    name: 'db',
    root: 'db/versions',
    versions: ['db/versions'],
    config: 'alembic.ini',
    scriptDir: 'db',
    revisions: history.length,
    heads,
    bases: history.filter((h) => !h.down.length).map((h) => h.id),
    merges: history.filter((h) => h.down.length > 1).map((h) => h.id),
    branchPoints: [],
    branchLabels: {},
    fileTemplate: null,
    history,
  };
}

const rev = (id: string, down: string[]): RevisionNode => ({ id, file: `db/versions/${id}.py`, line: 12, down, dependsOn: [], labels: [], carried: [] });

/** r0 … r{n-1} in a line, with a side branch s1 → s2 off r10 merged back at m (on r{n-1}). */
function history(n: number): EnvironmentSummary {
  const h: RevisionNode[] = [];
  for (let i = 0; i < n; i++) h.push(rev(`r${i}`, i ? [`r${i - 1}`] : []));
  h.push(rev('s1', ['r10']), rev('s2', ['s1']), rev('m', [`r${n - 1}`, 's2']), rev('x', ['r5']));
  return env(h, ['m', 'x']);
}

const ids = (nodes: MigNode[]) => nodes.map((n) => (n.kind === 'rev' ? n.rev.id : n.kind === 'more' ? `…${n.remaining}` : n.env.name));

describe('migrations: the Migrations view model', () => {
  it('opens a 1,000-revision history one page at a time', () => {
    const model = new MigrationsModel(100);
    model.setEnvironments('file:///w', [history(1000)]);
    const started = performance.now();
    const [envNode] = model.roots();
    const heads = model.children(envNode);
    const chain = model.children(heads[0]);
    const elapsed = performance.now() - started;
    assert.deepEqual(ids(heads), ['m', 'x']);
    assert.equal(chain.length, 102, 'the merge branch, 100 revisions, and "more"');
    assert.deepEqual(ids(chain).slice(0, 3), ['s2', 'r999', 'r998']);
    assert.equal(ids(chain)[101], '…900');
    assert.ok(elapsed < 50, `took ${elapsed} ms`);
    const parent = model.showMore(chain[101] as Extract<MigNode, { kind: 'more' }>);
    assert.equal(parent, heads[0]);
    assert.equal(model.children(heads[0]).length, 202);
    assert.equal(model.children(heads[0]), model.children(heads[0]), 'children are cached, so identities hold for reveal');
  });

  it("shows a merge's other parent as a branch that stops where it meets the main line", () => {
    const model = new MigrationsModel(100);
    model.setEnvironments('file:///w', [history(20)]);
    const [m] = model.children(model.roots()[0]) as RevNode[];
    assert.ok(model.hasChildren(m));
    const [branch, ...chain] = model.children(m) as RevNode[];
    assert.equal(chain.length, 20);
    assert.deepEqual([branch.rev.id, branch.role], ['s2', 'branch']);
    const inChain = { ...m, role: 'chain' as const, id: `${m.id}/as-chain` };
    assert.deepEqual(ids(model.children(inChain)), ['s2'], 'a merge inside a chain opens only its other parents');
    assert.deepEqual(ids(model.children(branch)), ['s1'], 'stops before r10, which is on the main line');
    const x = model.children(model.roots()[0])[1];
    assert.deepEqual(ids(model.children(x)), ['r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
  });

  it('finds the path to a revision file, opening pages as needed', () => {
    const model = new MigrationsModel(100);
    model.setEnvironments('file:///w', [history(1000)]);
    const lineage = model.pathTo('file:///w', 'db/versions/r3.py')!;
    assert.deepEqual(lineage.map((n) => n.rev.id), ['m', 'r3']);
    assert.ok(model.children(lineage[0]).includes(lineage[1]), 'the revealed node is one the tree returns');
    assert.deepEqual(model.pathTo('file:///w', 'db/versions/s1.py')?.map((n) => n.rev.id), ['m', 's2', 's1']);
    assert.equal(model.pathTo('file:///w', 'db/versions/nope.py'), undefined);
    model.setEnvironments('file:///w', []);
    assert.deepEqual(model.roots(), []);
  });
});
