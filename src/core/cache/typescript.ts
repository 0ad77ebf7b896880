import { lastSegment, positional, strValue, type Expr } from '../parsing/expr';
import type { Decorator, TsClass, TsFacts, TsFunction, TsImport } from '../parsing/facts';
import { moduleName, pathEntity } from './python';
import { bodyFacts, type FileScan, type HelperTemplates, type RawFn, type RawRead, type RawUnit } from './scan';
import { classEntity, isWriteName, nameWords, type CacheSettings } from './settings';
import { toSym, toTtlSym, type TtlSym } from './values';

const HTTP_WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ROUTE_DECORATORS = new Set(['Post', 'Put', 'Patch', 'Delete']);
const SQL_BUILDER_ROOTS = new Set(['db', 'tx', 'trx', 'knex', 'drizzle']);

/** The module each imported name comes from, and the name it has there (`default`; undefined for a namespace). */
export function tsBindings(imports: readonly TsImport[]): Map<string, { module: string; name?: string }> {
  const out = new Map<string, { module: string; name?: string }>();
  for (const imp of imports) {
    for (const n of imp.named) out.set(n.alias ?? n.name, { module: imp.from, name: n.name });
    if (imp.default) out.set(imp.default, { module: imp.from, name: 'default' });
    if (imp.namespace) out.set(imp.namespace, { module: imp.from });
  }
  return out;
}

function importOrigins(imports: readonly TsImport[]): Map<string, string> {
  return new Map([...tsBindings(imports)].map(([local, b]) => [local, b.module]));
}

/** NestJS cache names count only when they come from a cache module or `@nestjs/common` (or are not imported). */
function nestCacheOrigin(name: string, origins: Map<string, string>, settings: CacheSettings): { ok: boolean; ms: boolean } {
  const from = origins.get(name.split('.')[0]);
  if (from === undefined) return { ok: true, ms: false };
  const ok = from === '@nestjs/common' || /cach/i.test(from) || settings.cacheModules.includes(from);
  return { ok, ms: from === '@nestjs/cache-manager' };
}

function decoratorNamed(ds: readonly Decorator[], name: string): Decorator | undefined {
  return ds.find((d) => lastSegment(d.name) === name);
}

function usesCacheInterceptor(ds: readonly Decorator[], origins: Map<string, string>, settings: CacheSettings): boolean {
  return ds.some(
    (d) =>
      lastSegment(d.name) === 'UseInterceptors' &&
      d.args.some((a) => a.value.kind === 'ref' && lastSegment(a.value.path) === 'CacheInterceptor' && nestCacheOrigin(a.value.path, origins, settings).ok),
  );
}

