import { strict as assert } from 'node:assert';
import { Catalog, somePatterns } from '../../../src/core/cache/catalog';
import { globStats } from '../../../src/core/cache/glob';
import { fileResults, type Snapshot } from '../../../src/core/cache/incremental';
import { linkFile } from '../../../src/core/cache/link';
import type { FileLink } from '../../../src/core/cache/memo';
import type { FileResult } from '../../../src/core/cache/outputs';
import { Resolver } from '../../../src/core/cache/resolve';
import type { FileScan, RawFn, RawInvalidation, RawRead } from '../../../src/core/cache/scan';
import { DEFAULT_CACHE_SETTINGS } from '../../../src/core/cache/settings';
import type { Range } from '../../../src/core/findings';
import type { Workspace } from '../../../src/core/workspace/workspace';

const SERVICES = 3000;

function at(line: number): Range {
  return { start: { line, character: 4 }, end: { line, character: 20 } };
}

function fn(name: string, line: number, extra: Partial<RawFn>): RawFn {
  return { name, range: at(line), nameRange: at(line), params: ['self', 'id'], hasArgs: true, reads: [], invalidations: [], writeReasons: [], entities: [], selfCalls: [], localCalls: [], memberCalls: [], ...extra };
}

const read = (key: string, mode: RawRead['mode'], line: number): RawRead => ({ form: 'cached', key: { kind: 'text', text: key, expr: false }, mode, ttl: { kind: 'seconds', value: 60 }, range: at(line) });
const glob = (pattern: string, line: number): RawInvalidation => ({ form: '@invalidate_cache', mode: 'glob', sym: { kind: 'text', text: pattern, expr: false }, decorator: true, range: at(line) });

/** Service `i`: two cached reads, a write that invalidates them all, one that clears the list, one that invalidates nothing, and every tenth a pattern no key matches. */
function service(i: number, variant = ''): FileScan {
  const p = `svc${i}${variant}`;
  return {
    file: `svc${i}/service.py`,
    language: 'python',
    helpers: {},
    units: [
      {
        name: `Svc${i}Service`,
        kind: 'class',
        line: 1,
        entity: `svc${i}`,
        fns: [
          fn('get_item', 3, { reads: [read(`${p}:item:{id}`, 'key', 2)] }),
          fn('list_items', 6, { params: ['self'], hasArgs: false, reads: [read(`${p}:list`, 'prefix', 5)] }),
          fn('create_item', 9, { writeReasons: ['name'], invalidations: [glob(`${p}:*`, 8)] }),
          fn('update_item', 12, { writeReasons: ['name'], invalidations: [glob(`${p}:list`, 11), ...(i % 10 === 0 ? [glob(`${p}:gone:*`, 11)] : [])] }),
          fn('delete_item', 15, { writeReasons: ['name', 'body'], entities: [`svc${i}`] }),
        ],
      },
    ],
  };
}

async function link(scan: FileScan, resolver: Resolver): Promise<FileLink> {
  return { file: scan.file, scan, units: await linkFile(scan, resolver), deps: new Map(), volatile: false };
}

describe('cache coverage at scale: the link phase stays near-linear', () => {
  // Keys and patterns here are literal text: the resolver never needs the workspace.
  const resolver = new Resolver({} as Workspace, async () => undefined);
  const settings = { settings: DEFAULT_CACHE_SETTINGS, text: () => undefined, lines: new Map<string, string[] | undefined>() };
  let links: Map<string, FileLink>;
  let order: string[];
  let catalog: Catalog;
  let snapshot: Snapshot;
  let comparisons: number;

  before(async () => {
    links = new Map();
    for (let i = 0; i < SERVICES; i++) {
      const l = await link(service(i), resolver);
      links.set(l.file, l);
    }
    order = [...links.keys()];
    catalog = new Catalog();
    catalog.update(order, links);
    const patterns = somePatterns(order, links);
    const ix = catalog.context(settings, patterns);
    globStats.comparisons = 0;
    const results = fileResults(undefined, { order, links, somePatterns: patterns, keyed: ix.keys.anyKeyed }, ix, undefined, () => undefined);
    comparisons = globStats.comparisons;
    snapshot = { order, links, results, somePatterns: patterns, keyed: ix.keys.anyKeyed };
  });

  it('compares each pattern only with the keys that share its literal prefix', () => {
    // 3,000 services with 2 keys and 3–4 patterns each: all pairs would be about 20 million comparisons.
    assert.ok(comparisons > 0, 'patterns were matched');
    assert.ok(comparisons <= 4 * SERVICES, `${comparisons} glob comparisons for ${SERVICES} services`);
  });

  it('still finds every match, near miss and orphan: svc1:* covers svc1 only, not svc10 or svc100', () => {
    const r = snapshot.results.get('svc1/service.py')!;
    const [svc] = r.services;
    const create = svc.writes.find((w) => w.name === 'create_item')!;
    assert.deepEqual(create.covers.map((c) => `${c.file} ${c.key}`), ['svc1/service.py svc1:item:{id}', 'svc1/service.py svc1:list']);
    const update = svc.writes.find((w) => w.name === 'update_item')!;
    assert.deepEqual(update.covers.map((c) => c.key), ['svc1:list']);
    const findings = r.emitted.flat().map((f) => `${f.rule} ${f.range.start.line}`);
    assert.deepEqual(findings, ['cache/write-without-invalidation 15']);
    const ten = snapshot.results.get('svc10/service.py')!.emitted.flat();
    assert.deepEqual(
      ten.filter((f) => f.rule === 'cache/orphan-invalidation').map((f) => f.message),
      ['update_item invalidates svc10:gone:*, which matches no cached key.'],
    );
  });

  it('re-runs after one service changed with a handful of comparisons, reusing every other result', () => {
    const file = 'svc7/service.py';
    return (async () => {
      const changed = await link(service(7, 'x'), resolver);
      const next = new Map(links).set(file, changed);
      catalog.update(order, next, [file]);
      const patterns = somePatterns(order, next);
      const ix = catalog.context(settings, patterns);
      globStats.comparisons = 0;
      const results = fileResults(snapshot, { order, links: next, somePatterns: patterns, keyed: true }, ix, [file], () => undefined);
      assert.ok(globStats.comparisons <= 20, `${globStats.comparisons} comparisons after one change`);
      const reused = order.filter((f) => results.get(f) === snapshot.results.get(f)).length;
      assert.equal(reused, SERVICES - 1, 'only the changed service is analysed again');
      const [svc] = (results.get(file) as FileResult).services;
      assert.deepEqual(svc.reads.map((r) => r.key), ['svc7x:item:{id}', 'svc7x:list']);
      assert.deepEqual(svc.reads[0].invalidatedBy.map((b) => b.pattern), ['svc7x:*']);
    })();
  });
});
