import { keyword, lastSegment, numValue, positional, type Expr } from '../parsing/expr';
import type { Decorator, PyFacts, PyFunction, PyImport } from '../parsing/facts';
import { bodyFacts, TTL_KEYWORDS, type FileScan, type HelperTemplates, type RawFn, type RawInvalidation, type RawRead, type RawUnit } from './scan';
import { classEntity, isWriteName, nameWords, type CacheSettings } from './settings';
import { firstKeyword, toSym, toTtlSym } from './values';

/** Modules whose decorators are cache decorators even though their names do not say "cache". */
const KNOWN_CACHE_MODULES = ['functools', 'cachetools', 'aiocache', 'fastapi_cache', 'flask_caching', 'django.core.cache', 'redis', 'dogpile'];
const SQL_BUILDERS = ['sqlalchemy', 'sqlmodel'];
const ROUTE_VERBS = new Set(['post', 'put', 'patch', 'delete']);
const STORE_FACTORIES = new Set(['TTLCache', 'LRUCache', 'LFUCache', 'TLRUCache', 'RRCache', 'FIFOCache', 'MRUCache', 'Cache']);

export interface Binding {
  module: string;
  /** The imported name for `from m import name`; undefined for `import m`. */
  name?: string;
}

/** Which module each imported name comes from (`name` is undefined for `import m`). */
export function pythonBindings(imports: readonly PyImport[]): Map<string, Binding> {
  const out = new Map<string, Binding>();
  for (const imp of imports) {
    const module = `${'.'.repeat(imp.level)}${imp.module}`;
    if (imp.kind === 'import') out.set(imp.alias ?? imp.module.split('.')[0], { module: imp.alias ? imp.module : imp.module.split('.')[0] });
    else for (const n of imp.names) if (n.name !== '*') out.set(n.alias ?? n.name, { module, name: n.name });
  }
  return out;
}

function looksLikeCacheModule(module: string, settings: CacheSettings): boolean {
  const bare = module.replace(/^\.+/, '');
  if (settings.cacheModules.some((m) => bare === m || bare.startsWith(`${m}.`))) return true;
  if (KNOWN_CACHE_MODULES.some((m) => bare === m || bare.startsWith(`${m}.`))) return true;
  return bare.split('.').some((seg) => /cach/i.test(seg));
}

/**
 * Whether a decorator named like a cache decorator really is one: when its root
 * name is imported, the import's module decides (`from acme.events import
 * invalidate` is not a cache decorator); names defined or assigned in the file pass.
 */
function fromCacheModule(decoratorName: string, binds: Map<string, Binding>, settings: CacheSettings): { ok: boolean; module?: string } {
  const parts = decoratorName.split('.');
  const b = binds.get(parts[0]);
  if (!b) return { ok: true };
  const module = b.name !== undefined ? (parts.length > 1 ? `${b.module}.${b.name}` : b.module) : parts.length > 2 ? parts.slice(0, -1).join('.') : b.module;
  return { ok: looksLikeCacheModule(module, settings), module: module.replace(/^\.+/, '') };
}

function library(module: string | undefined): 'functools' | 'cachetools' | 'aiocache' | 'fastapi_cache' | 'generic' {
  if (!module) return 'generic';
  for (const lib of ['functools', 'cachetools', 'aiocache', 'fastapi_cache'] as const) if (module === lib || module.startsWith(`${lib}.`)) return lib;
  return 'generic';
}

interface FileCtx {
  facts: PyFacts;
  settings: CacheSettings;
  binds: Map<string, Binding>;
  /** Module- and class-level assignments whose value is a call (`_rates = TTLCache(...)`). */
  storeCalls: Map<string, Expr>;
  stores: ReadonlySet<string>;
}

