import { literalPrefix, parsePattern, tokensIntersect, type Token } from './glob';
import { flatText, keyTokens, nearMiss, type LinkedUnit } from './link';
import type { CacheInvalidation, CacheRead, CacheWrite } from './model';
import { PrefixIndex } from './prefix';
import { keyEntity } from './settings';

/** A key or pattern as tokens, with its flat text (for near misses) and literal prefix, worked out once per text. */
interface Parsed {
  toks: Token[];
  flat: string;
  lit: string;
}

const MEMO_LIMIT = 50_000;
const parsedPatterns = new Map<string, Parsed>();
const parsedKeys = new Map<string, Parsed | undefined>();

function remember<V>(memo: Map<string, V>, text: string, make: () => V): V {
  if (memo.has(text)) return memo.get(text) as V;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const v = make();
  memo.set(text, v);
  return v;
}

function parsed(toks: Token[]): Parsed {
  return { toks, flat: flatText(toks), lit: literalPrefix(toks) };
}

function patternOf(pattern: string): Parsed {
  return remember(parsedPatterns, pattern, () => parsed(parsePattern(pattern)));
}

function keyOf(r: CacheRead): Parsed | undefined {
  return remember(parsedKeys, `${r.keyKind}\0${r.hasArgs}\0${r.key}`, () => {
    const toks = keyTokens(r);
    return toks ? parsed(toks) : undefined;
  });
}

/** Files in workspace order, for ordering items of several files. */
export type Rank = ReadonlyMap<string, number>;

/** An item of a file, `i`-th of its kind in that file. */
export interface Placed {
  file: string;
  i: number;
}

/** Workspace order: by file, then by place in the file. */
export function inOrder<T extends Placed>(rank: Rank, items: T[]): T[] {
  return items.sort((a, b) => rank.get(a.file)! - rank.get(b.file)! || a.i - b.i);
}

/** A cached read with a matchable key. */
export interface KeyedRead extends Parsed, Placed {
  u: LinkedUnit;
  r: CacheRead;
}

/** A cached read, for the rules that look for reads of an entity. */
export interface PlacedRead extends Placed {
  u: LinkedUnit;
  r: CacheRead;
}

export type Miss = { reason: string; suggestion?: string };

/** What one pattern reaches: reads it matches, and reads it almost matches (with why), each in workspace order. */
export interface PatternReach {
  hits: KeyedRead[];
  hit: Set<KeyedRead>;
  nearOf: Map<KeyedRead, { miss: Miss; sameEntity: boolean }>;
  near: { x: KeyedRead; miss: Miss; sameEntity: boolean }[];
}

function push<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

function drop<K, V>(map: Map<K, V[]>, key: K, v: V): void {
  const list = map.get(key) ?? [];
  const at = list.indexOf(v);
  if (at >= 0) list.splice(at, 1);
  if (!list.length) map.delete(key);
}

/**
 * Every cached key of the workspace, filed by literal prefix and by flat text,
 * so that a pattern is compared only with the keys that share its prefix
 * (keys with different leading literals never meet). Files are added and
 * removed as they change; what a pattern reaches is memoised by its text
 * until the keys change.
 */
export class KeyIndex {
  private readonly files = new Map<string, { reads: PlacedRead[]; keyed: KeyedRead[]; entities: [string, PlacedRead][] }>();
  private readonly byRead = new Map<CacheRead, KeyedRead>();
  private readonly byLit = new PrefixIndex<KeyedRead>();
  private readonly byFlat = new PrefixIndex<KeyedRead>();
  private readonly reaches = new Map<string, PatternReach>();
  private keyedCount = 0;
  private readonly entities = new Map<string, PlacedRead[]>();
  private readonly unsorted = new Set<string>();

  constructor(private readonly rank: Rank) {}

  /** Whether any read has a matchable key. */
  get anyKeyed(): boolean {
    return this.keyedCount > 0;
  }

  add(file: string, units: readonly LinkedUnit[]): void {
    const own = { reads: [] as PlacedRead[], keyed: [] as KeyedRead[], entities: [] as [string, PlacedRead][] };
    for (const u of units) {
      for (const r of u.reads) {
        const placed: PlacedRead = { u, r, file, i: own.reads.length };
        own.reads.push(placed);
        const e = r.key ? keyEntity(r.key) : undefined;
        if (e) {
          own.entities.push([e, placed]);
          push(this.entities, e, placed);
          this.unsorted.add(e);
        }
        const p = keyOf(r);
        if (!p) continue;
        const x: KeyedRead = { ...p, u, r, file, i: placed.i };
        own.keyed.push(x);
        this.byRead.set(r, x);
        this.byLit.add(x.lit, x);
        this.byFlat.add(x.flat, x);
      }
    }
    this.files.set(file, own);
    this.keyedCount += own.keyed.length;
    this.reaches.clear();
  }

