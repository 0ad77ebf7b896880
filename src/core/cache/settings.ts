import type { CodenavConfig, SeverityOrOff } from '../workspace/config';

/** The names the cache analyzer recognises. Each list of `.codenav.yaml` `cache:` replaces its default. */
export interface CacheSettings {
  readDecorators: string[];
  invalidateDecorators: string[];
  invalidateCalls: string[];
  readCalls: string[];
  writePrefixes: string[];
  writeCalls: string[];
  cacheModules: string[];
  ignore: string[];
  missingTtl: SeverityOrOff;
}

export const DEFAULT_CACHE_SETTINGS: CacheSettings = {
  readDecorators: ['cached', 'cache', 'cache_response', 'cacheable', 'lru_cache', 'CacheKey', 'CacheTTL'],
  invalidateDecorators: ['invalidate_cache', 'cache_evict', 'invalidate'],
  invalidateCalls: [
    'cache.delete',
    'cache.delete_many',
    'cache.delete_pattern',
    'cache.delete_memoized',
    'cache.del',
    'cache.clear',
    'cache.reset',
    'cache.invalidate',
    'redis.delete',
    'redis.del',
    'redis.unlink',
    'FastAPICache.clear',
    'invalidate_cache',
    'invalidateCache',
    'invalidateByTag',
    'invalidate_by_tag',
    'revalidateTag',
    'cache_clear',
  ],
  readCalls: ['cache.set', 'redis.set', 'redis.setex', 'setCache', 'set_cache'],
  writePrefixes: ['create_', 'update_', 'delete_', 'cancel_', 'confirm_', 'set_', 'add_', 'remove_', 'insert_', 'upsert_', 'save_', 'patch_', 'archive_', 'restore_', 'approve_', 'reject_', 'assign_', 'mark_'],
  writeCalls: [
    'session.add',
    'session.add_all',
    'session.delete',
    'session.merge',
    'session.commit',
    'session.bulk_save_objects',
    'db.add',
    'db.delete',
    'db.commit',
    '.save',
    'objects.create',
    'objects.update_or_create',
    'objects.bulk_create',
    'prisma.*.create',
    'prisma.*.createMany',
    'prisma.*.update',
    'prisma.*.updateMany',
    'prisma.*.delete',
    'prisma.*.deleteMany',
    'prisma.*.upsert',
    'repository.insert',
    'repository.update',
    'repository.delete',
    'repository.remove',
  ],
  cacheModules: [],
  ignore: ['**/test/**', '**/tests/**', '**/__tests__/**', '**/test_*.py', '**/*_test.py', '**/conftest.py', '**/*.test.ts', '**/*.spec.ts', '**/versions/**', '**/migrations/**'],
  missingTtl: 'info',
};

export function cacheSettings(config: CodenavConfig): CacheSettings {
  const c = (config.cache ?? {}) as Partial<CacheSettings>;
  const out = { ...DEFAULT_CACHE_SETTINGS };
  for (const k of Object.keys(out) as (keyof CacheSettings)[]) if (c[k] !== undefined) (out as Record<string, unknown>)[k] = c[k];
  return out;
}

/** A stable text of the settings, so memoised per-file results are dropped when the config changes. */
export function settingsKey(s: CacheSettings): string {
  return JSON.stringify(s);
}

/**
 * Whether a dotted callee as written (`self.cache_client.delete_pattern`) fits a
 * configured name (`cache.delete_pattern`). The last segment must be equal; each
 * earlier segment of the name must occur in the callee segment at that place
 * (case-insensitive, so `cache` fits `cache_client` and `cacheManager`); `*` fits
 * any one segment. A name with a leading dot (`.save`) names the method only.
 * A name without a dot fits a callee whose last segment is that name.
 */
export function calleeMatches(callee: string, name: string): boolean {
  const c = callee.split('.').filter((s) => s !== '');
  const n = name.split('.');
  if (n[0] === '') n.shift();
  if (n.length === 0 || c.length < n.length) return false;
  const tail = c.slice(c.length - n.length);
  return n.every((seg, i) => {
    const actual = tail[i];
    if (seg === '*') return true;
    if (i === n.length - 1) return actual === seg;
    return actual.toLowerCase().replace(/_/g, '').includes(seg.toLowerCase().replace(/_/g, ''));
  });
}

/** The last segment of a configured name (`*` fits any), null for an empty name. */
const nameTails = new Map<string, string | null>();

function nameTail(name: string): string | null {
  let tail = nameTails.get(name);
  if (tail === undefined) {
    const n = name.split('.');
    if (n[0] === '') n.shift();
    nameTails.set(name, (tail = n.length ? n[n.length - 1] : null));
  }
  return tail;
}

