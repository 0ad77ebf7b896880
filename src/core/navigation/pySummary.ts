import { keyword, lastSegment, positional, strValue, type CallSite } from '../parsing/expr';
import type { Decorator, PyClass, PyFacts, PyFunction, PyImport } from '../parsing/facts';
import { deprecationReason } from './deprecationText';
import type { DeprecationSource } from './types';

/** What one Python file contributes to the index, derived from its facts alone. */
export interface PyFileSummary {
  services: SummaryService[];
  /** Markers that deprecate the whole module. */
  moduleMarkers: Marker[];
  /** Deprecated classes and functions (methods as `Class.method`). */
  symbolMarkers: (Marker & { name: string })[];
  /** Every name bound at module level (classes, functions, assignments, imports). */
  definedNames: string[];
}

export interface Marker {
  source: DeprecationSource;
  reason: string;
  /** 0-based. */
  line: number;
}

export interface SummaryService {
  name: string;
  line: number;
  methods: { name: string; line: number; marker?: Marker }[];
  marker?: Marker;
}

export interface SummaryOptions {
  classSuffixes: readonly string[];
  pattern: RegExp;
}

const WARNING_CATEGORIES = new Set(['DeprecationWarning', 'PendingDeprecationWarning']);
const DEPRECATED_DECORATOR_MODULES = new Set(['warnings', 'typing_extensions', 'typing', 'deprecated', 'deprecated.classic', 'deprecated.sphinx', 'deprecation']);

/** `text` (the file's source) places module markers on the line of the marker itself. */
export function summarisePython(facts: PyFacts, options: SummaryOptions, text?: string): PyFileSummary {
  const names = importedNames(facts.imports);
  const moduleMarkers: Marker[] = [];
  const markerLine = markerLineIn(text, options.pattern);
  const doc = deprecationReason(facts.docstring, options.pattern);
  if (doc !== undefined) moduleMarkers.push({ source: 'docstring', reason: doc, line: markerLine });
  const lead = deprecationReason(facts.leadingComments.join('\n'), options.pattern);
  if (lead !== undefined) moduleMarkers.push({ source: 'comment', reason: lead, line: markerLine });
  for (const call of facts.calls) {
    const w = deprecationWarning(call, names);
    if (w !== undefined) moduleMarkers.push({ source: 'warning', reason: w, line: call.range.start.line });
  }

  const symbolMarkers: PyFileSummary['symbolMarkers'] = [];
  const services: SummaryService[] = [];
  for (const cls of facts.classes) {
    const marker = classMarker(cls, names, options.pattern);
    if (marker) symbolMarkers.push({ ...marker, name: cls.name });
    const methods: SummaryService['methods'] = [];
    for (const m of cls.methods) {
      const mm = m.name === '__init__' ? undefined : functionMarker(m, names, options.pattern);
      if (mm) symbolMarkers.push({ ...mm, name: `${cls.name}.${m.name}` });
      if (!m.name.startsWith('_')) methods.push({ name: m.name, line: m.nameRange.start.line + 1, ...(mm ? { marker: mm } : {}) });
    }
    if (options.classSuffixes.some((s) => cls.name.endsWith(s))) {
      services.push({ name: cls.name, line: cls.nameRange.start.line + 1, methods, ...(marker ? { marker } : {}) });
    }
  }
  for (const fn of facts.functions) {
    const marker = functionMarker(fn, names, options.pattern);
    if (marker) symbolMarkers.push({ ...marker, name: fn.name });
  }
  return { services, moduleMarkers, symbolMarkers, definedNames: definedNames(facts) };
}

/** 0-based line of the first match of the marker in the source (0 when unknown). */
export function markerLineIn(text: string | undefined, pattern: RegExp): number {
  const m = text ? pattern.exec(text) : null;
  return m && text ? text.slice(0, m.index).split('\n').length - 1 : 0;
}

/** Local name → the dotted thing it was imported as (`deprecated` → `typing_extensions.deprecated`). */
function importedNames(imports: readonly PyImport[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const imp of imports) {
    if (imp.level > 0) continue;
    if (imp.kind === 'import') out.set(imp.alias ?? imp.module.split('.')[0], imp.alias ? imp.module : imp.module.split('.')[0]);
    else for (const n of imp.names) out.set(n.alias ?? n.name, `${imp.module}.${n.name}`);
  }
  return out;
}

