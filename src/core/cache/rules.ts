import type { Finding, Fix, Range, RelatedLocation, Severity } from '../findings';
import { list } from './format';
import { parsePattern, tokensIntersect } from './glob';
import { keyTokens, nearMiss, type LinkedUnit } from './link';
import type { CacheInvalidation, CacheRead, CacheWrite } from './model';
import type { CacheSettings } from './settings';
import { keyEntity } from './settings';
import { placeholders } from './values';

interface Ctx {
  units: LinkedUnit[];
  settings: CacheSettings;
  /** File text, for quick fixes that copy a sibling's decorator. */
  text: (file: string) => string | undefined;
  findings: Finding[];
}

function emit(ctx: Ctx, item: { findings: CacheRead['findings'] }, f: Finding): void {
  ctx.findings.push(f);
  item.findings.push({ rule: f.rule, severity: f.severity, line: f.range.start.line + 1, message: f.message });
}

function keyName(r: CacheRead): string {
  return r.key ?? (r.store ? r.store.replace(/^\w+:/, '') : r.name);
}

function related(u: LinkedUnit, range: Range, message: string): RelatedLocation {
  return { file: u.file, range, message };
}

const isData = (w: CacheWrite) => w.kind === 'write';
/** A write that invalidates, itself, through a helper, a caller or a delegate. */
export const isCovered = (w: CacheWrite) => w.invalidations.length > 0 || w.coveredBy.length > 0 || !!w.delegatesTo;

/** "create_booking, confirm_booking and cancel_booking invalidate booking:*", grouped by the patterns they name. */
function siblingsSentence(writes: CacheWrite[], self: string): string | undefined {
  const groups = new Map<string, string[]>();
  for (const w of writes) {
    if (!w.invalidates.length) continue;
    const key = w.invalidates.join(', ');
    groups.set(key, [...(groups.get(key) ?? []), w.name]);
  }
  if (!groups.size) return undefined;
  const shown = [...groups].slice(0, 4);
  const more = [...groups].slice(4).reduce((n, [, names]) => n + names.length, 0);
  const parts = shown.map(([patterns, names]) => `${list(names)} ${names.length === 1 ? 'invalidates' : 'invalidate'} ${patterns}`);
  return `${parts.join('; ')}${more ? ` (and ${more} more)` : ''}; ${self} does not.`;
}

/** Copy a sibling's invalidation decorator above the write, when its placeholders are parameters of the write. */
function decoratorFix(ctx: Ctx, u: LinkedUnit, w: CacheWrite, siblings: CacheWrite[]): Fix | undefined {
  if (u.language !== 'python') return undefined;
  const source = ctx.text(u.file);
  if (source === undefined) return undefined;
  const lines = source.split('\n');
  const params = new Set(u.fns.get(w.name)?.params ?? []);
  for (const s of siblings) {
    const inv = s.invalidations.find((i) => !i.via && !i.dynamic && u.fns.get(s.name)?.invalidations.some((r) => r.decorator && r.range.start.line === i.range.start.line));
    if (!inv || inv.range.start.line !== inv.range.end.line) continue;
    const text = lines[inv.range.start.line]?.slice(inv.range.start.character, inv.range.end.character);
    if (!text?.startsWith('@') || placeholders(text).some((p) => !params.has(p))) continue;
    const at = w.range.start;
    const indent = lines[at.line]?.slice(0, at.character) ?? '';
    if (indent.trim()) continue;
    return {
      title: `Add ${text} (as ${s.name} does)`,
      edits: [{ file: u.file, range: { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } }, newText: `${indent}${text}\n` }],
      preferred: true,
    };
  }
  return undefined;
}

