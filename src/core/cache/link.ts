import { ARGS_SUFFIX, escapeGlob, parseKeyTemplate, renderTokens, STAR, tokensIntersect, type Token } from './glob';
import type { CacheInvalidation, CacheRead, CacheRef, CacheWrite, KeyKind } from './model';
import type { Resolver } from './resolve';
import type { FileScan, HelperTemplates, RawFn, RawInvalidation, RawRead, RawUnit } from './scan';
import { placeholders } from './values';

/** A unit (class or module) with its resolved reads and writes, before findings. */
export interface LinkedUnit {
  raw: RawUnit;
  file: string;
  language: 'python' | 'typescript';
  reads: CacheRead[];
  writes: CacheWrite[];
  /** Own invalidations per function name, before inheritance (orphans are reported where they are written). */
  own: Map<string, CacheInvalidation[]>;
  fns: Map<string, RawFn>;
}

function line(r: { start: { line: number } }): number {
  return r.start.line + 1;
}

function keyKind(mode: RawRead['mode'], key: string | undefined): KeyKind {
  if (mode === 'memo') return 'memo';
  if (key === undefined || mode === 'auto') return 'auto';
  if (mode === 'prefix') return 'prefix';
  return placeholders(key).length ? 'template' : 'exact';
}

async function resolveRead(file: string, fn: RawFn, r: RawRead, resolver: Resolver): Promise<CacheRead | undefined> {
  const key = r.mode === 'key' || r.mode === 'prefix' ? await resolver.text(file, r.key) : undefined;
  // A `cache.set(key, …)` whose key is not static says nothing we could match.
  if (r.call && key === undefined) return undefined;
  const ttl = await resolver.ttl(file, r.ttl);
  return {
    name: fn.name,
    line: line(fn.nameRange),
    key: key ?? null,
    ttl: ttl.seconds,
    keyKind: keyKind(r.mode, key),
    ...(ttl.text ? { ttlText: ttl.text } : {}),
    ...(r.maxsize !== undefined ? { maxsize: r.maxsize } : {}),
    form: r.form,
    ...(r.store ? { store: r.store } : {}),
    hasArgs: fn.hasArgs,
    invalidatedBy: [],
    nearMisses: [],
    findings: [],
    range: fn.range,
    nameRange: fn.nameRange,
  };
}

/** A helper's key template with the call's arguments filled in: literals where known, placeholders otherwise. */
function fromHelper(h: HelperTemplates, args: (string | undefined)[]): string | undefined {
  const passed = new Set(h.params.filter((_p, i) => i < args.length));
  let best: { text: string; used: number } | undefined;
  for (const t of h.templates) {
    const used = placeholders(t).filter((p) => h.params.includes(p));
    if (used.some((p) => !passed.has(p))) continue;
    if (!best || used.length > best.used) best = { text: t, used: used.length };
  }
  if (!best) return undefined;
  let out = best.text;
  h.params.forEach((p, i) => {
    const v = args[i];
    if (v !== undefined && placeholders(v).length === 0) out = out.split(`{${p}}`).join(escapeGlob(v));
  });
  return out;
}

async function resolveInvalidation(file: string, inv: RawInvalidation, resolver: Resolver): Promise<CacheInvalidation> {
  const base = { form: inv.form, line: line(inv.range), range: inv.range };
  if (inv.mode === 'store') return { ...base, pattern: `${inv.store?.replace(/^\w+:/, '')}.cache_clear()`, store: inv.store };
  if (inv.mode === 'all') return { ...base, pattern: '*' };
  if (inv.helper) {
    const h = await resolver.helper(file, inv.helper.callee);
    if (h) {
      const args = await Promise.all(inv.helper.args.map((a) => resolver.text(file, a)));
      const p = fromHelper(h, args);
      if (p) return { ...base, pattern: p };
    }
  }
  const text = inv.dynamic ? undefined : await resolver.text(file, inv.sym);
  if (text === undefined) return { ...base, pattern: '?', dynamic: true };
  switch (inv.mode) {
    case 'exact':
      return { ...base, pattern: escapeGlob(text) };
    case 'prefix':
      return { ...base, pattern: `${escapeGlob(text)}*` };
    case 'tag':
      return { ...base, pattern: `${escapeGlob(text)}:*` };
    default:
      return { ...base, pattern: text };
  }
}

