import type { CacheData, CacheRead, CacheRef, CacheServiceSummary, CacheWrite } from '../../core/cache';
import { coverageLabel, formatTtl, keyLabel, list, plural, readOk, ttlLabel, writeOk } from '../../core/cache/format';

/**
 * What the Cache Coverage view and the CodeLenses show, as plain data (no
 * `vscode` here): the adapters turn it into TreeItems and CodeLenses, and the
 * hidden snapshot command returns it as is.
 */

/** A place to open; `line` is 1-based. */
export interface Place {
  file: string;
  line: number;
  label: string;
  detail?: string;
}

export type IconState = 'ok' | 'warning' | 'info';

export interface NodeData {
  id: string;
  kind: 'service' | 'read' | 'write' | 'link';
  label: string;
  description: string;
  tooltip: string;
  /** Codicon id. */
  icon: string;
  state: IconState;
  open: Place;
  children: NodeData[];
}

export interface LensData {
  /** 0-based line the lens sits on (the first decorator, or the definition). */
  line: number;
  /** 1-based line of the name, to check the document still matches. */
  nameLine: number;
  name: string;
  title: string;
  tooltip: string;
  places: Place[];
}

function refPlace(r: CacheRef, detail: string): Place {
  return { file: r.file, line: r.line, label: `${r.service}.${r.name}`, detail };
}

function names(refs: readonly CacheRef[], max = 3): string {
  const unique = [...new Set(refs.map((r) => r.name))];
  return unique.length > max ? `${unique.slice(0, max).join(', ')} +${unique.length - max}` : unique.join(', ');
}

function readCovered(r: CacheRead): boolean {
  return r.invalidatedBy.length > 0 || r.ttl !== null || r.ttlText !== undefined;
}

function readState(r: CacheRead): IconState {
  if (!readOk(r)) return 'warning';
  return r.findings.length ? 'info' : 'ok';
}

function writeState(w: CacheWrite): IconState {
  return writeOk(w) ? 'ok' : 'warning';
}

/** What a write invalidates, in words: patterns, "via …", or "nothing". */
export function invalidatesLabel(w: CacheWrite): string {
  const parts = [...w.invalidates];
  if (w.invalidations.some((i) => i.dynamic)) parts.push('a computed key');
  if (w.coveredBy.length) parts.push(`via ${list(w.coveredBy)}`);
  if (w.delegatesTo) parts.push(`via ${w.delegatesTo.service}.${w.delegatesTo.name}`);
  return parts.join(', ') || 'nothing';
}

function findingsText(items: { findings: { rule: string; message: string }[] }): string {
  return items.findings.map((f) => `\n\n⚠ ${f.rule}: ${f.message}`).join('');
}

function linkNode(id: string, label: string, description: string, tooltip: string, icon: string, open: Place): NodeData {
  return { id, kind: 'link', label, description, tooltip, icon, state: 'ok', open, children: [] };
}

function readNode(s: CacheServiceSummary, r: CacheRead, id: string): NodeData {
  const ttl = ttlLabel(r);
  const by = r.invalidatedBy.length ? `invalidated by ${plural(r.invalidatedBy.length, 'write')}` : 'invalidated by no write';
  return {
    id,
    kind: 'read',
    label: r.name,
    description: `${keyLabel(r)} · ${ttl} · ${by}`,
    tooltip: `Cached read ${s.name}.${r.name} (${r.form})\nkey: ${keyLabel(r)}\nTTL: ${ttl}\n${by}${findingsText(r)}`,
    icon: readCovered(r) && readOk(r) ? 'pass' : 'warning',
    state: readState(r),
    open: { file: s.file, line: r.line, label: r.name },
    children: r.invalidatedBy.map((b, i) =>
      linkNode(`${id}/by/${i}`, b.file === s.file ? b.name : `${b.service}.${b.name}`, b.pattern, `${b.service}.${b.name} invalidates ${b.pattern} (${b.file}:${b.line})`, 'edit', {
        file: b.file,
        line: b.line,
        label: b.name,
      }),
    ),
  };
}

