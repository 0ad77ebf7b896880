import type { Range } from '../findings';
import { keyword, lastSegment, positional, strValue, type CallSite, type Expr } from '../parsing/expr';
import { calleeKind, entityWord, type CacheSettings } from './settings';
import { firstKeyword, toSym, toTtlSym, type Sym, type TtlSym } from './values';

/** How a raw key becomes a key: decided once its text is resolved. */
export type RawKeyMode = 'key' | 'prefix' | 'memo' | 'auto';

export interface RawRead {
  form: string;
  key?: Sym;
  mode: RawKeyMode;
  ttl?: TtlSym;
  maxsize?: number;
  store?: string;
  /** Found as a `cache.set(…)` call in the body rather than a decorator. */
  call?: boolean;
  range: Range;
}

/**
 * How an invalidation's text becomes a glob: `glob` as written, `exact` escaped,
 * `prefix` + `*`, `tag` + `:*` (a tag helper we could not read), `all` is `*`,
 * `store` clears an in-process memo.
 */
export type RawInvalidationMode = 'glob' | 'exact' | 'prefix' | 'tag' | 'all' | 'store';

export interface RawInvalidation {
  form: string;
  mode: RawInvalidationMode;
  sym?: Sym;
  store?: string;
  /** A call to a helper (`invalidateByTag(CacheTag.CONTACT, tenantId, id)`) whose body may give the pattern. */
  helper?: { callee: string; args: (Sym | undefined)[] };
  dynamic?: boolean;
  /** True for decorators (a quick fix can copy them to a sibling). */
  decorator?: boolean;
  range: Range;
}

export interface RawFn {
  name: string;
  range: Range;
  nameRange: Range;
  params: string[];
  hasArgs: boolean;
  reads: RawRead[];
  invalidations: RawInvalidation[];
  writeReasons: ('name' | 'route' | 'body')[];
  entities: string[];
  /** Same-class methods called through `self.`/`this.`. */
  selfCalls: string[];
  /** Same-file functions called by bare name. */
  localCalls: string[];
  /** `receiver.method` of other calls, for delegation (`service.create_booking`). */
  memberCalls: { receiver: string; method: string }[];
}

export interface RawUnit {
  name: string;
  kind: 'class' | 'module';
  line: number;
  entity?: string;
  fns: RawFn[];
}

/** A function whose body builds cache keys from its parameters (`invalidateByTag`): its templates. */
export interface HelperTemplates {
  params: string[];
  templates: string[];
}

export interface FileScan {
  file: string;
  language: 'python' | 'typescript';
  units: RawUnit[];
  helpers: Record<string, HelperTemplates>;
}

