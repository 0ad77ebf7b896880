/** Small graph algorithms over string node ids, shared by the Alembic and Django graphs. */

export type Edges = ReadonlyMap<string, readonly string[]>;

/**
 * Strongly connected components that form cycles (more than one node, or a
 * node with an edge to itself). Iterative Tarjan, so long chains never
 * overflow the stack; nodes are numbered on first sight and the bookkeeping
 * lives in arrays, not in maps keyed by id.
 */
export function cycles(nodes: readonly string[], next: Edges): string[][] {
  const ids: string[] = [];
  const numberOf = new Map<string, number>();
  const index: number[] = [];
  const low: number[] = [];
  const onStack: boolean[] = [];
  const succ: (number[] | undefined)[] = [];
  const number = (id: string): number => {
    let v = numberOf.get(id);
    if (v === undefined) {
      v = ids.length;
      ids.push(id);
      numberOf.set(id, v);
      index.push(-1);
      low.push(0);
      onStack.push(false);
      succ.push(undefined);
    }
    return v;
  };
  const successors = (v: number): number[] => (succ[v] ??= (next.get(ids[v]) ?? []).map(number));
  let counter = 0;
  const stack: number[] = [];
  const out: string[][] = [];
  // The depth-first walk's frames: a node and how many of its successors it has tried.
  const frameNode: number[] = [];
  const frameNext: number[] = [];
  const enter = (v: number) => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
    frameNode.push(v);
    frameNext.push(0);
  };
  for (const root of nodes) {
    const r = number(root);
    if (index[r] >= 0) continue;
    enter(r);
    while (frameNode.length) {
      const top = frameNode.length - 1;
      const v = frameNode[top];
      const succs = successors(v);
      if (frameNext[top] < succs.length) {
        const w = succs[frameNext[top]++];
        if (index[w] < 0) enter(w);
        else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      frameNode.pop();
      frameNext.pop();
      if (frameNode.length) {
        const parent = frameNode[frameNode.length - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] === index[v]) {
        const comp: string[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(ids[w]);
        } while (w !== v);
        if (comp.length > 1 || succs.includes(v)) out.push(comp.reverse());
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
