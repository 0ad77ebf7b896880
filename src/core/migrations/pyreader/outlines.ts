import type { Workspace } from '../../workspace/workspace';
import { outlineFromFacts, readOutline, type ModuleOutline } from './outline';

/**
 * Module outlines by content hash: the fast reader first, the tree-sitter
 * facts when the file uses something the fast reader leaves out. Bounded.
 */
export class OutlineCache {
  private readonly byHash = new Map<string, ModuleOutline>();
  /** Focused outlines (see `readOutline`), by focus, then by the file's stamp (see `Workspace.stamp`). */
  private readonly focused = new Map<string, Map<number, ModuleOutline | null>>();

  constructor(private readonly capacity = 20_000) {}

  /** From text already in hand (the git base, the benchmark). */
  async fromText(hash: string, text: string, parseFull: (text: string) => Promise<ModuleOutline>): Promise<ModuleOutline> {
    const hit = this.byHash.get(hash);
    if (hit) return hit;
    const outline = readOutline(text) ?? (await parseFull(text));
    this.byHash.set(hash, outline);
    if (this.byHash.size > this.capacity) this.byHash.delete(this.byHash.keys().next().value!);
    return outline;
  }

  /**
   * A workspace file's outline focused on the statements that mention `focus`
   * (see `readOutline`), when the fast reader gives one that `accept` takes;
   * otherwise undefined, and the caller asks for the whole outline (`of`).
   */
  focusedNow(ws: Workspace, rel: string, focus: RegExp, accept: (o: ModuleOutline) => boolean): ModuleOutline | undefined {
    const text = ws.text(rel);
    const stamp = ws.stamp(rel);
    if (text === undefined || stamp === undefined) return undefined;
    let byStamp = this.focused.get(focus.source);
    if (!byStamp) this.focused.set(focus.source, (byStamp = new Map()));
    let hit = byStamp.get(stamp);
    if (hit === undefined) {
      const o = readOutline(text, focus);
      hit = o && accept(o) ? o : null;
      byStamp.set(stamp, hit);
      if (byStamp.size > this.capacity) byStamp.delete(byStamp.keys().next().value!);
    }
    return hit ?? undefined;
  }

  /** A workspace file's outline; undefined when it cannot be read. */
  async of(ws: Workspace, rel: string): Promise<ModuleOutline | undefined> {
    const text = ws.text(rel);
    const hash = ws.hash(rel);
    if (text === undefined || hash === undefined) return undefined;
    return this.fromText(hash, text, async (t) => {
      const facts = await ws.python(rel);
      if (!facts) throw new Error(ws.problems.get(rel) ?? 'not parsed');
      return outlineFromFacts(facts, t);
    });
  }
}