function writeNode(s: CacheServiceSummary, w: CacheWrite, id: string): NodeData {
  const what = invalidatesLabel(w);
  const covers = `covers ${plural(w.covers.length, 'read')}`;
  return {
    id,
    kind: 'write',
    label: w.name,
    description: `${what} · ${covers}`,
    tooltip: `${w.kind === 'write' ? 'Write' : 'Invalidation helper'} ${s.name}.${w.name}\ninvalidates: ${what}\n${covers}${findingsText(w)}`,
    icon: writeOk(w) ? (w.kind === 'write' ? 'pass' : 'debug-restart') : 'warning',
    state: writeState(w),
    open: { file: s.file, line: w.line, label: w.name },
    children: w.covers.map((c, i) =>
      linkNode(`${id}/covers/${i}`, c.file === s.file ? c.name : `${c.service}.${c.name}`, c.key ?? '', `${c.service}.${c.name} is cached under ${c.key ?? 'an in-process memo'} (${c.file}:${c.line})`, 'database', {
        file: c.file,
        line: c.line,
        label: c.name,
      }),
    ),
  };
}

/** The view's nodes: service → cached reads and writes → the places they connect to. */
export function serviceNodes(data: CacheData | undefined, scope = ''): NodeData[] {
  return (data?.services ?? []).map((s) => {
    const id = `${scope}${s.file}#${s.name}`;
    const items = [...s.reads, ...s.writes];
    const state: IconState = items.some((x) => x.findings.some((f) => f.severity !== 'info')) ? 'warning' : 'ok';
    return {
      id,
      kind: 'service',
      label: s.name,
      description: coverageLabel(s),
      tooltip: `${s.name} (${s.file}:${s.line})\n${plural(s.coverage.reads, 'cached read')}, ${s.coverage.readsCovered} invalidated or expiring\n${coverageLabel(s)}`,
      icon: s.kind === 'class' ? 'symbol-class' : 'symbol-file',
      state,
      open: { file: s.file, line: s.line, label: s.name },
      children: [...s.reads.map((r, i) => readNode(s, r, `${id}/read/${i}`)), ...s.writes.map((w, i) => writeNode(s, w, `${id}/write/${i}`))],
    };
  });
}

function readLens(s: CacheServiceSummary, r: CacheRead): LensData {
  const ttl = r.ttl !== null ? formatTtl(r.ttl) : r.ttlText ?? (r.maxsize !== undefined ? `maxsize ${r.maxsize}, no TTL` : 'no TTL');
  const head = r.keyKind === 'memo' ? `memoised · ${ttl}` : ttl === 'no TTL' ? 'cached without TTL' : `cached ${ttl}`;
  const tail = r.invalidatedBy.length ? `invalidated by ${names(r.invalidatedBy)}` : 'invalidated by no write';
  return {
    line: r.range.start.line,
    nameLine: r.line,
    name: r.name,
    title: `${head} · ${tail}`,
    tooltip: `${s.name}.${r.name}: ${keyLabel(r)}`,
    places: r.invalidatedBy.map((b) => refPlace(b, `invalidates ${b.pattern}`)),
  };
}

function writeLens(s: CacheServiceSummary, w: CacheWrite): LensData {
  const what = invalidatesLabel(w);
  const n = w.covers.length;
  const title = what === 'nothing' ? 'invalidates no cached read' : n === 0 && (w.delegatesTo || w.coveredBy.length) ? `invalidates ${what}` : `invalidates ${what} → ${plural(n, 'cached read')}`;
  const places = w.covers.map((c) => refPlace(c, c.key ?? 'in-process memo'));
  if (w.delegatesTo) places.unshift(refPlace(w.delegatesTo, 'the write it delegates to'));
  return { line: w.range.start.line, nameLine: w.line, name: w.name, title, tooltip: `${s.name}.${w.name}`, places };
}

/** CodeLenses of one file: above each cached read and each write. */
export function lensesFor(data: CacheData | undefined, file: string): LensData[] {
  const out: LensData[] = [];
  for (const s of data?.services ?? []) {
    if (s.file !== file) continue;
    for (const r of s.reads) out.push(readLens(s, r));
    for (const w of s.writes) out.push(writeLens(s, w));
  }
  return out.sort((a, b) => a.line - b.line);
}
