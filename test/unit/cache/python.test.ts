import { strict as assert } from 'node:assert';
import type { CacheData } from '../../../src/core/cache';
import type { Finding } from '../../../src/core/findings';
import { analyze, brief, fixture, service } from './support';

describe('cache coverage: Python forms (test/fixtures/cache/python)', () => {
  let data: CacheData;
  let findings: Finding[];

  before(async () => {
    const r = await analyze(fixture('cache', 'python'));
    data = r.data;
    findings = r.findings;
  });

  it('reads the in-house decorators: key_prefix, key templates, positional prefixes, f-strings, imported constants and TTL expressions', () => {
    const orders = service(data, 'OrderService');
    const reads = Object.fromEntries(orders.reads.map((r) => [r.name, [r.key, r.keyKind, r.ttl, r.form]]));
    assert.deepEqual(reads.get_stats, ['orders:stats', 'prefix', 300, 'core.cache.cached'], 'key_prefix from an imported constant');
    assert.deepEqual(reads.get_order, ['orders:{order_id}:detail', 'template', 600, 'core.cache.cached'], 'ttl=TEN_MINUTES (10 * 60) from another module');
    assert.deepEqual(reads.list_orders, ['orders:list', 'prefix', 120, 'core.cache.cache_response'], 'positional prefix, expire= module arithmetic');
    assert.deepEqual(reads.get_summary, ['orders:summary', 'exact', 120, 'core.cache.cacheable'], 'f-string over a constant, timeout=timedelta(minutes=2)');
    assert.deepEqual(reads.tax_table, [null, 'memo', null, 'functools.lru_cache']);
    assert.equal(orders.reads.find((r) => r.name === 'tax_table')?.maxsize, 32);
  });

  it('reads cachetools, aiocache and fastapi-cache decorators, and a manual read-through', () => {
    const pricing = service(data, 'PricingService');
    assert.deepEqual(
      pricing.reads.map((r) => [r.name, r.keyKind, r.ttl, r.maxsize, r.store]),
      [
        ['rate_for', 'memo', 30, 256, 'var:_rates'],
        ['discounts', 'memo', null, 64, 'fn:discounts'],
      ],
    );
    const fx = service(data, 'FxService');
    assert.deepEqual(
      fx.reads.map((r) => [r.name, r.key, r.keyKind, r.ttl, r.form]),
      [
        ['eur_rate', 'fx:eur', 'exact', 10, 'aiocache.cached'],
        ['currencies', null, 'auto', 3600, 'aiocache.cached'],
      ],
    );
    const catalog = service(data, 'app/catalog/router');
    assert.deepEqual(
      catalog.reads.map((r) => [r.name, r.key, r.keyKind, r.ttl, r.form]),
      [['list_products', 'catalog', 'prefix', 45, 'fastapi_cache.decorator.cache']],
    );
    const reports = service(data, 'app/orders/reports');
    assert.deepEqual(reports.reads.map((r) => [r.name, r.key, r.ttl, r.form]), [['monthly_report', 'orders:report:{month}', 3600, 'cache.set']]);
    const reference = service(data, 'app/core/reference');
    assert.deepEqual(
      reference.reads.map((r) => [r.name, r.keyKind, r.maxsize ?? null, r.form]),
      [
        ['feature_flags', 'memo', 128, 'functools.lru_cache'],
        ['country_codes', 'memo', null, 'functools.cache'],
      ],
      'bare @lru_cache is bounded to 128 entries; @cache is unbounded',
    );
  });

  it('recognises writes by name, by session calls, by .save() and by SQL strings', () => {
    const reports = service(data, 'app/orders/reports');
    assert.deepEqual(
      reports.writes.map((w) => [w.name, w.writeReasons, w.invalidates]),
      [
        ['archive_report', ['name', 'body'], ['orders:report:{report.month}']],
        ['log_export', ['body'], []],
      ],
    );
    const orders = service(data, 'OrderService');
    const reasons = Object.fromEntries(orders.writes.map((w) => [w.name, w.writeReasons]));
    assert.deepEqual(reasons.update_order, ['name', 'body'], 'UPDATE … SET in a SQL string');
    assert.deepEqual(reasons.remove_order_line, ['name', 'body'], 'DELETE FROM in a SQL string');
    assert.deepEqual(reasons._invalidate, [], 'an invalidation helper is no data write');
    assert.deepEqual(orders.writes.find((w) => w.name === 'add_order_note')?.entities, ['order', 'note', 'ordernote']);
    assert.equal(data.services.find((s) => s.name === 'app/core/reference')?.writes.length, 0);
    assert.equal(findings.filter((f) => f.file === 'app/core/reference.py').length, 0, 'memos in a module without writes are fine');
  });

  it('reads every invalidation form: decorators with one or more patterns, body calls, helpers and clears', () => {
    const orders = service(data, 'OrderService');
    const writes = Object.fromEntries(orders.writes.map((w) => [w.name, w.invalidates]));
    assert.deepEqual(writes.create_order, ['orders:*'], '@invalidate_cache');
    assert.deepEqual(writes.confirm_order, ['orders:stats*', 'orders:list*'], '@cache_evict with two patterns');
    assert.deepEqual(writes.cancel_order, ['orders:{order_id}:*'], '@invalidate(patterns=[...])');
    assert.deepEqual(writes.update_order, ['orders:{order_id}:detail', 'orders:list*'], 'cache.delete(f-string) and cache.delete_pattern');
    assert.deepEqual(writes.delete_order, ['orders:stats', 'orders:summary'], 'redis.delete and invalidate_cache() through self._invalidate()');
    assert.deepEqual(writes.refresh_tax_table, ['tax_table.cache_clear()']);
    assert.equal(orders.writes.find((w) => w.name === 'refresh_tax_table')?.kind, 'invalidator');
    assert.deepEqual(service(data, 'PricingService').writes.map((w) => [w.name, w.invalidates, w.writeReasons]), [['set_price', ['_rates.cache_clear()'], ['name', 'body']]]);
    assert.deepEqual(service(data, 'app/catalog/router').writes.map((w) => [w.name, w.invalidates]), [['create_product', ['catalog*']]], 'FastAPICache.clear(namespace=)');
  });

  it('connects patterns to the reads they reach, both ways', () => {
    const orders = service(data, 'OrderService');
    const by = (name: string) => orders.reads.find((r) => r.name === name)!.invalidatedBy.map((b) => b.name);
    assert.deepEqual(by('get_order'), ['create_order', 'cancel_order', 'update_order']);
    assert.deepEqual(by('get_stats'), ['create_order', 'confirm_order'], 'orders:stats (exact) cannot reach the prefix key with arguments');
    assert.deepEqual(by('tax_table'), ['refresh_tax_table']);
    const create = orders.writes.find((w) => w.name === 'create_order')!;
    assert.deepEqual(create.covers.map((c) => c.name), ['monthly_report', 'get_stats', 'get_order', 'list_orders', 'get_summary'], 'across modules, sorted by file then line');
    assert.deepEqual(service(data, 'PricingService').reads.find((r) => r.name === 'rate_for')?.invalidatedBy.map((b) => b.name), ['set_price']);
    assert.deepEqual(orders.coverage, { writes: 7, invalidating: 5, reads: 5, readsCovered: 5 });
  });

  it('reports exactly the planted findings', () => {
    assert.deepEqual(brief(findings), [
      'app/orders/reports.py:20 cache/write-without-invalidation',
      'app/orders/service.py:68 cache/orphan-invalidation',
      'app/orders/service.py:71 cache/write-without-invalidation',
      'app/orders/service.py:76 cache/write-without-invalidation',
      'app/pricing/service.py:19 cache/never-invalidated',
    ]);
    const orphan = findings.find((f) => f.rule === 'cache/orphan-invalidation')!;
    assert.match(orphan.message, /^_invalidate invalidates orders:stats, which matches no cached key\. orders:stats \(OrderService\.get_stats\) is out of reach: the key has a suffix the pattern lacks \(the argument digest\); orders:stats\* would reach it\.$/);
    const note = findings.find((f) => f.message.startsWith('add_order_note'))!;
    assert.match(note.message, /create_order invalidates orders:\*; confirm_order invalidates orders:stats\*, orders:list\*; .*add_order_note does not\.$/);
    const memo = findings.find((f) => f.rule === 'cache/never-invalidated')!;
    assert.match(memo.message, /^discounts is cached without a TTL \(bounded to 64 entries, but entries never expire\)/);
  });

  it('ignores a commented-out decorator and a decorator inside a string', () => {
    const orders = service(data, 'OrderService');
    const remove = orders.writes.find((w) => w.name === 'remove_order_line')!;
    assert.deepEqual(remove.invalidates, [], 'the commented-out @invalidate_cache is no decorator');
    assert.ok(remove.findings.some((f) => f.rule === 'cache/write-without-invalidation'));
    assert.equal(orders.writes.find((w) => w.name === 'export_orders'), undefined, 'a decorator in a docstring or string literal is no decorator');
    assert.equal(orders.reads.find((r) => r.name === 'export_orders'), undefined);
  });

  it('ignores same-named decorators imported from unrelated modules', () => {
    assert.equal(data.services.find((s) => s.name === 'SessionService'), undefined, '@cache from app.http.headers and @invalidate from app.auth.events');
    assert.equal(findings.filter((f) => f.file.startsWith('app/auth/')).length, 0);
  });

  it('does not treat decorator definitions as uses', () => {
    assert.equal(data.services.find((s) => s.file === 'app/core/cache.py'), undefined);
  });
});
