import { ARGS_SUFFIX, escapeGlob, literalPrefix, parseKeyTemplate, parsePattern, renderTokens, STAR, tokensIntersect, type Token } from './glob';
import type { CacheInvalidation, CacheRead, CacheRef, CacheWrite, KeyKind } from './model';
import type { Resolver } from './resolve';
import type { FileScan, HelperTemplates, RawFn, RawInvalidation, RawRead, RawUnit } from './scan';
import { keyEntity } from './settings';
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

/** Resolves every unit of every scanned file. */
export async function linkUnits(scans: readonly FileScan[], resolver: Resolver): Promise<LinkedUnit[]> {
  const out: LinkedUnit[] = [];
  for (const scan of scans) {
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
  }
  for (const lu of out) {
    const siblings = out.filter((o) => o.file === lu.file && o.raw.kind === 'module');
    for (const fn of lu.raw.fns) {
      const invalidations = effective(fn, lu, siblings);
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
  }
  markCallers(out);
  markDelegation(out);
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

function invalidatesSomething(w: CacheWrite): boolean {
  return w.invalidations.length > 0;
}

/** A write called by a sibling write that invalidates needs no invalidation of its own. */
function markCallers(units: LinkedUnit[]): void {
  for (const lu of units) {
    for (const w of lu.writes) {
      if (w.kind !== 'write') continue;
      for (const other of lu.writes) {
        if (other === w || !invalidatesSomething(other)) continue;
        const fn = lu.fns.get(other.name);
        if (fn?.selfCalls.includes(w.name) || fn?.localCalls.includes(w.name)) w.coveredBy.push(other.name);
      }
    }
  }
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `service.create_booking(…)` in a route delegates to BookingService.create_booking, which invalidates. */
function markDelegation(units: LinkedUnit[]): void {
  const invalidating = units.flatMap((u) => u.writes.filter((w) => w.kind === 'write' && invalidatesSomething(w)).map((w) => ({ u, w })));
  for (const lu of units) {
    for (const w of lu.writes) {
      if (invalidatesSomething(w)) continue;
      const fn = lu.fns.get(w.name);
      for (const call of fn?.memberCalls ?? []) {
        const hit = invalidating.find(
          ({ u, w: target }) =>
            target.name === call.method &&
            u !== lu &&
            (norm(u.raw.name).includes(norm(call.receiver)) || norm(call.receiver).includes(norm(u.raw.name)) || (!!u.raw.entity && norm(call.receiver).includes(u.raw.entity))),
        );
        if (hit) {
          w.delegatesTo = { service: hit.u.raw.name, name: hit.w.name, file: hit.u.file, line: hit.w.line };
          break;
        }
      }
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

/** Connects every write's patterns to the reads they reach, across the workspace. */
export function match(units: LinkedUnit[]): void {
  const reads = units.flatMap((u) =>
    u.reads.map((r) => {
      const toks = keyTokens(r);
      return { u, r, toks, flat: toks ? flatText(toks) : '', lit: toks ? literalPrefix(toks) : '' };
    }),
  );
  for (const u of units) {
    for (const w of u.writes) {
      for (const inv of w.invalidations) {
        if (inv.dynamic) continue;
        const ptoks = inv.store ? undefined : parsePattern(inv.pattern);
        const pflat = ptoks ? flatText(ptoks) : '';
        const plit = ptoks ? literalPrefix(ptoks) : '';
        for (const { u: ru, r, toks, flat, lit } of reads) {
          const hit = inv.store
            ? r.store === inv.store && ru.file === u.file
            : !!toks && !!ptoks && (lit.startsWith(plit) || plit.startsWith(lit)) && tokensIntersect(ptoks, toks);
          if (hit) {
            if (!r.invalidatedBy.some((b) => b.name === w.name && b.file === u.file && b.line === w.line)) r.invalidatedBy.push({ ...ref(u, w.name, w.line), pattern: inv.pattern });
            if (!w.covers.some((c) => c.name === r.name && c.file === ru.file && c.line === r.line)) w.covers.push({ ...ref(ru, r.name, r.line), key: r.key, pattern: inv.pattern });
          } else if (toks && ptoks && (flat.startsWith(pflat) || pflat.startsWith(flat))) {
            const miss = nearMiss(ptoks, toks, inv.pattern, { p: pflat, k: flat });
            if (miss && keyEntity(inv.pattern) === keyEntity(r.key ?? '')) r.nearMisses.push({ pattern: inv.pattern, write: ref(u, w.name, w.line), ...miss });
          }
        }
      }
    }
  }
  for (const { r } of reads) r.nearMisses = r.nearMisses.filter((m) => !r.invalidatedBy.some((b) => b.pattern === m.pattern));
}