function writeWithoutInvalidation(ctx: Ctx): void {
  const cachedByEntity = new Map<string, { u: LinkedUnit; r: CacheRead }[]>();
  for (const u of ctx.units)
    for (const r of u.reads) {
      const e = r.key ? keyEntity(r.key) : undefined;
      if (e) cachedByEntity.set(e, [...(cachedByEntity.get(e) ?? []), { u, r }]);
    }
  for (const u of ctx.units) {
    for (const w of u.writes) {
      if (!isData(w) || w.coveredBy.length || w.delegatesTo || w.invalidations.some((i) => i.dynamic)) continue;
      const covered = new Set(w.covers.map((c) => `${c.file}\0${c.line}`));
      const reaches = (r: CacheRead, file: string) => covered.has(`${file}\0${r.line}`);
      const siblings = u.writes.filter((s) => s !== w && isData(s) && s.invalidates.length > 0);
      let message: string | undefined;
      let affected: { u: LinkedUnit; r: CacheRead }[] = [];
      if (u.reads.length && !u.reads.some((r) => reaches(r, u.file))) {
        affected = u.reads.map((r) => ({ u, r }));
        const keys = [...new Set(u.reads.map(keyName))];
        const what = w.invalidates.length ? `invalidates ${w.invalidates.join(', ')} but none of the cached reads of ${u.raw.name}` : `invalidates none of the cached reads of ${u.raw.name}`;
        message = `${w.name} writes data but ${what} (${keys.join(', ')}).`;
      } else if (!u.reads.length && w.writeReasons.includes('body')) {
        const hits = w.entities.flatMap((e) => cachedByEntity.get(e) ?? []).filter((x) => x.u !== u);
        if (hits.length && !hits.some((x) => reaches(x.r, x.u.file))) {
          affected = hits;
          const owners = [...new Set(hits.map((x) => x.u.raw.name))];
          const entity = w.entities.find((e) => cachedByEntity.has(e))!;
          message = `${w.name} writes ${entity} data, which ${list(owners)} ${owners.length === 1 ? 'caches' : 'cache'} (${[...new Set(hits.map((x) => keyName(x.r)))].join(', ')}), but invalidates none of it.`;
        }
      }
      if (!message) continue;
      const sentence = siblingsSentence(siblings, w.name);
      const fix = decoratorFix(ctx, u, w, siblings);
      emit(ctx, w, {
        rule: 'cache/write-without-invalidation',
        severity: 'warning',
        file: u.file,
        range: w.nameRange,
        message: sentence ? `${message} ${sentence}` : message,
        related: [
          ...siblings.slice(0, 5).map((s) => related(u, s.nameRange, `${s.name} invalidates ${s.invalidates.join(', ')}`)),
          ...affected.slice(0, 5).map((x) => related(x.u, x.r.nameRange, `${x.r.name} is cached under ${keyName(x.r)}`)),
        ],
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  }
}

function readRules(ctx: Ctx): void {
  const allPatterns = [...new Set(ctx.units.flatMap((u) => u.writes.flatMap((w) => w.invalidates)))];
  for (const u of ctx.units) {
    const hasDataWrites = u.writes.some(isData);
    for (const r of u.reads) {
      const noTtl = r.ttl === null && r.ttlText === undefined;
      const keyed = r.keyKind === 'exact' || r.keyKind === 'template' || r.keyKind === 'prefix';
      if (noTtl && !r.invalidatedBy.length && (keyed || hasDataWrites)) {
        const local = [...new Set(u.writes.flatMap((w) => w.invalidates))];
        const shown = (local.length ? local : allPatterns).slice(0, 5);
        const bound = r.maxsize !== undefined ? ` (bounded to ${r.maxsize} entries, but entries never expire)` : '';
        const why = !keyed
          ? `its ${r.keyKind === 'memo' ? 'in-process memo' : 'library-derived key'} is never cleared by a write of ${u.raw.name}`
          : shown.length
            ? `no pattern (${shown.join(', ')}) matches ${r.key}`
            : `no write invalidates ${r.key}`;
        const near = r.nearMisses.slice(0, 2).map((m) => ` ${m.pattern} (${m.write.name}) cannot reach it: ${m.reason}${m.suggestion ? `; ${m.suggestion} would` : ''}.`);
        emit(ctx, r, {
          rule: 'cache/never-invalidated',
          severity: 'warning',
          file: u.file,
          range: r.nameRange,
          message: `${r.name} is cached${keyed ? ` under ${r.key}` : ''} without a TTL${bound}, and ${why}.${near.join('')}`,
        });
      }
      if (noTtl && (keyed || r.keyKind === 'auto') && ctx.settings.missingTtl !== 'off') {
        emit(ctx, r, {
          rule: 'cache/missing-ttl',
          severity: ctx.settings.missingTtl as Severity,
          file: u.file,
          range: r.nameRange,
          message: `${r.name} caches ${r.key ?? 'its result'} without a TTL: entries live until a write invalidates them.`,
        });
      }
    }
  }
}

function orphanInvalidations(ctx: Ctx): void {
  const reads = ctx.units.flatMap((u) => u.reads.map((r) => ({ u, r, toks: keyTokens(r) }))).filter((x) => x.toks);
  if (!reads.length) return;
  for (const u of ctx.units) {
    for (const w of u.writes) {
      const seen = new Set<string>();
      for (const inv of u.own.get(w.name) ?? []) {
        if (inv.dynamic || inv.store || seen.has(inv.pattern)) continue;
        seen.add(inv.pattern);
        const p = parsePattern(inv.pattern);
        if (reads.some((x) => tokensIntersect(p, x.toks!))) continue;
        emitOrphan(ctx, u, w, inv, reads.flatMap((x) => {
          const miss = nearMiss(p, x.toks!, inv.pattern);
          return miss ? [{ ...x, miss }] : [];
        }));
      }
    }
  }
}

function emitOrphan(ctx: Ctx, u: LinkedUnit, w: CacheWrite, inv: CacheInvalidation, misses: { u: LinkedUnit; r: CacheRead; miss: { reason: string; suggestion?: string } }[]): void {
  const detail = misses
    .slice(0, 2)
    .map((m) => ` ${m.r.key} (${m.u.raw.name}.${m.r.name}) is out of reach: ${m.miss.reason}${m.miss.suggestion ? `; ${m.miss.suggestion} would reach it` : ''}.`)
    .join('');
  emit(ctx, w, {
    rule: 'cache/orphan-invalidation',
    severity: 'warning',
    file: u.file,
    range: inv.range,
    message: `${w.name} invalidates ${inv.pattern}, which matches no cached key.${detail}`,
    related: misses.slice(0, 5).map((m) => related(m.u, m.r.nameRange, `${m.r.name} is cached under ${m.r.key}`)),
  });
}

/** Every cache finding, attached to its read or write as well. */
export function cacheFindings(units: LinkedUnit[], settings: CacheSettings, text: (file: string) => string | undefined): Finding[] {
  const ctx: Ctx = { units, settings, text, findings: [] };
  writeWithoutInvalidation(ctx);
  readRules(ctx);
  orphanInvalidations(ctx);
  return ctx.findings;
}
