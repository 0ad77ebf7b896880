import type { Finding, Fix, Range, RelatedLocation, Severity } from '../findings';
import { list } from './format';
import type { LinkedUnit } from './link';
import type { CacheInvalidation, CacheRead, CacheWrite } from './model';
import type { KeyIndex } from './reach';
import type { CacheSettings } from './settings';
import { placeholders } from './values';

/** What the rules of one unit need to know about the rest of the workspace. */
export interface RuleContext {
  settings: CacheSettings;
  /** File text, for quick fixes that copy a sibling's decorator. */
  text: (file: string) => string | undefined;
  /** Lines of each file a quick fix has looked at. */
  lines: Map<string, string[] | undefined>;
  keys: KeyIndex;
  /** Cached reads of the workspace whose key is about an entity, in workspace order. */
  byEntity: (entity: string) => readonly { u: LinkedUnit; r: CacheRead }[] | undefined;
  /** The first five distinct patterns of the workspace's writes. */
  somePatterns: () => string[];
}

interface Ctx extends RuleContext {
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
    const names = groups.get(key);
    if (names) names.push(w.name);
    else groups.set(key, [w.name]);
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
  if (!ctx.lines.has(u.file)) ctx.lines.set(u.file, ctx.text(u.file)?.split('\n'));
  const lines = ctx.lines.get(u.file);
  if (lines === undefined) return undefined;
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

function writeWithoutInvalidation(ctx: Ctx, u: LinkedUnit): void {
  for (const w of u.writes) {
    if (!isData(w) || w.coveredBy.length || w.delegatesTo || w.invalidations.some((i) => i.dynamic)) continue;
    if (!u.reads.length && !w.writeReasons.includes('body')) continue;
    const covered = new Set(w.covers.map((c) => `${c.file}\0${c.line}`));
    const reaches = (r: CacheRead, file: string) => covered.has(`${file}\0${r.line}`);
    let message: string | undefined;
    let affected: readonly { u: LinkedUnit; r: CacheRead }[] = [];
    if (u.reads.length && !u.reads.some((r) => reaches(r, u.file))) {
      affected = u.reads.map((r) => ({ u, r }));
      const keys = [...new Set(u.reads.map(keyName))];
      const what = w.invalidates.length ? `invalidates ${w.invalidates.join(', ')} but none of the cached reads of ${u.raw.name}` : `invalidates none of the cached reads of ${u.raw.name}`;
      message = `${w.name} writes data but ${what} (${keys.join(', ')}).`;
    } else if (!u.reads.length && w.writeReasons.includes('body')) {
      const hits = w.entities.flatMap((e) => ctx.byEntity(e) ?? []).filter((x) => x.u.raw !== u.raw);
      if (hits.length && !hits.some((x) => reaches(x.r, x.u.file))) {
        affected = hits;
        const owners = [...new Set(hits.map((x) => x.u.raw.name))];
        const entity = w.entities.find((e) => ctx.byEntity(e) !== undefined)!;
        message = `${w.name} writes ${entity} data, which ${list(owners)} ${owners.length === 1 ? 'caches' : 'cache'} (${[...new Set(hits.map((x) => keyName(x.r)))].join(', ')}), but invalidates none of it.`;
      }
    }
    if (!message) continue;
    const siblings = u.writes.filter((s) => s !== w && isData(s) && s.invalidates.length > 0);
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

function readRules(ctx: Ctx, u: LinkedUnit): void {
  const hasDataWrites = u.writes.some(isData);
  const local = [...new Set(u.writes.flatMap((w) => w.invalidates))];
  for (const r of u.reads) {
    const noTtl = r.ttl === null && r.ttlText === undefined;
    const keyed = r.keyKind === 'exact' || r.keyKind === 'template' || r.keyKind === 'prefix';
    if (noTtl && !r.invalidatedBy.length && (keyed || hasDataWrites)) {
      const shown = (local.length ? local : ctx.somePatterns()).slice(0, 5);
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

function orphanInvalidations(ctx: Ctx, u: LinkedUnit): void {
  if (!ctx.keys.anyKeyed) return;
  for (const w of u.writes) {
    const seen = new Set<string>();
    for (const inv of u.own.get(w.name) ?? []) {
      if (inv.dynamic || inv.store || seen.has(inv.pattern)) continue;
      seen.add(inv.pattern);
      const reach = ctx.keys.reach(inv.pattern);
      if (reach.hits.length) continue;
      emitOrphan(ctx, u, w, inv, reach.near.map(({ x, miss }) => ({ u: x.u, r: x.r, miss })));
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

/**
 * The findings of the units of one file, attached to their reads and writes as
 * well, by rule in the order the rules run: writes, then reads, then orphan
 * patterns.
 */
export function fileFindings(rc: RuleContext, units: readonly LinkedUnit[]): [Finding[], Finding[], Finding[]] {
  const ctx: Ctx = { ...rc, findings: [] };
  const run = (rule: (ctx: Ctx, u: LinkedUnit) => void) => {
    ctx.findings = [];
    for (const u of units) rule(ctx, u);
    return ctx.findings;
  };
  return [run(writeWithoutInvalidation), run(readRules), run(orphanInvalidations)];
}
