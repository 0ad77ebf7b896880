import type { Finding } from '../findings';
import type { Workspace } from '../workspace/workspace';
import { escapeRegExp as escape } from './deprecationText';
import type { DeprecationIndex } from './deprecations';
import type { PyModuleIndex } from './pyModules';
import type { FastApiInterpreter } from './fastapi';
import type { PackagePlan } from './packages';
import type { PyRoutesResult } from './pythonRoutes';
import type { TsRoute } from './tsRoutes';
import type { TsResolver } from './tsResolve';
import type { NavigationData, NavigationProblem } from './types';
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

export interface UsageMemo {
  hash: string;
  /** `NavigationMemo.usageVersion` when the file was checked. */
  signature: number;
  findings: Finding[];
}

/** State kept between runs on one workspace. */
export class NavigationMemo {
  signature = '';
  readonly files = new Map<string, FileEntry>();
  readonly usage = new Map<string, UsageMemo>();
  usageSignature = '';
  usageVersion = 0;
  /** The FastAPI interpreter, kept while the file set, the service index and the router modules are the same. */
  interpreter?: { interp: FastApiInterpreter; index: PyModuleIndex; epoch: number; routeKey: string; result?: PyRoutesResult };
  /** The TypeScript route list, kept while every file's part is the same array. */
  tsParts?: { parts: TsRoute[][]; value: TsRoute[] };
  /** Handler → service links are kept per handler while the epoch (service set, file set) stays. */
  epochText = '';
  epoch = 0;
  /** TypeScript routes of one file, by a key of its hash and what else they depend on. */
  readonly tsRoutes = new Map<string, { key: string; routes: TsRoute[] }>();
  deprecations?: { signature: string; deps: Map<string, string>; value: DeprecationIndex; problems: NavigationProblem[] };
  resolver?: { signature: string; value: TsResolver };
  packageFiles?: { paths: string[]; dirs: string; value: Map<string, string[]> };
  packagePlan?: { key: string; index: PyModuleIndex; value: PackagePlan };
  pyIndex?: { paths: readonly string[]; roots: string; value: PyModuleIndex };
  assembly?: {
    py: PyRoutesResult;
    ts: TsRoute[];
    deprecations: DeprecationIndex;
    index: PyModuleIndex;
    epoch: number;
    configured: string;
    summaries: unknown[];
    value: Omit<NavigationData, 'problems'>;
  };
  /** The whole result, for a run in which nothing it reads has changed. */
  last?: { key: string; value: { data: NavigationData; findings: Finding[] } };
  lastResolver?: TsResolver;
}

const memos = new WeakMap<Workspace, NavigationMemo>();

export function memoFor(ws: Workspace, signature: string): NavigationMemo {
  let m = memos.get(ws);
  if (!m || m.signature !== signature) {
    m = new NavigationMemo();
    m.signature = signature;
    memos.set(ws, m);
  }
  return m;
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
  /** Files whose entries were recomputed or dropped in this run. */
  changed: number;
}

export async function scanWorkspace(ws: Workspace, memo: NavigationMemo, options: ScanOptions, signal?: AbortSignal): Promise<ScanResult> {
  const suffixes = options.classSuffixes.map(escape).join('|') || '(?!)';
  const pyService = new RegExp(String.raw`^[ \t]*class[ \t]+\w*(?:${suffixes})\b`, 'm');
  const deprecate = new RegExp(String.raw`deprecat|(?:${options.pattern.source})`, 'im');
  const seen = new Set<string>();
  const python: string[] = [];
  const typescript: string[] = [];
  let changed = 0;
  for (const f of ws.files) {
    if (f.language !== 'python' && f.language !== 'typescript') continue;
    if (f.language === 'typescript' && /\.d\.ts$/.test(f.path)) continue;
    if (signal?.aborted) break;
    const hash = ws.hash(f.path);
    if (!hash) continue;
    seen.add(f.path);
    (f.language === 'python' ? python : typescript).push(f.path);
    const old = memo.files.get(f.path);
    if (old && old.hash === hash) continue;
    changed++;
    // The entry is the memo (by content hash), so the pre-filters test the text directly.
    const text = ws.text(f.path) ?? '';
    const entry: FileEntry =
      f.language === 'python'
        ? { hash, language: 'python', route: PY_ROUTE.test(text), express: false, service: pyService.test(text), deprecate: deprecate.test(text), globalPrefix: false }
        : { hash, language: 'typescript', route: TS_ROUTE.test(text), express: TS_EXPRESS.test(text), service: TS_SERVICE.test(text), deprecate: deprecate.test(text), globalPrefix: TS_PREFIX.test(text) };
    if (entry.service || entry.deprecate) {
      if (entry.language === 'python') {
        const facts = await ws.python(f.path);
        if (facts) entry.py = summarisePython(facts, options, ws.text(f.path));
      } else {
        const facts = await ws.typescript(f.path);
        if (facts) entry.ts = summariseTypeScript(facts, options.pattern, ws.text(f.path));
      }
    }
    memo.files.set(f.path, entry);
  }
  for (const key of [...memo.files.keys()]) {
    if (seen.has(key)) continue;
    memo.files.delete(key);
    changed++;
  }
  return { python, typescript, entries: memo.files, changed };
}
