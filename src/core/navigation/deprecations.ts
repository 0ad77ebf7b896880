import type { DeprecationEntry } from '../workspace/config';
import type { Workspace } from '../workspace/workspace';
import { replacementCandidates } from './deprecationText';
import type { Marker } from './pySummary';
import { definedNames } from './pySummary';
import { dirname, join, PyModuleIndex, type PyTarget } from './pyModules';
import { keep, sameList, type NavigationMemo } from './memo';
import type { FileEntry } from './scan';
import type { TsResolver } from './tsResolve';
import type { DeprecationInfo, DeprecationSource, NavigationProblem } from './types';

/** One deprecated module or symbol, with its markers merged. */
export interface Deprecated extends DeprecationInfo {
  file: string;
  module: string;
  language: 'python' | 'typescript';
  symbol?: string;
  /** 1-based line of the first marker. */
  line: number;
}

export interface DeprecationIndex {
  modules: Map<string, Deprecated>;
  /** file → symbol name → record. */
  symbols: Map<string, Map<string, Deprecated>>;
}

export interface DeprecationContext {
  ws: Workspace;
  index: PyModuleIndex;
  resolver: TsResolver;
  entries: Map<string, FileEntry>;
  config: readonly DeprecationEntry[];
  problems: NavigationProblem[];
  /** Content hash of a file as the scan saw it. */
  hashOf(file: string): string | undefined;
  /** Files whose facts the index was built from besides the summaries (filled in while building). */
  read?: Set<string>;
}

const ORDER: DeprecationSource[] = ['config', 'pep702', 'docstring', 'comment', 'warning', 'jsdoc', 'route'];

export function moduleNameOf(index: PyModuleIndex, file: string): string {
  return file.endsWith('.py') ? index.moduleName(file) : file.replace(/\.(d\.)?[mc]?[jt]sx?$/, '');
}

interface Source extends Marker {
  replacement?: string;
  removeBy?: string;
}

/** Files and summaries of the files with deprecation markers; the same array while the scan version stays. */
function markedFiles(entries: Map<string, FileEntry>, memo: NavigationMemo, scanVersion: number): readonly unknown[] {
  if (memo.marked?.scanVersion === scanVersion) return memo.marked.value;
  const value: unknown[] = [];
  for (const [file, e] of entries) {
    const s = e.py ?? e.ts;
    if (s && (s.moduleMarkers.length || s.symbolMarkers.length)) value.push(file, s);
  }
  memo.marked = { scanVersion, value: memo.marked && sameList(memo.marked.value, value) ? memo.marked.value : value };
  return memo.marked.value;
}

/**
 * The deprecation index of the previous run while the marked files' summaries,
 * the config entries, the file set and the other files it read are unchanged.
 */
export async function deprecationsFor(ctx: DeprecationContext, memo: NavigationMemo, scanVersion: number): Promise<DeprecationIndex> {
  const marked = markedFiles(ctx.entries, memo, scanVersion);
  const signature = JSON.stringify(ctx.config);
  const prev = memo.deprecations;
  if (prev && prev.signature === signature && prev.marked === marked && prev.index === ctx.index && prev.resolver === ctx.resolver && [...prev.deps].every(([f, h]) => ctx.hashOf(f) === h)) {
    ctx.problems.push(...prev.problems);
    return prev.value;
  }
  const before = ctx.problems.length;
  const read = new Set<string>();
  const value = keep(prev?.value, await buildDeprecations({ ...ctx, read }));
  for (const d of [...value.modules.values(), ...[...value.symbols.values()].flatMap((m) => [...m.values()])]) if (d.replacementFile) read.add(d.replacementFile);
  const deps = new Map<string, string>();
  for (const f of read) {
    const h = ctx.hashOf(f);
    if (h) deps.set(f, h);
  }
  memo.deprecations = { signature, marked, index: ctx.index, resolver: ctx.resolver, deps, value, problems: ctx.problems.slice(before) };
  return value;
}

