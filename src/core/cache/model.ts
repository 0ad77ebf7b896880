import type { Range, Severity } from '../findings';

/**
 * How a cached read builds its key:
 * - `exact`: one literal key;
 * - `template`: `{name}` placeholders filled from the arguments (`booking:{id}:detail`);
 * - `prefix`: a prefix, followed by a digest of the arguments when the function takes any;
 * - `memo`: an in-process memo (`lru_cache`, `cachetools`) with no shared key;
 * - `auto`: the library derives the key; it cannot be matched statically.
 */
export type KeyKind = 'exact' | 'template' | 'prefix' | 'memo' | 'auto';

/** A finding attached to the read or write it is about (the audit and the views list them). */
export interface ItemFinding {
  rule: string;
  severity: Severity;
  line: number;
  message: string;
}

/** Where something is, for "invalidated by" / "covers" lists. */
export interface CacheRef {
  service: string;
  name: string;
  file: string;
  /** 1-based. */
  line: number;
}

export interface CacheRead {
  name: string;
  /** 1-based line of the `def`/method name. */
  line: number;
  /** The key or prefix as written (placeholders kept); null for in-process memos and library-derived keys. */
  key: string | null;
  /** Seconds; null when there is none or it is not static (see `ttlText`). */
  ttl: number | null;
  keyKind: KeyKind;
  /** The TTL expression when it could not be evaluated statically (`settings.CACHE_TTL`). */
  ttlText?: string;
  /** Entry bound of an in-process cache (`maxsize=`). */
  maxsize?: number;
  /** The recognised form: `cached`, `functools.lru_cache`, `cachetools.cached`, `CacheKey`, `CacheInterceptor`, `setCache` … */
  form: string;
  /** The in-process store, for memos: `fn:get_settings` or `var:_rates`. */
  store?: string;
  /** The function takes arguments besides self/cls (a prefix key then gets a suffix). */
  hasArgs: boolean;
  invalidatedBy: (CacheRef & { pattern: string })[];
  /** Patterns that almost reach this key, and why they do not. */
  nearMisses: { pattern: string; write: CacheRef; reason: string; suggestion?: string }[];
  findings: ItemFinding[];
  /** 0-based: the whole definition (decorators included) and its name. */
  range: Range;
  nameRange: Range;
}

export interface CacheInvalidation {
  /** Redis glob with `{name}` placeholders; `?` marks a pattern that is not static. */
  pattern: string;
  /** How it was written: `@invalidate_cache`, `cache.delete_pattern`, `invalidateByTag`, `get_settings.cache_clear` … */
  form: string;
  /** Set for in-process clears (`get_settings.cache_clear()`), matched by store instead of pattern. */
  store?: string;
  /** Not statically known (a variable key). Such an invalidation covers nothing known, but it is no omission. */
  dynamic?: boolean;
  /** 1-based line of the decorator or call. */
  line: number;
  range: Range;
  /** Reached via a call to a helper (`self._invalidate()`), named here. */
  via?: string;
}

export interface CacheWrite {
  name: string;
  line: number;
  /** Static patterns (contract field). */
  invalidates: string[];
  /** `write`: changes data; `invalidator`: only invalidates (a helper or a cache-maintenance method). */
  kind: 'write' | 'invalidator';
  /** Why it counts as a write: `name` (create_…), `route` (POST/@Post), `body` (session.commit …). */
  writeReasons: ('name' | 'route' | 'body')[];
  /** The entities it touches (`booking`, `contact`), for the same-entity rule. */
  entities: string[];
  invalidations: CacheInvalidation[];
  covers: (CacheRef & { key: string | null; pattern: string })[];
  /** Sibling writes that call this one and invalidate, so this one needs no invalidation of its own. */
  coveredBy: string[];
  /** A write elsewhere that this one delegates to and that invalidates (`service.create_booking(…)`). */
  delegatesTo?: CacheRef;
  findings: ItemFinding[];
  range: Range;
  nameRange: Range;
}

export interface CacheCoverage {
  /** Data writes. */
  writes: number;
  /** Data writes that invalidate (themselves, via a helper, a caller or a delegate). */
  invalidating: number;
  reads: number;
  /** Reads that some write invalidates or that expire (TTL). */
  readsCovered: number;
}

export interface CacheServiceSummary {
  name: string;
  file: string;
  /** 1-based line of the class (1 for a module). */
  line: number;
  kind: 'class' | 'module';
  language: 'python' | 'typescript';
  reads: CacheRead[];
  writes: CacheWrite[];
  coverage: CacheCoverage;
}

export interface CacheData {
  services: CacheServiceSummary[];
  coverage: CacheCoverage & { services: number; findings: Record<Severity, number> };
}
