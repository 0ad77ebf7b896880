import { throwIfCancelled, type Analyzer, type AnalyzeOptions, type AnalyzerResult } from '../analyzer';
import type { DiscoveredFile } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import { Catalog, somePatterns } from './catalog';
import { assemble, fileResults, type Snapshot } from './incremental';
import { FileMemo, type FileLink } from './memo';
import type { CacheData } from './model';
import { Resolver } from './resolve';
import { reselect, selectAll, selected, type FileTest } from './selection';
import { cacheSettings, keyEntity, settingsKey } from './settings';

export type { CacheData, CacheServiceSummary, CacheRead, CacheWrite, CacheInvalidation, CacheRef, CacheCoverage, KeyKind, ItemFinding } from './model';
export { renderCacheAudit } from './audit';

/** Files worth parsing for cache facts: a cheap text test before any parse. */
const CACHE_HINT = /cach|invalidat|redis|evict/i;
const NONE: readonly string[] = [];

/** The files analysed: those with cache hints, then those naming a cached entity (`extra`), each in workspace order. */
interface Selection {
  fileSet: number;
  initial: readonly string[];
  mention?: RegExp;
  extra: readonly string[];
  /** Candidates whose hash may change without an update: tested again on every run. */
  volatile: readonly string[];
}

/** What the analyzer keeps between runs, per workspace (dropped when the cache settings change). */
interface State {
  memo: FileMemo;
  catalog: Catalog;
  selection?: Selection;
  last?: Snapshot;
  sorted?: { files: readonly (readonly string[])[]; sorted: readonly string[]; ties: boolean };
  /** A run started and has not finished. */
  running?: boolean;
  /** The last result, while nothing it was computed from can have changed. */
  result?: AnalyzerResult<CacheData>;
  /** The run in progress: runs over one workspace take turns. */
  turn: Promise<unknown>;
}

const states = new WeakMap<Workspace, State>();

function stateOf(ws: Workspace) {
  const settings = cacheSettings(ws.config);
  const key = settingsKey(settings);
  let st = states.get(ws);
  if (st?.memo.key !== key) states.set(ws, (st = { memo: new FileMemo(key, settings), catalog: new Catalog(), turn: Promise.resolve() }));
  return { st, settings };
}

/** Paths as `localeCompare` orders them (stable), and whether two of them compare equal; remembered for the same lists. */
function localeSorted(st: State, lists: readonly (readonly string[])[]): { sorted: readonly string[]; ties: boolean } {
  if (st.sorted?.files.length !== lists.length || st.sorted.files.some((l, i) => l !== lists[i])) {
    const sorted = lists.flat().sort((a, b) => a.localeCompare(b));
    st.sorted = { files: lists, sorted, ties: sorted.some((f, i) => i > 0 && sorted[i - 1].localeCompare(f) === 0) };
  }
  return st.sorted;
}

/** The entities of one file's cached keys, worked out once per resolution. */
const entitiesOf = new WeakMap<FileLink, string[]>();

/** Entities of the resolved keys of the cached reads (`booking:{id}` → booking), in first-seen order. */
function readEntities(links: Iterable<FileLink>): string[] {
  const out = new Set<string>();
  for (const link of links) {
    let own = entitiesOf.get(link);
    if (!own) {
      own = link.units.flatMap((u) => u.reads.map((r) => (r.key ? keyEntity(r.key) : undefined)).filter((e): e is string => !!e));
      entitiesOf.set(link, own);
    }
    for (const e of own) out.add(e);
  }
  return [...out];
}

