/** Small graph algorithms over string node ids, shared by the Alembic and Django graphs. */

export type Edges = ReadonlyMap<string, readonly string[]>;

/**
 * Strongly connected components that form cycles (more than one node, or a
 * node with an edge to itself). Iterative Tarjan, so long chains never
 * overflow the stack.
 */
export function cycles(nodes: readonly string[], next: Edges): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = next.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.node);
        if (comp.length > 1 || (next.get(frame.node) ?? []).includes(frame.node)) out.push(comp.reverse());
      }
    }
  }
  return out;
}

/** Every node reachable from `start` (itself included). */
export function reachable(start: string, next: Edges): Set<string> {
  const seen = new Set<string>([start]);
  const todo = [start];
  while (todo.length) {
    for (const n of next.get(todo.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
    }
  }
  return seen;
}

/**
 * The latest common ancestors of some nodes (`parents` edges): common
 * ancestors that are not an ancestor of another common ancestor. Where
 * branches diverged.
 */
export function latestCommonAncestors(heads: readonly string[], parents: Edges): string[] {
  if (heads.length < 2) return [];
  let common: Set<string> | undefined;
  for (const h of heads) {
    const anc = reachable(h, parents);
    common = common ? new Set([...common].filter((x) => anc.has(x))) : anc;
  }
  if (!common?.size) return [];
  // Strict ancestors of common ancestors, in one walk.
  const covered = new Set<string>();
  const todo: string[] = [];
  const visit = (n: string) => {
    for (const p of parents.get(n) ?? []) {
      if (!covered.has(p)) {
        covered.add(p);
        todo.push(p);
      }
    }
  };
  common.forEach(visit);
  while (todo.length) visit(todo.pop()!);
  return [...common].filter((c) => !covered.has(c)).sort();
}

/** Reverses an edge map. */
export function invert(nodes: readonly string[], edges: Edges): Map<string, string[]> {
  const out = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const [from, tos] of edges) for (const to of tos) out.get(to)?.push(from);
  return out;
}
