import type { Workspace } from '../../workspace/workspace';
import { outlineFromFacts, readOutline, type ModuleOutline } from './outline';

/**
 * Module outlines by content hash: the fast reader first, the tree-sitter
 * facts when the file uses something the fast reader leaves out. Bounded.
 */
export class OutlineCache {
  private readonly byHash = new Map<string, ModuleOutline>();

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
