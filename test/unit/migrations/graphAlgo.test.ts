import * as assert from 'node:assert/strict';
import { cycles } from '../../../src/core/migrations/graphAlgo';
import { Rng } from '../../bench/gen/prng';

/** The cycles by definition, each as its sorted node names joined: nodes reachable from each other, found by a walk from every node. */
function cyclesByReachability(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(next.get(from) ?? [])];
    while (todo.length) {
      const n = todo.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(...(next.get(n) ?? []));
    }
    return seen;
  };
  // Every node the walk can meet, from the given ones and through edges, with what it reaches.
  const reached = new Map<string, Set<string>>();
  for (const todo = [...nodes]; todo.length; ) {
    const n = todo.pop()!;
    if (reached.has(n)) continue;
    const r = reach(n);
    reached.set(n, r);
    todo.push(...r);
  }
  const done = new Set<string>();
  const out: string[] = [];
  for (const [n, fromN] of reached) {
    if (done.has(n)) continue;
    const comp = [...reached.keys()].filter((m) => m === n || (fromN.has(m) && reached.get(m)!.has(n)));
    comp.forEach((m) => done.add(m));
    if (comp.length > 1 || fromN.has(n)) out.push(comp.sort().join(' '));
  }
  return out.sort();
}

describe('migrations: graph algorithms', () => {
  it('cycles: a ring, a self-edge, and a chain without one', () => {
    const next = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['d', 'a']],
      ['e', ['d']],
    ]);
    assert.deepEqual(cycles(['a', 'b', 'c', 'd', 'e'], next), [['a', 'b', 'c'], ['d']]);
    assert.deepEqual(cycles(['e'], next), [['a', 'b', 'c'], ['d']], 'nodes reached through edges count too');
    assert.deepEqual(cycles(['x', 'y'], new Map([['x', ['y']]])), []);
  });

  it('cycles: the same components as reachability finds, on 2,000 random graphs', () => {
    const rng = new Rng(20251122);
    let withCycles = 0;
    for (let t = 0; t < 2000; t++) {
      const names = Array.from({ length: rng.int(1, 30) }, (_, i) => `n${i}`);
      const next = new Map<string, string[]>();
      for (const n of names) if (rng.chance(0.85)) next.set(n, Array.from({ length: rng.int(0, 2) }, () => rng.pick(names)));
      const nodes = names.filter(() => rng.chance(0.8));
      const expected = cyclesByReachability(nodes, next);
      const got = cycles(nodes, next).map((c) => [...c].sort().join(' ')).sort();
      assert.deepEqual(got, expected, `graph ${t}: ${JSON.stringify([...next])} from ${nodes.join(',')}`);
      if (expected.length) withCycles++;
    }
    assert.ok(withCycles > 500, `${withCycles} graphs with a cycle`);
  });
});