/** Resolves the units of one scanned file: keys, TTLs, patterns, helper invalidations and callers within the file. */
export async function linkFile(scan: FileScan, resolver: Resolver): Promise<LinkedUnit[]> {
  const out: LinkedUnit[] = [];
  for (const unit of scan.units) {
    const lu: LinkedUnit = { raw: unit, file: scan.file, language: scan.language, reads: [], writes: [], own: new Map(), fns: new Map() };
    for (const fn of unit.fns) {
      lu.fns.set(fn.name, fn);
      for (const r of fn.reads) {
        const read = await resolveRead(scan.file, fn, r, resolver);
        if (read) lu.reads.push(read);
      }
      lu.own.set(fn.name, await Promise.all(fn.invalidations.map((i) => resolveInvalidation(scan.file, i, resolver))));
    }
    out.push(lu);
  }
  const modules = out.filter((lu) => lu.raw.kind === 'module');
  for (const lu of out) {
    for (const fn of lu.raw.fns) {
      const invalidations = effective(fn, lu, modules);
      if (!fn.writeReasons.length && !invalidations.length) continue;
      if (!fn.writeReasons.length && invalidations.every((i) => i.dynamic)) continue;
      lu.writes.push({
        name: fn.name,
        line: line(fn.nameRange),
        invalidates: [...new Set(invalidations.filter((i) => !i.dynamic).map((i) => i.pattern))],
        kind: fn.writeReasons.length ? 'write' : 'invalidator',
        writeReasons: fn.writeReasons,
        entities: [...new Set([...fn.entities, ...(lu.raw.entity && fn.writeReasons.length ? [lu.raw.entity] : [])])],
        invalidations,
        covers: [],
        coveredBy: [],
        findings: [],
        range: fn.range,
        nameRange: fn.nameRange,
      });
    }
    markCallers(lu);
  }
  return out;
}

/** Own invalidations plus those of helpers it calls (`self._invalidate()`, a same-file function), transitively. */
function effective(fn: RawFn, lu: LinkedUnit, modules: LinkedUnit[]): CacheInvalidation[] {
  const out: CacheInvalidation[] = [...(lu.own.get(fn.name) ?? [])];
  const seen = new Set([fn.name]);
  const visit = (calls: string[], home: LinkedUnit, via?: string) => {
    for (const name of calls) {
      if (seen.has(name)) continue;
      const target = home.fns.get(name);
      if (!target) continue;
      seen.add(name);
      for (const inv of home.own.get(name) ?? []) out.push({ ...inv, via: via ?? name });
      visit(target.selfCalls, home, via ?? name);
      for (const m of modules) visit(target.localCalls, m, via ?? name);
    }
  };
  visit(fn.selfCalls, lu);
  for (const m of modules) visit(fn.localCalls, m);
  return out;
}

export function invalidatesSomething(w: CacheWrite): boolean {
  return w.invalidations.length > 0;
}

/** A write called by a sibling write that invalidates needs no invalidation of its own. */
function markCallers(lu: LinkedUnit): void {
  for (const w of lu.writes) {
    if (w.kind !== 'write') continue;
    for (const other of lu.writes) {
      if (other === w || !invalidatesSomething(other)) continue;
      const fn = lu.fns.get(other.name);
      if (fn?.selfCalls.includes(w.name) || fn?.localCalls.includes(w.name)) w.coveredBy.push(other.name);
    }
  }
}

/** A read key as tokens: placeholders and, for a prefix with arguments, the argument digest as a suffix. */
export function keyTokens(r: CacheRead): Token[] | undefined {
  if (r.key === null || r.keyKind === 'memo' || r.keyKind === 'auto') return undefined;
  const toks = parseKeyTemplate(r.key);
  return r.keyKind === 'prefix' && r.hasArgs ? [...toks, ...ARGS_SUFFIX] : toks;
}

/** Why a pattern that does not reach a key almost does, or undefined when it is not close. */
/** Tokens as text with placeholders unnamed and trailing stars dropped, to tell whether two are close. */
export function flatText(t: readonly Token[]): string {
  return renderTokens(t).replace(/\{[^{}]*\}/g, '{}').replace(/\*+$/, '');
}

export function nearMiss(pattern: Token[], key: Token[], patternText: string, flat?: { p: string; k: string }): { reason: string; suggestion?: string } | undefined {
  // Close means: one text starts with the other, placeholders aside (`booking:{id}` and `booking:{booking_id}:detail`).
  const p = flat?.p ?? flatText(pattern);
  const k = flat?.k ?? flatText(key);
  if (!k.startsWith(p) && !p.startsWith(k)) return undefined;
  if (tokensIntersect([...pattern, STAR], key)) {
    let j = key.length - 1;
    while (j > 0 && !tokensIntersect(pattern, key.slice(0, j))) j--;
    const suffix = renderTokens(key.slice(j)) || '…';
    const what = suffix === '…' ? 'the argument digest' : `"${suffix}"`;
    return { reason: `the key has a suffix the pattern lacks (${what})`, suggestion: `${patternText.replace(/\*+$/, '')}*` };
  }
  if (tokensIntersect(pattern, [...key, STAR])) return { reason: 'the pattern requires more text after the end of the key' };
  return undefined;
}

export function ref(u: LinkedUnit, name: string, l: number): CacheRef {
  return { service: u.raw.name, name, file: u.file, line: l };
}