  remove(file: string): void {
    const own = this.files.get(file);
    if (!own) return;
    for (const [e, placed] of own.entities) drop(this.entities, e, placed);
    for (const x of own.keyed) {
      this.byRead.delete(x.r);
      this.byLit.remove(x.lit, x);
      this.byFlat.remove(x.flat, x);
    }
    this.files.delete(file);
    this.keyedCount -= own.keyed.length;
    this.reaches.clear();
  }

  /** Cached reads whose key is about an entity (`booking:{id}` → booking), in workspace order. */
  byEntity(entity: string): readonly PlacedRead[] | undefined {
    const list = this.entities.get(entity);
    if (list && this.unsorted.delete(entity)) inOrder(this.rank, list);
    return list;
  }

  entry(r: CacheRead): KeyedRead | undefined {
    return this.byRead.get(r);
  }

  /** In-process reads of a file whose store (`fn:get_settings`) a `cache_clear()` empties. */
  storeReads(file: string, store: string): PlacedRead[] {
    return (this.files.get(file)?.reads ?? []).filter((x) => x.r.store === store);
  }

  /** Keyed reads a pattern could reach or almost reach: those whose literal prefix or flat text is related to the pattern's, in workspace order. */
  related(pattern: string): KeyedRead[] {
    const p = patternOf(pattern);
    return inOrder(this.rank, [...new Set([...this.byLit.related(p.lit), ...this.byFlat.related(p.flat)])]);
  }

  /** The reads a Redis glob pattern reaches or almost reaches. */
  reach(pattern: string): PatternReach {
    let out = this.reaches.get(pattern);
    if (!out) {
      out = this.compute(pattern);
      this.reaches.set(pattern, out);
    }
    return out;
  }

  private compute(pattern: string): PatternReach {
    const p = patternOf(pattern);
    const entity = keyEntity(pattern);
    const out: PatternReach = { hits: [], hit: new Set(), nearOf: new Map(), near: [] };
    for (const x of this.related(pattern)) {
      if ((x.lit.startsWith(p.lit) || p.lit.startsWith(x.lit)) && tokensIntersect(p.toks, x.toks)) {
        out.hits.push(x);
        out.hit.add(x);
      } else if (x.flat.startsWith(p.flat) || p.flat.startsWith(x.flat)) {
        const miss = nearMiss(p.toks, x.toks, pattern, { p: p.flat, k: x.flat });
        if (!miss) continue;
        const n = { miss, sameEntity: entity === keyEntity(x.r.key ?? '') };
        out.near.push({ x, ...n });
        out.nearOf.set(x, n);
      }
    }
    return out;
  }
}

/** One static invalidation of one write. */
export interface Writer extends Placed {
  u: LinkedUnit;
  w: CacheWrite;
  inv: CacheInvalidation;
}

/** Every static invalidation of the workspace, filed like the keys, to find the writes that may reach a given read. */
export class WriterIndex {
  private readonly files = new Map<string, Writer[]>();
  private readonly byLit = new PrefixIndex<Writer>();
  private readonly byFlat = new PrefixIndex<Writer>();

  constructor(private readonly rank: Rank) {}

  add(file: string, units: readonly LinkedUnit[]): void {
    const own: Writer[] = [];
    for (const u of units)
      for (const w of u.writes)
        for (const inv of w.invalidations) {
          if (inv.dynamic) continue;
          const e: Writer = { u, w, inv, file, i: own.length };
          own.push(e);
          if (inv.store) continue;
          const p = patternOf(inv.pattern);
          this.byLit.add(p.lit, e);
          this.byFlat.add(p.flat, e);
        }
    this.files.set(file, own);
  }

  remove(file: string): void {
    for (const e of this.files.get(file) ?? []) {
      if (e.inv.store) continue;
      const p = patternOf(e.inv.pattern);
      this.byLit.remove(p.lit, e);
      this.byFlat.remove(p.flat, e);
    }
    this.files.delete(file);
  }

  /** Invalidations that may reach a read of `file`, in workspace order: patterns related to its key, clears of its store. */
  related(file: string, r: CacheRead, x: KeyedRead | undefined): Writer[] {
    const found = new Set<Writer>();
    if (x) {
      for (const e of this.byLit.related(x.lit)) found.add(e);
      for (const e of this.byFlat.related(x.flat)) found.add(e);
    }
    if (r.store) for (const e of this.files.get(file) ?? []) if (e.inv.store === r.store) found.add(e);
    return inOrder(this.rank, [...found]);
  }

  /** Files with an invalidation related to a key (a pattern that may reach it or almost). */
  filesNear(r: CacheRead): Set<string> {
    const out = new Set<string>();
    const p = keyOf(r);
    if (p) for (const e of [...this.byLit.related(p.lit), ...this.byFlat.related(p.flat)]) out.add(e.file);
    return out;
  }
}
