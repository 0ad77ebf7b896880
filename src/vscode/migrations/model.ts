import type { EnvironmentSummary, RevisionNode } from '../../core/migrations/summary';

/**
 * The Migrations view's tree, without VS Code: environment → heads → the
 * chain back to the base (first parents, paged), with a merge's other
 * parents as expandable branches. Children are computed only when asked
 * for, so a 1,000-revision history costs one page.
 */
export type MigNode = EnvNode | RevNode | MoreNode;

export interface EnvNode {
  kind: 'env';
  id: string;
  folder: string;
  env: EnvironmentSummary;
}

export interface RevNode {
  kind: 'rev';
  id: string;
  folder: string;
  env: EnvironmentSummary;
  rev: RevisionNode;
  /** `head` under an environment, `chain` in a head's chain, `branch` for a merge's other parent. */
  role: 'head' | 'chain' | 'branch';
  parent: EnvNode | RevNode;
}

export interface MoreNode {
  kind: 'more';
  id: string;
  parent: RevNode;
  remaining: number;
}

interface EnvIndex {
  byId: Map<string, RevisionNode>;
  children: Map<string, string[]>;
}

export const PAGE_SIZE = 100;

export class MigrationsModel {
  private envs = new Map<string, EnvironmentSummary[]>();
  private readonly indexes = new WeakMap<EnvironmentSummary, EnvIndex>();
  private readonly cache = new Map<string, MigNode[]>();
  private readonly pages = new Map<string, number>();

  constructor(private readonly pageSize = PAGE_SIZE) {}

  /** Replaces one folder's environments (keyed by folder URI). */
  setEnvironments(folder: string, envs: readonly EnvironmentSummary[]): void {
    if (envs.length) this.envs.set(folder, [...envs]);
    else this.envs.delete(folder);
    for (const k of [...this.cache.keys()]) if (k.startsWith(`${folder}|`)) this.cache.delete(k);
    this.cache.delete('');
  }

  folders(): string[] {
    return [...this.envs.keys()];
  }

  environments(folder?: string): { folder: string; env: EnvironmentSummary }[] {
    return [...this.envs].filter(([f]) => !folder || f === folder).flatMap(([f, list]) => list.map((env) => ({ folder: f, env })));
  }

  /** Top level: every environment of every folder. */
  roots(): EnvNode[] {
    const hit = this.cache.get('');
    if (hit) return hit as EnvNode[];
    const out: EnvNode[] = this.environments().map(({ folder, env }) => ({ kind: 'env', id: `${folder}|${env.tool}:${env.root}`, folder, env }));
    this.cache.set('', out);
    return out;
  }

  children(node: MigNode): MigNode[] {
    if (node.kind === 'more') return [];
    const hit = this.cache.get(node.id);
    if (hit) return hit;
    const out = node.kind === 'env' ? this.heads(node) : this.revChildren(node);
    this.cache.set(node.id, out);
    return out;
  }

  /** Shows the next page of a chain; returns the node whose children changed. */
  showMore(more: MoreNode): RevNode {
    this.pages.set(more.parent.id, (this.pages.get(more.parent.id) ?? 1) + 1);
    this.cache.delete(more.parent.id);
    return more.parent;
  }

  hasChildren(node: MigNode): boolean {
    if (node.kind === 'env') return node.env.heads.length > 0;
    if (node.kind === 'more') return false;
    return node.role === 'chain' ? node.rev.down.length > 1 : node.rev.down.length > 0;
  }

  index(env: EnvironmentSummary): EnvIndex {
    let idx = this.indexes.get(env);
    if (!idx) {
      const byId = new Map(env.history.map((r) => [r.id, r]));
      const children = new Map<string, string[]>();
      for (const r of env.history) for (const p of r.down) children.set(p, [...(children.get(p) ?? []), r.id]);
      idx = { byId, children };
      this.indexes.set(env, idx);
    }
    return idx;
  }

  private heads(node: EnvNode): RevNode[] {
    const { byId } = this.index(node.env);
    return node.env.heads
      .map((h) => byId.get(h))
      .filter((r): r is RevisionNode => !!r)
      .map((rev) => ({ kind: 'rev', id: `${node.id}/${rev.id}`, folder: node.folder, env: node.env, rev, role: 'head', parent: node }));
  }

