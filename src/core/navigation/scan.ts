import type { DiscoveredFile } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import { escapeRegExp as escape } from './deprecationText';
import { keep, type NavigationMemo } from './memo';
import { summarisePython, type PyFileSummary } from './pySummary';
import { summariseTypeScript, type TsFileSummary } from './tsSummary';

/**
 * Per-file derived data, memoised by content hash: which cheap text
 * pre-filters a file passes, and (only for files that pass one) the summary
 * read from its facts. A second run after one save re-reads one file.
 */
export interface FileEntry {
  hash: string;
  language: 'python' | 'typescript';
  /** Python: can build FastAPI routers. TypeScript: a NestJS controller. */
  route: boolean;
  /** TypeScript: creates an Express app or router. */
  express: boolean;
  service: boolean;
  deprecate: boolean;
  /** TypeScript: calls `setGlobalPrefix`. */
  globalPrefix: boolean;
  py?: PyFileSummary;
  ts?: TsFileSummary;
}

export interface ScanOptions {
  classSuffixes: readonly string[];
  pattern: RegExp;
}

const PY_ROUTE = /\b(?:APIRouter|FastAPI|include_router|add_api_route|api_route)\b|@[\w.]+\.(?:get|post|put|patch|delete|options|head|trace)\(/;
const TS_ROUTE = /@Controller\b/;
const TS_EXPRESS = /\bRouter\s*\(|\bexpress\s*\(/;
const TS_SERVICE = /@Injectable\b/;
const TS_PREFIX = /\bsetGlobalPrefix\b/;


export interface ScanResult {
  python: string[];
  typescript: string[];
  entries: Map<string, FileEntry>;
  /** Files found changed, added or removed in this run (`NavigationMemo.touched`). */
  changed: number;
  /** `NavigationMemo.scanVersion`: the same number means the same files, flags and summaries. */
  version: number;
  /** `NavigationMemo.fileSet`: the same number means the same files. */
  fileSet: number;
  /** `NavigationMemo.routeFlags`: the same number means the same files and route pre-filter flags. */
  routeFlags: number;
}

function indexed(f: DiscoveredFile): boolean {
  return (f.language === 'python' || f.language === 'typescript') && !(f.language === 'typescript' && /\.d\.ts$/.test(f.path));
}

/**
 * The previous summary when nothing in it changed; else the new one with
 * every unchanged part (the services, the markers …) taken from the previous.
 */
function keepParts<T extends object>(prev: T | undefined, next: T): T {
  if (!prev) return next;
  const out = { ...next };
  let same = Object.keys(prev).length === Object.keys(next).length;
  for (const k of Object.keys(next) as (keyof T)[]) {
    out[k] = keep(prev[k], next[k]);
    if (out[k] !== prev[k]) same = false;
  }
  return same ? prev : out;
}

/** Whether two entries of one file contribute the same to the index (their summaries are kept by content, see `keep`). */
function sameContribution(a: FileEntry, b: FileEntry): boolean {
  return a.route === b.route && a.express === b.express && a.service === b.service && a.deprecate === b.deprecate && a.globalPrefix === b.globalPrefix && a.py === b.py && a.ts === b.ts;
}

/**
 * The entries of every Python and TypeScript file. A file whose workspace
 * record is the one it was last checked against (`Workspace.update` replaces
 * the record of a saved file) is not looked at again, so a run after one save
 * hashes and reads one file.
 */
export async function scanWorkspace(ws: Workspace, memo: NavigationMemo, options: ScanOptions, signal?: AbortSignal): Promise<ScanResult> {
  const suffixes = options.classSuffixes.map(escape).join('|') || '(?!)';
  const pyService = new RegExp(String.raw`^[ \t]*class[ \t]+\w*(?:${suffixes})\b`, 'm');
  const deprecate = new RegExp(String.raw`deprecat|(?:${options.pattern.source})`, 'im');
  const touched: string[] = [];
  /** Whether a file appeared, disappeared or stopped being readable. */
  let moved = !memo.lists;
  const drop = (path: string) => {
    if (!memo.files.delete(path)) return;
    touched.push(path);
    moved = true;
  };
  // `Workspace.update` keeps the other records of its file list in place: most of them are where they were.
  const before = memo.seen.length === ws.files.length ? memo.seen : [];
  for (let i = 0; i < ws.files.length; i++) {
    const f = ws.files[i];
    if (before[i] === f) continue;
    if (signal?.aborted) break;
    const known = memo.checked.get(f.path);
    if (known === f) continue;
    if (!known) moved = true;
    if (!indexed(f)) {
      // Not indexed, but read by some checks (a declaration file, a tsconfig.json).
      touched.push(f.path);
      memo.checked.set(f.path, f);
      continue;
    }
    const hash = ws.hash(f.path);
    const old = memo.files.get(f.path);
    if (!hash || (old && old.hash === hash)) {
      if (!hash) drop(f.path);
      memo.checked.set(f.path, f);
      continue;
    }
    touched.push(f.path);
    // The entry is the memo (by content hash), so the pre-filters test the text directly.
    const text = ws.text(f.path) ?? '';
    const entry: FileEntry =
      f.language === 'python'
        ? { hash, language: 'python', route: PY_ROUTE.test(text), express: false, service: pyService.test(text), deprecate: deprecate.test(text), globalPrefix: false }
        : { hash, language: 'typescript', route: TS_ROUTE.test(text), express: TS_EXPRESS.test(text), service: TS_SERVICE.test(text), deprecate: deprecate.test(text), globalPrefix: TS_PREFIX.test(text) };
    if (entry.service || entry.deprecate) {
      if (entry.language === 'python') {
        const facts = await ws.python(f.path);
        if (facts) entry.py = keepParts(old?.py, summarisePython(facts, options, ws.text(f.path)));
      } else {
        const facts = await ws.typescript(f.path);
        if (facts) entry.ts = keepParts(old?.ts, summariseTypeScript(facts, options.pattern, ws.text(f.path)));
      }
    }
    memo.files.set(f.path, entry);
    memo.checked.set(f.path, f);
    if (!old) moved = true;
    else if (!sameContribution(old, entry)) {
      memo.scanVersion++;
      if (old.route !== entry.route || old.express !== entry.express || old.globalPrefix !== entry.globalPrefix) memo.routeFlags++;
    }
  }
  if (!signal?.aborted && memo.checked.size !== ws.files.length) {
    for (const key of [...memo.checked.keys()]) {
      if (ws.has(key)) continue;
      memo.checked.delete(key);
      if (!memo.files.has(key)) touched.push(key);
      drop(key);
      moved = true;
    }
  }
  if (touched.length) {
    memo.scanRun++;
    memo.touched = touched;
  }
  // A copy: the workspace may add to its list in place.
  if (!signal?.aborted) memo.seen = ws.files.slice();
  if (moved) {
    memo.fileSet++;
    memo.routeFlags++;
    memo.scanVersion++;
    memo.lists = { python: [], typescript: [] };
    for (const f of ws.files) if (memo.files.has(f.path)) (f.language === 'python' ? memo.lists.python : memo.lists.typescript).push(f.path);
  }
  return { python: memo.lists?.python ?? [], typescript: memo.lists?.typescript ?? [], entries: memo.files, changed: touched.length, version: memo.scanVersion, fileSet: memo.fileSet, routeFlags: memo.routeFlags };
}