export const TTL_KEYWORDS = ['ttl', 'expire', 'expires', 'timeout', 'ex', 'expiration', 'expire_in', 'cache_timeout', 'seconds', 'ttl_seconds'];
const EXACT_DELETES = new Set(['delete', 'del', 'unlink', 'delete_many', 'deleteMany', 'pop', 'evict', 'remove', 'invalidate', 'mdel']);
const PATTERN_DELETES = new Set(['delete_pattern', 'deletePattern', 'delete_matched', 'deleteMatched', 'invalidate_pattern', 'invalidatePattern', 'delByPattern']);
const CLEARS = new Set(['clear', 'reset', 'flushall', 'flushdb', 'flushAll', 'flushDb']);
const SCANS = new Set(['scan_iter', 'keys', 'scan', 'scanIterator', 'iscan']);
const SQL_WRITE = /^\s*(?:insert\s+into|update|delete\s+from|merge\s+into)\s+["`[]?([A-Za-z_][\w.]*)/i;

/** What the caller knows about names in the function: local string variables, stores, and the class. */
export interface CallContext {
  settings: CacheSettings;
  language: 'python' | 'typescript';
  className?: string;
  /** Parameters of the function: a key that is just a parameter is not static. */
  params: readonly string[];
  /** Resolves a bare local variable to the expression assigned to it once (Python). */
  local(name: string): Expr | undefined;
  /** In-process stores of the file (`_rates = TTLCache(...)`), by variable name. */
  stores: ReadonlySet<string>;
  /** Whether a bare callee root was imported from a SQL builder (`from sqlalchemy import update`). */
  isSqlBuilder(root: string): boolean;
}

function symOf(e: Expr | undefined, ctx: CallContext): Sym | undefined {
  if (e?.kind === 'ref' && !e.path.includes('.')) {
    const v = ctx.local(e.path);
    if (v) return toSym(v, ctx.className);
  }
  return toSym(e, ctx.className);
}

function isStatic(s: Sym | undefined): boolean {
  return !!s && s.kind !== 'unknown';
}

/** Receiver segment before the method: `self.cache_client.delete` → cache_client. */
function receiverOf(callee: string): string | undefined {
  const parts = callee.split('.');
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/** The read-through of a `cache.set(key, value, ttl)` style call. */
function readCall(c: CallSite, form: string, ctx: CallContext): RawRead | undefined {
  const arg = positional(c.args, 0);
  const key = symOf(arg, ctx);
  if (!isStatic(key) || (key?.kind === 'ref' && ctx.params.includes(key.path))) return undefined;
  const method = lastSegment(c.callee);
  const ms = ctx.language === 'typescript' && /cachemanager|cache_manager/i.test(c.callee) ? 0.001 : 1;
  let ttl: TtlSym | undefined;
  if (method === 'setex') ttl = toTtlSym(positional(c.args, 1), 1, ctx.className);
  else {
    const kw = firstKeyword(c.args, TTL_KEYWORDS);
    const px = keyword(c.args, 'px');
    const third = positional(c.args, 2);
    if (kw) ttl = toTtlSym(kw.value, 1, ctx.className);
    else if (px) ttl = toTtlSym(px, 0.001, ctx.className);
    else if (third?.kind === 'str' && /^(EX|PX)$/i.test(third.value)) ttl = toTtlSym(positional(c.args, 3), /^px$/i.test(third.value) ? 0.001 : 1, ctx.className);
    else if (third?.kind === 'dict') {
      const entry = third.entries.find((en) => /^(EX|PX|ttl)$/i.test(strValue(en.key) ?? ''));
      if (entry) ttl = toTtlSym(entry.value, /^px$/i.test(strValue(entry.key) ?? '') ? 0.001 : ms, ctx.className);
    } else if (third) ttl = toTtlSym(third, ms, ctx.className);
  }
  return { form, key, mode: 'key', ttl, call: true, range: c.range };
}

function invalidationCall(c: CallSite, form: string, ctx: CallContext, scans: Sym[]): RawInvalidation[] {
  const method = lastSegment(c.callee);
  const receiver = receiverOf(c.callee);
  const base = { form, range: c.range };
  if (method === 'cache_clear' || method === 'cacheClear') return receiver ? [{ ...base, mode: 'store', store: `fn:${receiver}` }] : [];
  if (CLEARS.has(method)) {
    const ns = keyword(c.args, 'namespace');
    if (ns) return [{ ...base, mode: 'prefix', sym: symOf(ns, ctx), dynamic: !isStatic(symOf(ns, ctx)) }];
    if (receiver && ctx.stores.has(receiver)) return [{ ...base, mode: 'store', store: `var:${receiver}` }];
    return [{ ...base, mode: 'all' }];
  }
  if (EXACT_DELETES.has(method) && receiver) {
    const out: RawInvalidation[] = [];
    for (const a of c.args) {
      if (a.name) continue;
      const items = !a.spread && a.value.kind === 'seq' ? a.value.items : [a.value];
      for (const item of items) {
        const sym = a.spread ? undefined : symOf(item, ctx);
        if (isStatic(sym)) out.push({ ...base, mode: 'exact', sym });
        else if (scans.length) out.push(...scans.map((s) => ({ ...base, mode: 'glob' as const, sym: s })));
        else out.push({ ...base, mode: 'exact', dynamic: true });
      }
    }
    return out.length ? out : [{ ...base, mode: 'exact', dynamic: true }];
  }
  const first = positional(c.args, 0) ?? firstKeyword(c.args, ['pattern', 'key', 'tag', 'namespace'])?.value;
  const sym = symOf(first, ctx);
  if (PATTERN_DELETES.has(method) && receiver) return [{ ...base, mode: 'glob', sym, dynamic: !isStatic(sym) }];
  const helper = { callee: c.callee, args: c.args.filter((a) => !a.name && !a.spread).map((a) => symOf(a.value, ctx)) };
  return [{ ...base, mode: /tag/i.test(method) ? 'tag' : 'glob', sym, helper, dynamic: !isStatic(sym) }];
}

export interface BodyFacts {
  reads: RawRead[];
  invalidations: RawInvalidation[];
  bodyWrite: boolean;
  entities: string[];
  selfCalls: string[];
  localCalls: string[];
  memberCalls: { receiver: string; method: string }[];
}

/** Reads, invalidations, data writes and calls of one function body. */
export function bodyFacts(calls: readonly CallSite[], strings: readonly { value: string }[], docstring: string | undefined, ctx: CallContext): BodyFacts {
  const s = ctx.settings;
  const out: BodyFacts = { reads: [], invalidations: [], bodyWrite: false, entities: [], selfCalls: [], localCalls: [], memberCalls: [] };
  const scans: Sym[] = [];
  for (const c of calls) {
    if (SCANS.has(lastSegment(c.callee)) && /cache|redis/i.test(c.callee)) {
      const p = symOf(keyword(c.args, 'match') ?? keyword(c.args, 'pattern') ?? positional(c.args, 0), ctx);
      if (isStatic(p)) scans.push(p!);
    }
  }
  for (const c of calls) {
    const parts = c.callee.split('.');
    const root = parts[0];
    if ((root === 'self' || root === 'this' || root === 'cls') && parts.length === 2) out.selfCalls.push(parts[1]);
    else if (parts.length === 1) out.localCalls.push(root);
    else out.memberCalls.push({ receiver: parts[parts.length - 2], method: parts[parts.length - 1] });

    if (parts.length === 2 && ctx.stores.has(root) && CLEARS.has(parts[1])) {
      out.invalidations.push({ form: `${root}.${parts[1]}`, mode: 'store', store: `var:${root}`, range: c.range });
      continue;
    }
    const kind = calleeKind(c.callee, s);
    const readForm = kind.read;
    if (readForm) {
      const r = readCall(c, readForm, ctx);
      if (r) out.reads.push(r);
      continue;
    }
    const invForm = kind.invalidate;
    if (invForm) {
      out.invalidations.push(...invalidationCall(c, invForm, ctx, scans));
      continue;
    }
    if (kind.write) {
      out.bodyWrite = true;
      const e = writeEntity(c, parts);
      if (e) out.entities.push(e);
    } else if (parts.length <= 2 && ['insert', 'update', 'delete'].includes(lastSegment(c.callee)) && ctx.isSqlBuilder(root)) {
      out.bodyWrite = true;
      const target = positional(c.args, 0);
      if (target?.kind === 'ref') out.entities.push(entityWord(lastSegment(target.path)));
    }
  }
  for (const str of strings) {
    if (str.value === docstring) continue;
    const m = SQL_WRITE.exec(str.value);
    if (m && (!/^\s*update/i.test(str.value) || /\bset\b/i.test(str.value))) {
      out.bodyWrite = true;
      out.entities.push(entityWord(lastSegment(m[1])));
    }
  }
  return out;
}

/** The entity a write call touches: `prisma.contact.update` → contact, `session.add(Booking(...))` → booking, `booking.save()` → booking. */
function writeEntity(c: CallSite, parts: string[]): string | undefined {
  const method = parts[parts.length - 1];
  const prev = parts[parts.length - 2];
  if (parts.includes('prisma') && parts.length >= 3) return entityWord(prev);
  if (prev === 'objects' && parts.length >= 3) return entityWord(parts[parts.length - 3]);
  const arg = positional(c.args, 0);
  if (arg?.kind === 'call' && /^[A-Z]/.test(lastSegment(arg.callee))) return entityWord(lastSegment(arg.callee));
  if (prev && /repo/i.test(prev)) {
    const stem = prev.replace(/_?repo(sitory)?$/i, '');
    return stem ? entityWord(stem) : undefined;
  }
  if (method === 'save' && prev && !['self', 'this', 'cls', 'session', 'db'].includes(prev)) return entityWord(prev);
  return undefined;
}