  /** The first-parent chain below `start` (exclusive), stopping at `stop` ids; guarded against cycles. */
  private chain(env: EnvironmentSummary, start: RevisionNode, stop: ReadonlySet<string>, limit: number): { revs: RevisionNode[]; total: number } {
    const { byId } = this.index(env);
    const revs: RevisionNode[] = [];
    const seen = new Set<string>([start.id]);
    let total = 0;
    let cur = start.down[0] !== undefined ? byId.get(start.down[0]) : undefined;
    while (cur && !seen.has(cur.id) && !stop.has(cur.id)) {
      seen.add(cur.id);
      if (revs.length < limit) revs.push(cur);
      total++;
      cur = cur.down[0] !== undefined ? byId.get(cur.down[0]) : undefined;
    }
    return { revs, total };
  }

  private revChildren(node: RevNode): MigNode[] {
    const { byId } = this.index(node.env);
    const make = (rev: RevisionNode, role: RevNode['role']): RevNode => ({ kind: 'rev', id: `${node.id}/${rev.id}`, folder: node.folder, env: node.env, rev, role, parent: node });
    // A merge's other parents, each opening its own branch.
    const branches = node.rev.down
      .slice(1)
      .map((p) => byId.get(p))
      .filter((r): r is RevisionNode => !!r)
      .map((r) => make(r, 'branch'));
    if (node.role === 'chain') return branches;
    const limit = (this.pages.get(node.id) ?? 1) * this.pageSize;
    // A branch stops where it meets the main line (the merge's first parent and its ancestors).
    const stop = node.role === 'branch' && node.parent.kind === 'rev' ? this.ancestors(node.env, node.parent.rev.down[0]) : new Set<string>();
    const { revs, total } = this.chain(node.env, node.rev, stop, limit);
    const out: MigNode[] = [...branches, ...revs.map((r) => make(r, 'chain'))];
    if (total > revs.length) out.push({ kind: 'more', id: `${node.id}/…more`, parent: node, remaining: total - revs.length });
    return out;
  }

  private ancestors(env: EnvironmentSummary, id: string | undefined): Set<string> {
    const { byId } = this.index(env);
    const seen = new Set<string>();
    const todo = id !== undefined ? [id] : [];
    while (todo.length) {
      const cur = todo.pop()!;
      if (seen.has(cur)) continue;
      seen.add(cur);
      todo.push(...(byId.get(cur)?.down ?? []));
    }
    return seen;
  }

  /**
   * The nodes from an environment down to the revision declared in `file`,
   * opening pages as needed (breadth first: heads, then chains, then merge
   * branches). `opened` lists the nodes that got more children on the way.
   */
  pathTo(folder: string, file: string, opened: RevNode[] = []): RevNode[] | undefined {
    for (const envNode of this.roots().filter((r) => r.folder === folder)) {
      const target = envNode.env.history.find((r) => r.file === file);
      if (!target) continue;
      const queue: RevNode[] = [...(this.children(envNode) as RevNode[])];
      const seen = new Set<string>();
      while (queue.length) {
        const n = queue.shift()!;
        if (n.rev.id === target.id) return this.lineage(n);
        if (seen.has(n.id) || !this.hasChildren(n)) continue;
        seen.add(n.id);
        let kids = this.children(n);
        while (kids.length && kids[kids.length - 1].kind === 'more' && !kids.some((k) => k.kind === 'rev' && k.rev.id === target.id)) {
          const more = kids[kids.length - 1] as MoreNode;
          if (!this.chainContains(n, target.id)) break;
          this.showMore(more);
          if (!opened.includes(n)) opened.push(n);
          kids = this.children(n);
        }
        queue.push(...(kids.filter((k) => k.kind === 'rev') as RevNode[]));
      }
    }
    return undefined;
  }

  private chainContains(node: RevNode, id: string): boolean {
    return this.chain(node.env, node.rev, new Set(), Number.MAX_SAFE_INTEGER).revs.some((r) => r.id === id);
  }

  private lineage(n: RevNode): RevNode[] {
    const out: RevNode[] = [n];
    let p = n.parent;
    while (p.kind === 'rev') {
      out.unshift(p);
      p = p.parent;
    }
    return out;
  }
}