/** `@Controller('contacts')` + `@Get(':id')` → `/contacts/{id}`, the key CacheInterceptor uses (the request URL). */
function routeKey(controller: string, route: string): string {
  const joined = `/${[controller, route].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return joined.replace(/:(\w+)/g, '{$1}');
}

interface ClassCtx {
  cls?: TsClass;
  controllerPath: string;
  interceptor: boolean;
  classTtl?: TtlSym;
}

function ttlOf(d: Decorator | undefined, origins: Map<string, string>, settings: CacheSettings, className?: string): TtlSym | undefined {
  if (!d) return undefined;
  const origin = nestCacheOrigin(d.name, origins, settings);
  if (!origin.ok) return undefined;
  return toTtlSym(positional(d.args, 0), origin.ms ? 0.001 : 1, className);
}

function nestRead(fn: TsFunction, cc: ClassCtx, origins: Map<string, string>, settings: CacheSettings): RawRead | undefined {
  const keyDec = settings.readDecorators.includes('CacheKey') ? decoratorNamed(fn.decorators, 'CacheKey') : undefined;
  const ttl = (settings.readDecorators.includes('CacheTTL') ? ttlOf(decoratorNamed(fn.decorators, 'CacheTTL'), origins, settings, cc.cls?.name) : undefined) ?? cc.classTtl;
  if (keyDec && nestCacheOrigin(keyDec.name, origins, settings).ok) {
    return { form: 'CacheKey', key: toSym(positional(keyDec.args, 0), cc.cls?.name), mode: 'key', ttl, range: keyDec.range };
  }
  const get = decoratorNamed(fn.decorators, 'Get');
  if (get && (cc.interceptor || usesCacheInterceptor(fn.decorators, origins, settings))) {
    const path = strValue(positional(get.args, 0)) ?? '';
    return { form: 'CacheInterceptor', key: { kind: 'text', text: routeKey(cc.controllerPath, path), expr: false }, mode: 'key', ttl, range: get.range };
  }
  return undefined;
}

function functionFacts(fn: TsFunction, cc: ClassCtx, origins: Map<string, string>, settings: CacheSettings): RawFn | undefined {
  const reads: RawRead[] = [];
  const nest = nestRead(fn, cc, origins, settings);
  if (nest) reads.push(nest);
  const body = bodyFacts(fn.calls, fn.strings, undefined, {
    settings,
    language: 'typescript',
    className: cc.cls?.name,
    params: fn.params,
    local: () => undefined,
    stores: new Set(),
    isSqlBuilder: (root) => SQL_BUILDER_ROOTS.has(root),
  });
  const byName = isWriteName(fn.name, settings.writePrefixes);
  const route = cc.cls ? fn.decorators.some((d) => ROUTE_DECORATORS.has(lastSegment(d.name))) : HTTP_WRITES.has(fn.name);
  const writeReasons: RawFn['writeReasons'] = [];
  if (byName) writeReasons.push('name');
  if (route) writeReasons.push('route');
  if (body.bodyWrite) writeReasons.push('body');
  if (!writeReasons.length) reads.push(...body.reads);
  if (!reads.length && !body.invalidations.length && !writeReasons.length) return undefined;
  return {
    name: fn.name,
    range: fn.range,
    nameRange: fn.nameRange,
    params: fn.params,
    hasArgs: fn.params.length > 0,
    reads,
    invalidations: body.invalidations,
    writeReasons,
    entities: [...new Set([...(byName ? nameWords(fn.name, settings.writePrefixes) : []), ...body.entities])],
    selfCalls: body.selfCalls,
    localCalls: body.localCalls,
    memberCalls: body.memberCalls,
  };
}

function classCtx(cls: TsClass, origins: Map<string, string>, settings: CacheSettings): ClassCtx {
  const controller = decoratorNamed(cls.decorators, 'Controller');
  const first: Expr | undefined = controller ? positional(controller.args, 0) : undefined;
  const path = strValue(first) ?? (first?.kind === 'dict' ? strValue(first.entries.find((e) => strValue(e.key) === 'path')?.value) : undefined) ?? '';
  return {
    cls,
    controllerPath: path,
    interceptor: usesCacheInterceptor(cls.decorators, origins, settings),
    classTtl: ttlOf(decoratorNamed(cls.decorators, 'CacheTTL'), origins, settings, cls.name),
  };
}

function helpersOf(functions: readonly TsFunction[]): Record<string, HelperTemplates> {
  const out: Record<string, HelperTemplates> = {};
  for (const fn of functions) {
    const templates = fn.strings.map((s) => s.value).filter((v) => fn.params.some((p) => v.startsWith(`{${p}}`)));
    if (templates.length) out[fn.name] = { params: fn.params, templates };
  }
  return out;
}

export function scanTypeScript(file: string, facts: TsFacts, settings: CacheSettings): FileScan {
  const origins = importOrigins(facts.imports);
  const units: RawUnit[] = [];
  for (const cls of facts.classes) {
    const cc = classCtx(cls, origins, settings);
    const fns = cls.methods.map((m) => functionFacts(m, cc, origins, settings)).filter((f): f is RawFn => !!f);
    if (fns.length) units.push({ name: cls.name, kind: 'class', line: cls.nameRange.start.line + 1, entity: classEntity(cls.name), fns });
  }
  const moduleCtx: ClassCtx = { controllerPath: '', interceptor: false };
  const moduleFns = facts.functions.map((f) => functionFacts(f, moduleCtx, origins, settings)).filter((f): f is RawFn => !!f);
  if (moduleFns.length) units.push({ name: moduleName(file), kind: 'module', line: 1, entity: pathEntity(file), fns: moduleFns });
  return { file, language: 'typescript', units, helpers: helpersOf(facts.functions) };
}