export async function buildDeprecations(ctx: DeprecationContext): Promise<DeprecationIndex> {
  const moduleSources = new Map<string, Source[]>();
  const symbolSources = new Map<string, Map<string, Source[]>>();
  const add = (file: string, symbol: string | undefined, s: Source) => {
    if (!symbol) return void moduleSources.set(file, [...(moduleSources.get(file) ?? []), s]);
    const m = symbolSources.get(file) ?? new Map<string, Source[]>();
    m.set(symbol, [...(m.get(symbol) ?? []), s]);
    symbolSources.set(file, m);
  };
  for (const [file, e] of ctx.entries) {
    const summary = e.py ?? e.ts;
    if (!summary) continue;
    for (const m of summary.moduleMarkers) add(file, undefined, m);
    for (const m of summary.symbolMarkers) add(file, m.name, m);
  }
  for (const entry of ctx.config) {
    const hit = configTarget(ctx, entry);
    if (!hit) continue;
    const line = hit.symbol ? await symbolLine(ctx, hit.file, hit.symbol) : 0;
    add(hit.file, hit.symbol, { source: 'config', reason: entry.reason ?? '', line, replacement: entry.replacement, removeBy: entry.removeBy });
  }
  const out: DeprecationIndex = { modules: new Map(), symbols: new Map() };
  for (const [file, sources] of moduleSources) out.modules.set(file, await merge(ctx, file, undefined, sources));
  for (const [file, m] of symbolSources) {
    const map = new Map<string, Deprecated>();
    for (const [symbol, sources] of m) map.set(symbol, await merge(ctx, file, symbol, sources));
    out.symbols.set(file, map);
  }
  return out;
}

/** 0-based line of a class, function or `Class.method` in a file (0 when not found). */
async function symbolLine(ctx: DeprecationContext, file: string, symbol: string): Promise<number> {
  const [head, member] = symbol.split('.');
  ctx.read?.add(file);
  if (file.endsWith('.py')) {
    const f = await ctx.ws.python(file);
    const cls = f?.classes.find((c) => c.name === head);
    const fn = member ? cls?.methods.find((m) => m.name === member) : (cls ?? f?.functions.find((x) => x.name === head));
    return fn?.nameRange.start.line ?? 0;
  }
  const f = await ctx.ws.typescript(file);
  const e = f?.exports.find((x) => x.name === head);
  return e?.range.start.line ?? 0;
}

/** Names a module defines at top level (Python) or exports (TypeScript). */
async function namesIn(ctx: DeprecationContext, file: string): Promise<string[]> {
  ctx.read?.add(file);
  if (file.endsWith('.py')) {
    const e = ctx.entries.get(file)?.py;
    if (e) return e.definedNames;
    const f = await ctx.ws.python(file);
    return f ? definedNames(f) : [];
  }
  const f = await ctx.ws.typescript(file);
  return f?.exports.map((x) => x.name) ?? [];
}

async function merge(ctx: DeprecationContext, file: string, symbol: string | undefined, sources: Source[]): Promise<Deprecated> {
  const sorted = [...sources].sort((a, b) => ORDER.indexOf(a.source) - ORDER.indexOf(b.source));
  const first = sorted[0];
  const reason = sorted.find((s) => s.reason)?.reason ?? null;
  const explicit = sorted.find((s) => s.replacement)?.replacement;
  let replacement: string | null = null;
  let replacementFile: string | null = null;
  const tokens = explicit ? [explicit] : sorted.flatMap((s) => replacementCandidates(s.reason));
  for (const t of tokens) {
    const r = await resolveReplacement(ctx, file, t);
    if (r) {
      replacement = r.name;
      replacementFile = r.file;
      break;
    }
  }
  if (!replacement && tokens.length) replacement = tokens[0];
  return {
    file,
    module: moduleNameOf(ctx.index, file),
    language: file.endsWith('.py') ? 'python' : 'typescript',
    ...(symbol ? { symbol } : {}),
    line: first.line + 1,
    source: first.source,
    reason,
    replacement,
    replacementFile,
    removeBy: sorted.find((s) => s.removeBy)?.removeBy ?? null,
  };
}