export function anyCalleeMatches(callee: string, names: readonly string[]): string | undefined {
  // The last segments must be equal: names that end otherwise are passed over without a closer look.
  const last = callee.split('.').filter((seg) => seg !== '').pop() ?? '';
  return names.find((n) => {
    const tail = nameTail(n);
    return tail !== null && (tail === '*' || tail === last) && calleeMatches(callee, n);
  });
}

/** What a call is to the cache analyzer: the configured read and invalidation names it fits, and whether it writes data. */
export interface CalleeKind {
  read?: string;
  invalidate?: string;
  write: boolean;
}

/** Answers of `calleeKind` per settings, by callee (the same calls recur across a workspace). */
const kinds = new WeakMap<CacheSettings, Map<string, CalleeKind>>();

export function calleeKind(callee: string, s: CacheSettings): CalleeKind {
  let memo = kinds.get(s);
  if (!memo || memo.size > 100_000) kinds.set(s, (memo = new Map()));
  let kind = memo.get(callee);
  if (!kind) {
    kind = { read: anyCalleeMatches(callee, s.readCalls), invalidate: anyCalleeMatches(callee, s.invalidateCalls), write: !!anyCalleeMatches(callee, s.writeCalls) };
    memo.set(callee, kind);
  }
  return kind;
}

/** Remembers answers about function names per list of write prefixes. */
function byPrefixes<T>(memo: WeakMap<readonly string[], Map<string, T>>, prefixes: readonly string[], name: string, make: () => T): T {
  let m = memo.get(prefixes);
  if (!m || m.size > 100_000) memo.set(prefixes, (m = new Map()));
  if (m.has(name)) return m.get(name) as T;
  const v = make();
  m.set(name, v);
  return v;
}

const writeNames = new WeakMap<readonly string[], Map<string, boolean>>();
const words = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/**
 * Whether a function name says it writes: `update_booking`, `_add_note` (Python
 * prefixes), `updateContact`, `remove` (the camelCase forms and the bare verb).
 * Names about the cache itself (`set_cache`, `setCache`) are not data writes.
 */
export function isWriteName(name: string, prefixes: readonly string[]): boolean {
  return byPrefixes(writeNames, prefixes, name, () => writeName(name, prefixes));
}

function writeName(name: string, prefixes: readonly string[]): boolean {
  const bare = name.replace(/^_+/, '');
  if (/cache/i.test(bare)) return false;
  for (const p of prefixes) {
    if (bare.startsWith(p)) return true;
    const stem = p.replace(/_+$/, '');
    if (!stem) continue;
    if (bare === stem) return true;
    if (bare.startsWith(stem) && /^[A-Z0-9]/.test(bare.slice(stem.length))) return true;
  }
  return false;
}

/** The words after the write prefix: `update_booking_status` → booking, status; `updateContact` → contact. */
export function nameWords(name: string, prefixes: readonly string[]): readonly string[] {
  return byPrefixes(words, prefixes, name, () => wordsOf(name, prefixes));
}

function wordsOf(name: string, prefixes: readonly string[]): string[] {
  const bare = name.replace(/^_+/, '');
  let rest = bare;
  for (const p of prefixes) {
    const stem = p.replace(/_+$/, '');
    if (bare.startsWith(p)) {
      rest = bare.slice(p.length);
      break;
    }
    if (stem && bare.startsWith(stem) && /^[A-Z]/.test(bare.slice(stem.length))) {
      rest = bare.slice(stem.length);
      break;
    }
  }
  return rest
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\W]+/)
    .map(entityWord)
    .filter((w) => w.length > 2);
}

/** A plural or cased word as an entity: `Bookings` → booking, `categories` → category. */
export function entityWord(word: string): string {
  let w = word.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length > 3) w = w.slice(0, -1);
  return w;
}

const CLASS_SUFFIXES = /(Service|Repository|Repo|Manager|Controller|Gateway|Client|Store|Dao|Handler|Resolver)$/;

/** The entity a class is about: `BookingService` → booking; undefined for a bare suffix. */
export function classEntity(className: string): string | undefined {
  const stem = className.replace(CLASS_SUFFIXES, '');
  if (!stem) return undefined;
  const words = stem.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split('_');
  return entityWord(words[words.length - 1]);
}

/** The entity a cache key is about: its first literal segment (`booking:{id}` → booking, `/contacts/:id` → contact). */
export function keyEntity(key: string): string | undefined {
  const first = key.replace(/^[/:]+/, '').split(/[:/.|]/)[0];
  if (!first || /[{*?[\\]/.test(first)) return undefined;
  const e = entityWord(first);
  return e.length > 2 ? e : undefined;
}
