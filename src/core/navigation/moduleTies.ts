/**
 * Which modules must run again when one does: the modules that import it,
 * and the modules a framework layer ties to it (one that added routes to a
 * router another made). Kept as modules run, and dropped for modules that
 * are forgotten (they tie themselves again when they run again), so finding
 * what a save affects costs only what it affects.
 */
export class ModuleTies {
  /** Module → the modules tied to it, and the reverse. */
  private readonly down = new Map<string, Set<string>>();
  private readonly up = new Map<string, Set<string>>();

  /** `b` must run again whenever `a` does. */
  tie(a: string, b: string): void {
    if (a === b) return;
    const down = this.down.get(a);
    if (down) down.add(b);
    else this.down.set(a, new Set([b]));
    const up = this.up.get(b);
    if (up) up.add(a);
    else this.up.set(b, new Set([a]));
  }

  /** The modules in `changed` and every module tied to one of them, transitively. */
  affected(changed: Iterable<string>): Set<string> {
    const out = new Set(changed);
    const queue = [...out];
    while (queue.length) {
      for (const next of this.down.get(queue.pop()!) ?? []) {
        if (out.has(next)) continue;
        out.add(next);
        queue.push(next);
      }
    }
    return out;
  }

  /** Drops a module's ties, both ways. */
  drop(file: string): void {
    for (const a of this.up.get(file) ?? []) this.down.get(a)?.delete(file);
    for (const b of this.down.get(file) ?? []) this.up.get(b)?.delete(file);
    this.up.delete(file);
    this.down.delete(file);
  }
}