/** The full dotted name a callee or decorator refers to, through the file's imports. */
function qualify(name: string, names: Map<string, string>): string {
  const [head, ...rest] = name.split('.');
  const q = names.get(head);
  return q ? [q, ...rest].join('.') : name;
}

function isWarn(callee: string, names: Map<string, string>): boolean {
  return qualify(callee, names) === 'warnings.warn';
}

/** The message of `warnings.warn(msg, DeprecationWarning)`, or undefined for any other call. */
export function deprecationWarning(call: CallSite, names: Map<string, string>): string | undefined {
  if (!isWarn(call.callee, names)) return undefined;
  const category = keyword(call.args, 'category') ?? positional(call.args, 1);
  if (category?.kind !== 'ref' || !WARNING_CATEGORIES.has(lastSegment(category.path))) return undefined;
  const message = keyword(call.args, 'message') ?? positional(call.args, 0);
  return strValue(message) ?? '';
}

function pep702(decorators: readonly Decorator[], names: Map<string, string>): Marker | undefined {
  for (const d of decorators) {
    const q = qualify(d.name, names);
    const mod = q.slice(0, q.lastIndexOf('.'));
    if (lastSegment(q) !== 'deprecated' || !DEPRECATED_DECORATOR_MODULES.has(mod)) continue;
    const text = strValue(positional(d.args, 0)) ?? strValue(keyword(d.args, 'reason')) ?? strValue(keyword(d.args, 'details')) ?? '';
    return { source: 'pep702', reason: text, line: d.range.start.line };
  }
  return undefined;
}

/**
 * The marker of a class or function: PEP 702 decorator, docstring, leading
 * comment (classes), or `warnings.warn(…, DeprecationWarning)` in the body
 * (for a class, in its `__init__`).
 */
function symbolMarker(
  def: { decorators: readonly Decorator[]; docstring?: string; nameRange: PyFunction['nameRange']; leadingComments?: string[] },
  warnCalls: readonly CallSite[],
  names: Map<string, string>,
  pattern: RegExp,
): Marker | undefined {
  const line = def.nameRange.start.line;
  const texts: [Marker['source'], string | undefined][] = [
    ['docstring', def.docstring],
    ['comment', def.leadingComments?.join('\n')],
  ];
  const decorated = pep702(def.decorators, names);
  if (decorated) return decorated;
  for (const [source, text] of texts) {
    const reason = deprecationReason(text, pattern);
    if (reason !== undefined) return { source, reason, line };
  }
  for (const call of warnCalls) {
    const w = deprecationWarning(call, names);
    if (w !== undefined) return { source: 'warning', reason: w, line: call.range.start.line };
  }
  return undefined;
}

function classMarker(cls: PyClass, names: Map<string, string>, pattern: RegExp): Marker | undefined {
  return symbolMarker(cls, cls.methods.find((m) => m.name === '__init__')?.calls ?? [], names, pattern);
}

function functionMarker(fn: PyFunction, names: Map<string, string>, pattern: RegExp): Marker | undefined {
  return symbolMarker(fn, fn.calls, names, pattern);
}

function ownNames(facts: PyFacts): Set<string> {
  const out = new Set<string>();
  for (const c of facts.classes) out.add(c.name);
  for (const f of facts.functions) out.add(f.name);
  for (const a of facts.assignments) for (const t of a.targets) if (/^\w+$/.test(t)) out.add(t);
  return out;
}

/** Every name bound at module level. */
export function definedNames(facts: PyFacts): string[] {
  const out = ownNames(facts);
  for (const imp of facts.imports) {
    if (imp.kind === 'import') out.add(imp.alias ?? imp.module.split('.')[0]);
    else for (const n of imp.names) if (n.name !== '*') out.add(n.alias ?? n.name);
  }
  return [...out].sort();
}

/** Public names the module defines itself (classes, functions, assignments), not the ones it imports. */
export function ownPublicNames(facts: PyFacts): string[] {
  return [...ownNames(facts)].filter((n) => !n.startsWith('_')).sort();
}
