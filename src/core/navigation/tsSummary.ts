import type { TsFacts } from '../parsing/facts';
import { deprecationReason } from './deprecationText';
import { markerLineIn, type Marker, type SummaryService } from './pySummary';

/** What one TypeScript file contributes to the index, derived from its facts alone. */
export interface TsFileSummary {
  services: SummaryService[];
  moduleMarkers: Marker[];
  symbolMarkers: (Marker & { name: string })[];
  /** Exported names, `default` included; `*` for `export * from`. */
  exportNames: string[];
}

/** NestJS providers: classes decorated with `@Injectable()`. */
export function summariseTypeScript(facts: TsFacts, pattern: RegExp, text?: string): TsFileSummary {
  const moduleMarkers: Marker[] = [];
  const fileDoc = moduleJsdoc(facts);
  if (fileDoc !== undefined) moduleMarkers.push({ source: 'jsdoc', reason: fileDoc, line: markerLineIn(text, /@deprecated\b/) });
  else {
    const lead = deprecationReason(facts.leadingComments.join('\n'), pattern);
    if (lead !== undefined) moduleMarkers.push({ source: 'comment', reason: lead, line: markerLineIn(text, pattern) });
  }
  const symbolMarkers: TsFileSummary['symbolMarkers'] = [];
  const first = firstExport(facts);
  for (const e of facts.exports) {
    if (fileDoc !== undefined && e === first && e.jsdoc?.deprecated === fileDoc) continue;
    if (e.jsdoc?.deprecated !== undefined) symbolMarkers.push({ name: e.name, source: 'jsdoc', reason: e.jsdoc.deprecated, line: e.range.start.line });
  }
  const services: SummaryService[] = [];
  for (const c of facts.classes) {
    if (!c.decorators.some((d) => d.name === 'Injectable')) continue;
    const marker: Marker | undefined = c.jsdoc?.deprecated !== undefined ? { source: 'jsdoc', reason: c.jsdoc.deprecated, line: c.nameRange.start.line } : undefined;
    services.push({
      name: c.name,
      line: c.nameRange.start.line + 1,
      methods: c.methods
        .filter((m) => m.name !== 'constructor' && !m.name.startsWith('_') && !m.name.startsWith('#'))
        .map((m) => ({
          name: m.name,
          line: m.nameRange.start.line + 1,
          ...(m.jsdoc?.deprecated !== undefined ? { marker: { source: 'jsdoc' as const, reason: m.jsdoc.deprecated, line: m.nameRange.start.line } } : {}),
        })),
      ...(marker ? { marker } : {}),
    });
    if (marker && !symbolMarkers.some((s) => s.name === c.name)) symbolMarkers.push({ ...marker, name: c.name });
    for (const m of services[services.length - 1].methods) if (m.marker) symbolMarkers.push({ ...m.marker, name: `${c.name}.${m.name}` });
  }
  return { services, moduleMarkers, symbolMarkers, exportNames: [...new Set(facts.exports.map((e) => e.name))].sort() };
}

function firstExport(facts: TsFacts): TsFacts['exports'][number] | undefined {
  return [...facts.exports].sort((a, b) => a.range.start.line - b.range.start.line)[0];
}

/**
 * The deprecation of the whole file: a leading JSDoc with `@deprecated` that is
 * tagged as file documentation (`@file`, `@fileoverview`, `@module`,
 * `@packageDocumentation`) or that does not document the first export (a JSDoc
 * right above a declaration belongs to that declaration).
 */
function moduleJsdoc(facts: TsFacts): string | undefined {
  const doc = facts.fileJsdoc;
  if (doc?.deprecated === undefined) return undefined;
  if (/@(file|fileoverview|module|packageDocumentation)\b/.test(doc.text ?? '')) return doc.deprecated;
  const first = firstExport(facts);
  return first?.jsdoc?.deprecated === doc.deprecated ? undefined : doc.deprecated;
}