/** The cached read a decorator declares, or undefined when it is no cache decorator. */
function readDecorator(d: Decorator, fn: PyFunction, ctx: FileCtx, className?: string): RawRead | undefined {
  if (!ctx.settings.readDecorators.includes(lastSegment(d.name))) return undefined;
  const origin = fromCacheModule(d.name, ctx.binds, ctx.settings);
  if (!origin.ok) return undefined;
  const lib = library(origin.module ?? (d.name.includes('.') ? d.name.split('.')[0] : undefined));
  const form = origin.module ? `${origin.module}.${lastSegment(d.name)}` : d.name;
  const base = { form, range: d.range };
  if (lib === 'functools') {
    const arg = keyword(d.args, 'maxsize') ?? positional(d.args, 0);
    const maxsize = lastSegment(d.name) === 'cache' ? undefined : d.called ? numValue(arg) : 128;
    return { ...base, mode: 'memo', store: `fn:${fn.name}`, maxsize };
  }
  if (lib === 'cachetools') {
    const store = keyword(d.args, 'cache') ?? positional(d.args, 0);
    const call = store?.kind === 'call' ? store : store?.kind === 'ref' ? ctx.storeCalls.get(store.path.replace(/^(self|cls)\./, '')) : undefined;
    const read: RawRead = { ...base, mode: 'memo', store: store?.kind === 'ref' ? `var:${store.path.replace(/^(self|cls)\./, '')}` : `fn:${fn.name}` };
    if (call?.kind === 'call') {
      read.maxsize = numValue(keyword(call.args, 'maxsize') ?? positional(call.args, 0));
      read.ttl = toTtlSym(keyword(call.args, 'ttl') ?? positional(call.args, 1), 1, className);
    }
    return read;
  }
  const ttlArg = firstKeyword(d.args, TTL_KEYWORDS)?.value ?? (positional(d.args, 0)?.kind === 'num' ? positional(d.args, 0) : undefined);
  const read: RawRead = { ...base, mode: 'auto', ttl: toTtlSym(ttlArg, 1, className), maxsize: numValue(keyword(d.args, 'maxsize')) };
  const key = keyword(d.args, 'key');
  const prefix = keyword(d.args, 'key_prefix') ?? keyword(d.args, 'prefix');
  const namespace = keyword(d.args, 'namespace');
  const first = positional(d.args, 0);
  if (key && (key.kind === 'str' || key.kind === 'ref')) Object.assign(read, { key: toSym(key, className), mode: 'key' });
  else if (prefix) Object.assign(read, { key: toSym(prefix, className), mode: 'prefix' });
  else if (namespace) Object.assign(read, { key: toSym(namespace, className), mode: 'prefix' });
  else if (first?.kind === 'str') Object.assign(read, { key: toSym(first, className), mode: /\{[^{}]+\}/.test(first.value) ? 'key' : 'prefix' });
  return read;
}

/** The patterns an invalidation decorator names. */
function invalidationDecorator(d: Decorator, ctx: FileCtx, className?: string): RawInvalidation[] | undefined {
  if (!ctx.settings.invalidateDecorators.includes(lastSegment(d.name))) return undefined;
  const origin = fromCacheModule(d.name, ctx.binds, ctx.settings);
  if (!origin.ok) return undefined;
  const form = `@${d.name}`;
  const out: RawInvalidation[] = [];
  for (const a of d.args) {
    if (a.spread) continue;
    const mode = a.name === 'key_prefix' || a.name === 'namespace' || a.name === 'prefix' ? 'prefix' : 'glob';
    if (a.name && !['pattern', 'patterns', 'keys', 'key', 'key_prefix', 'prefix', 'namespace'].includes(a.name)) continue;
    const items = a.value.kind === 'seq' ? a.value.items : [a.value];
    for (const item of items) {
      const sym = toSym(item, className);
      out.push({ form, mode, sym, dynamic: !sym || sym.kind === 'unknown', decorator: true, range: d.range });
    }
  }
  return out.length ? out : [{ form, mode: 'glob', dynamic: true, decorator: true, range: d.range }];
}