async function analyze(ws: Workspace, st: State, settings: ReturnType<typeof cacheSettings>, signal: () => void): Promise<AnalyzerResult<CacheData>> {
  const memo = st.memo;
  if (st.running) {
    // The last run stopped half-way (cancelled): start the indexes afresh.
    st.catalog = new Catalog();
    st.last = undefined;
  }
  st.running = true;
  const position = (path: string) => memo.position(ws, path);
  const prev = st.selection?.fileSet === memo.fileSet ? st.selection : undefined;
  const again = prev ? [...memo.changes(), ...prev.volatile] : [];
  const select = (list: readonly string[] | undefined, test: FileTest) => (list ? reselect(ws, list, again, position, test, signal) : selectAll(ws, test, signal));
  // Known outcomes are taken synchronously: only new versions of files wait for a parse.
  const scanned = (f: DiscoveredFile) => {
    const known = memo.scanned(f);
    return known.known ? !!known.scan : memo.scanUnits(ws, f).then((scan) => !!scan);
  };
  // Resolved units per file: when the selection is the same, only files that may have changed are looked at again.
  const reuse = !!prev && !!st.last;
  const links = new Map(reuse ? st.last!.links : []);
  const suspects = reuse ? memo.suspects() : undefined;
  const touched = new Set<string>();
  let resolver: Resolver | undefined;
  const link = async (paths: readonly string[], same: boolean) => {
    for (const path of same && suspects ? [...suspects].filter((p) => selected(paths, p, position)) : paths) {
      signal();
      const scan = memo.current(ws.file(path)!)!;
      const l = memo.linked(ws, scan) ?? (await memo.link(ws, scan, (resolver ??= new Resolver(ws, (rel) => (ws.has(rel) ? memo.scan(ws, rel) : Promise.resolve(undefined))))));
      if (links.get(path) !== l) touched.add(path);
      links.set(path, l);
    }
  };
  const initial = await select(prev?.initial, (f) => memo.isCandidate(f) && memo.hints(ws, f, CACHE_HINT) && scanned(f));
  await link(initial, initial === prev?.initial);
  // Writes elsewhere that touch a cached entity: only files that name one of them are parsed.
  const same = initial === prev?.initial && ![...touched].some((p) => selected(initial, p, position));
  const entities = same ? undefined : readEntities(initial.map((p) => links.get(p)!));
  const mention = entities ? (entities.length ? memo.mentionOf(entities) : undefined) : prev!.mention;
  const extra = mention
    ? await select(prev?.mention === mention ? prev.extra : undefined, (f) => memo.isCandidate(f) && !selected(initial, f.path, position) && memo.mentions(ws, f, mention) && scanned(f))
    : NONE;
  await link(extra, extra === prev?.extra);
  const large: FileTest = (f) => memo.isCandidate(f) && memo.isVolatile(f);
  const volatile = prev ? await reselect(ws, prev.volatile, memo.changes(), position, large, signal) : await selectAll(ws, large, signal);
  const selection: Selection = { fileSet: memo.fileSet, initial, mention, extra, volatile };
  if (initial !== prev?.initial || extra !== prev.extra)
    for (const path of links.keys())
      if (!selected(initial, path, position) && !selected(extra, path, position)) {
        links.delete(path);
        touched.add(path);
      }

  const byName = localeSorted(st, [initial, extra]);
  const order = extra.length ? byName.sorted : initial;
  if (!st.catalog.fits(order)) {
    st.catalog = new Catalog();
    st.last = undefined;
  }
  st.catalog.update(order, links, reuse && st.last ? touched : undefined);
  const patterns = somePatterns(order, links);
  const ix = st.catalog.context({ settings, text: (f) => ws.text(f), lines: new Map() }, patterns);
  const cur = { order, links, somePatterns: patterns, keyed: ix.keys.anyKeyed };
  const results = fileResults(st.last, cur, ix, reuse ? touched : undefined, signal);
  st.last = { ...cur, results };
  st.selection = selection;
  st.running = false;
  const { findings, services } = assemble(results, order, byName);
  const coverage = { services: services.length, writes: 0, invalidating: 0, reads: 0, readsCovered: 0, findings: { error: 0, warning: 0, info: 0 } };
  for (const s of services) {
    coverage.writes += s.coverage.writes;
    coverage.invalidating += s.coverage.invalidating;
    coverage.reads += s.coverage.reads;
    coverage.readsCovered += s.coverage.readsCovered;
  }
  for (const f of findings) coverage.findings[f.severity]++;
  const notice = services.length ? undefined : 'no cached reads or cache invalidations found';
  return { findings, data: { services, coverage }, ...(notice ? { notice } : {}) };
}

/** Cache-decorator coverage: which writes invalidate which cached reads, and what is left uncovered. */
export const cacheAnalyzer: Analyzer<CacheData> = {
  id: 'cache',
  title: 'Cache Coverage',
  run(ws: Workspace, options: AnalyzeOptions = {}) {
    const { st, settings } = stateOf(ws);
    const signal = () => throwIfCancelled(options.signal);
    const turn = st.turn.then(async () => {
      signal();
      st.memo.begin(ws);
      if (st.result && st.selection?.fileSet === st.memo.fileSet && !st.memo.changes().size) return st.result;
      st.result = undefined;
      const result = await analyze(ws, st, settings, signal);
      st.memo.commit();
      // Large files are re-read on every use: a result that depends on one is not kept.
      if (!st.selection?.volatile.length && ![...st.last!.links.values()].some((l) => l.volatile)) st.result = result;
      return result;
    });
    st.turn = turn.catch(() => undefined);
    return turn;
  },
};