/**
 * A name from deprecation text resolved to an indexed module, or to a symbol
 * that a module defines (`total_cents` in the same module, `app.helpers.round_cents`).
 */
export async function resolveReplacement(ctx: DeprecationContext, file: string, token: string): Promise<{ name: string; file: string } | undefined> {
  const moduleHit = resolveModuleToken(ctx, file, token);
  if (moduleHit && moduleHit !== file) return { name: moduleNameOf(ctx.index, moduleHit), file: moduleHit };
  if (/^[A-Za-z_]\w*$/.test(token) && (await namesIn(ctx, file)).includes(token)) {
    return { name: file.endsWith('.py') ? `${moduleNameOf(ctx.index, file)}.${token}` : token, file };
  }
  const dot = token.lastIndexOf('.');
  if (dot > 0 && file.endsWith('.py')) {
    const owner = resolveModuleToken(ctx, file, token.slice(0, dot));
    const name = token.slice(dot + 1);
    if (owner && (await namesIn(ctx, owner)).includes(name)) return { name: `${moduleNameOf(ctx.index, owner)}.${name}`, file: owner };
  }
  return undefined;
}

/** The module file a token names: a path, a sibling module, or a dotted module name. */
function resolveModuleToken(ctx: DeprecationContext, file: string, token: string): string | undefined {
  if (!file.endsWith('.py')) {
    if (!token.startsWith('.') && !token.includes('/')) return undefined;
    return ctx.resolver.resolve(file, token.startsWith('.') ? token : `./${token}`);
  }
  const pyFile = (t: PyTarget | undefined) => (t ? PyModuleIndex.fileOf(t) : undefined);
  if (token.includes('/')) {
    const stem = token.replace(/^\.\//, '').replace(/\.py$/, '');
    for (let base = dirname(file); ; base = dirname(base)) {
      const hit = pyFile(ctx.index.at(join(base, stem)));
      if (hit && hit !== file) return hit;
      if (!base) return undefined;
    }
  }
  if (!/^[A-Za-z_][\w.]*$/.test(token)) return undefined;
  const sibling = pyFile(ctx.index.at(join(dirname(file), token.split('.').join('/'))));
  if (sibling && sibling !== file) return sibling;
  return pyFile(ctx.index.resolveAbsolute(file, token));
}

/** The file (and symbol) a `.codenav.yaml` `deprecated:` entry names. */
function configTarget(ctx: DeprecationContext, entry: DeprecationEntry): { file: string; symbol?: string } | undefined {
  const byModule = (m: string): string | undefined => {
    const p = m.replace(/\\/g, '/').replace(/^\.\//, '');
    if (p.includes('/') || /\.(py|[mc]?[jt]sx?)$/.test(p)) {
      if (ctx.ws.has(p)) return p;
      if (ctx.ws.has(`${p}.py`)) return `${p}.py`;
      if (ctx.ws.has(`${p}/__init__.py`)) return `${p}/__init__.py`;
      return undefined;
    }
    const t = ctx.index.resolveAbsolute('__codenav__.py', p);
    return t ? PyModuleIndex.fileOf(t) : undefined;
  };
  if (entry.module) {
    const file = byModule(entry.module);
    if (!file) {
      ctx.problems.push({ file: ctx.ws.configFile ?? '.codenav.yaml', line: 0, message: `deprecated: module "${entry.module}" is not in the workspace` });
      return undefined;
    }
    return { file, ...(entry.symbol ? { symbol: entry.symbol } : {}) };
  }
  if (entry.symbol) {
    const parts = entry.symbol.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      const file = byModule(parts.slice(0, i).join('.'));
      if (file) return { file, symbol: parts.slice(i).join('.') };
    }
    ctx.problems.push({ file: ctx.ws.configFile ?? '.codenav.yaml', line: 0, message: `deprecated: symbol "${entry.symbol}" is not in the workspace` });
  }
  return undefined;
}