function functionFacts(fn: PyFunction, ctx: FileCtx, className?: string): RawFn | undefined {
  const reads: RawRead[] = [];
  const invalidations: RawInvalidation[] = [];
  let route = false;
  for (const d of fn.decorators) {
    const r = readDecorator(d, fn, ctx, className);
    if (r) {
      reads.push(r);
      continue;
    }
    const inv = invalidationDecorator(d, ctx, className);
    if (inv) invalidations.push(...inv);
    else if (d.called && ROUTE_VERBS.has(lastSegment(d.name)) && d.name.includes('.')) route = true;
  }
  const locals = new Map<string, Expr[]>();
  for (const a of fn.assignments) if (a.targets.length === 1 && a.value) locals.set(a.targets[0], [...(locals.get(a.targets[0]) ?? []), a.value]);
  const body = bodyFacts(fn.calls, fn.strings, fn.docstring, {
    settings: ctx.settings,
    language: 'python',
    className,
    params: fn.params,
    local: (name) => {
      const values = locals.get(name);
      return values?.length === 1 ? values[0] : undefined;
    },
    stores: ctx.stores,
    isSqlBuilder: (root) => {
      const b = ctx.binds.get(root);
      return !!b && SQL_BUILDERS.some((m) => b.module === m || b.module.startsWith(`${m}.`));
    },
  });
  const byName = isWriteName(fn.name, ctx.settings.writePrefixes);
  const writeReasons: RawFn['writeReasons'] = [];
  if (byName) writeReasons.push('name');
  if (route) writeReasons.push('route');
  if (body.bodyWrite) writeReasons.push('body');
  // A `cache.set` inside a write is a lock or a write-through, not a cached read.
  if (!writeReasons.length) reads.push(...body.reads);
  invalidations.push(...body.invalidations);
  if (!reads.length && !invalidations.length && !writeReasons.length) return undefined;
  const params = fn.params.filter((p, i) => !(i === 0 && (p === 'self' || p === 'cls')));
  return {
    name: fn.name,
    range: fn.range,
    nameRange: fn.nameRange,
    params,
    hasArgs: params.length > 0,
    reads,
    invalidations,
    writeReasons,
    entities: [...new Set([...(byName ? nameWords(fn.name, ctx.settings.writePrefixes) : []), ...body.entities])],
    selfCalls: body.selfCalls,
    localCalls: body.localCalls,
    memberCalls: body.memberCalls,
  };
}

/** Helper functions whose strings start with a parameter (`f"{prefix}:*"`), for helper-based invalidation. */
function helpersOf(functions: readonly PyFunction[]): Record<string, HelperTemplates> {
  const out: Record<string, HelperTemplates> = {};
  for (const fn of functions) {
    const params = fn.params.filter((p) => p !== 'self' && p !== 'cls');
    const templates = fn.strings.map((s) => s.value).filter((v) => params.some((p) => v.startsWith(`{${p}}`)));
    if (templates.length) out[fn.name] = { params, templates };
  }
  return out;
}

export function scanPython(file: string, facts: PyFacts, settings: CacheSettings): FileScan {
  const storeCalls = new Map<string, Expr>();
  const assignments = [...facts.assignments, ...facts.classes.flatMap((c) => c.assignments)];
  for (const a of assignments) {
    if (a.targets.length === 1 && a.value?.kind === 'call' && STORE_FACTORIES.has(lastSegment(a.value.callee))) storeCalls.set(a.targets[0], a.value);
  }
  const ctx: FileCtx = { facts, settings, binds: pythonBindings(facts.imports), storeCalls, stores: new Set(storeCalls.keys()) };
  const units: RawUnit[] = [];
  for (const cls of facts.classes) {
    const fns = cls.methods.map((m) => functionFacts(m, ctx, cls.name)).filter((f): f is RawFn => !!f);
    if (fns.length) units.push({ name: cls.name, kind: 'class', line: cls.nameRange.start.line + 1, entity: classEntity(cls.name), fns });
  }
  const moduleFns = facts.functions.map((f) => functionFacts(f, ctx)).filter((f): f is RawFn => !!f);
  if (moduleFns.length) units.push({ name: moduleName(file), kind: 'module', line: 1, entity: pathEntity(file), fns: moduleFns });
  return { file, language: 'python', units, helpers: helpersOf(facts.functions) };
}

/** A module's name for people: its path without the extension. */
export function moduleName(file: string): string {
  return file.replace(/\.(py|tsx?|mts|cts|jsx?)$/, '');
}

const GENERIC_DIRS = new Set(['src', 'app', 'api', 'lib', 'libs', 'routes', 'routers', 'services', 'service', 'core', 'utils', 'backend', 'frontend', 'server', 'pages', 'modules', 'handlers', 'controllers']);

/** The entity a module is about: its nearest meaningful folder (`app/api/contacts/[id]/route.ts` → contact). */
export function pathEntity(file: string): string | undefined {
  const dirs = file.split('/').slice(0, -1).reverse();
  for (const d of dirs) {
    if (/^[[(]/.test(d) || GENERIC_DIRS.has(d.toLowerCase())) continue;
    return classEntity(d.replace(/[-_](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()));
  }
  return undefined;
}
