import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheAnalyzer, type CacheData } from '../../../src/core/cache';
import type { AnalyzerResult } from '../../../src/core/analyzer';
import { Workspace } from '../../../src/core/workspace/workspace';
import { tempDir, writeTree } from '../../support/tmp';
import { brief, service } from './support';

const CACHE = [
  'def cached(ttl=None, key_prefix=""):',
  '    return lambda fn: fn',
  '',
  '',
  'def invalidate_cache(*patterns):',
  '    return lambda fn: fn',
  '',
].join('\n');

const BOOKINGS = [
  'from app.core.cache import cached, invalidate_cache',
  'from app.keys import STATS',
  '',
  '',
  'class BookingService:',
  '    def __init__(self, session):',
  '        self.session = session',
  '',
  '    @cached(key_prefix=STATS)',
  '    def get_stats(self):',
  '        return 1',
  '',
  '    @invalidate_cache("booking:*")',
  '    def create_booking(self, payload):',
  '        self.session.commit()',
  '',
].join('\n');

const ORDERS = [
  'from app.core.cache import cached',
  '',
  '',
  'class OrderService:',
  '    @cached(ttl=60, key_prefix="orders:ping")',
  '    def ping(self):',
  '        return 1',
  '',
  '    def add_order(self, service):',
  '        service.create_booking({})',
  '',
].join('\n');

const REPORTS = [
  'from app.core.cache import cached',
  '',
  '',
  'class ReportService:',
  '    @cached(key_prefix="reports:daily")',
  '    def daily(self):',
  '        return 1',
  '',
].join('\n');

const PURGE = [
  'from app.core.cache import invalidate_cache',
  '',
  '',
  '@invalidate_cache("reports:*")',
  'def purge_reports():',
  '    return None',
  '',
].join('\n');

/** Five patterns ahead of all others, so that the first patterns of the workspace (quoted in messages) stay the same. */
const FIRST = [
  'from app.core.cache import invalidate_cache',
  '',
  '',
  '@invalidate_cache("zz1:*", "zz2:*", "zz3:*", "zz4:*", "zz5:*")',
  'def clear_all():',
  '    return None',
  '',
].join('\n');

const JOBS = [
  'from app.models import Report',
  '',
  '',
  'def rebuild(session):',
  '    session.add(Report())',
  '',
].join('\n');

/**
 * Each test analyses a workspace, changes files on disk, tells the workspace,
 * and analyses again: the second result must equal that of a fresh workspace
 * opened on the changed files, and show the change.
 */
describe('cache coverage: re-runs after a change equal a fresh analysis', () => {
  let t: ReturnType<typeof tempDir>;
  let ws: Workspace;
  beforeEach(async () => {
    t = tempDir();
    writeTree(t.dir, {
      'app/__init__.py': '',
      'app/core/cache.py': CACHE,
      'app/a_first.py': FIRST,
      'app/report_jobs.py': JOBS,
      'app/keys.py': 'STATS = "booking:stats"\n',
      'app/bookings.py': BOOKINGS,
      'app/orders.py': ORDERS,
      'app/reports.py': REPORTS,
      'app/purge.py': PURGE,
    });
    ws = await Workspace.open(t.dir, { noGit: true });
  });
  afterEach(() => t.cleanup());

  async function change(files: Record<string, string | null>): Promise<AnalyzerResult<CacheData>> {
    for (const [rel, text] of Object.entries(files)) {
      if (text === null) fs.rmSync(path.join(t.dir, rel));
      else writeTree(t.dir, { [rel]: text });
      await ws.update(rel);
    }
    const again = await cacheAnalyzer.run(ws);
    const fresh = await cacheAnalyzer.run(await Workspace.open(t.dir, { noGit: true }));
    assert.deepEqual(again, fresh, 'the re-run equals a fresh analysis');
    return again;
  }

  it('returns the same result when nothing changed', async () => {
    const first = await cacheAnalyzer.run(ws);
    assert.deepEqual(await cacheAnalyzer.run(ws), first);
    assert.deepEqual(
      brief(first.findings).filter((f) => !f.startsWith('app/a_first.py')),
      ['app/bookings.py:10 cache/missing-ttl', 'app/report_jobs.py:4 cache/write-without-invalidation', 'app/reports.py:6 cache/missing-ttl'],
    );
  });

  it('follows a changed constant into the files that import it', async () => {
    await cacheAnalyzer.run(ws);
    const r = await change({ 'app/keys.py': 'STATS = "stats:booking"\n' });
    const read = service(r.data, 'BookingService').reads[0];
    assert.equal(read.key, 'stats:booking');
    assert.deepEqual(read.invalidatedBy, [], 'booking:* no longer reaches it');
    assert.ok(brief(r.findings).includes('app/bookings.py:10 cache/never-invalidated'));
  });

  it('updates the delegation of a write in another file when the write it calls stops invalidating', async () => {
    const before = await cacheAnalyzer.run(ws);
    assert.equal(service(before.data, 'OrderService').writes[0].delegatesTo?.name, 'create_booking');
    const r = await change({ 'app/bookings.py': BOOKINGS.replace('create_booking', 'create_reservation') });
    assert.equal(service(r.data, 'OrderService').writes[0].delegatesTo, undefined);
    assert.ok(brief(r.findings).includes('app/orders.py:9 cache/write-without-invalidation'));
  });

  it('updates reads of other files when a pattern changes, and the other way round', async () => {
    await cacheAnalyzer.run(ws);
    let r = await change({ 'app/purge.py': PURGE.replace('reports:*', 'report:*') });
    assert.deepEqual(service(r.data, 'ReportService').reads[0].invalidatedBy, []);
    assert.ok(brief(r.findings).includes('app/purge.py:4 cache/orphan-invalidation'));
    r = await change({ 'app/reports.py': REPORTS.replace('reports:daily', 'report:daily') });
    assert.deepEqual(service(r.data, 'ReportService').reads[0].invalidatedBy.map((b) => b.pattern), ['report:*']);
    assert.ok(!brief(r.findings).includes('app/purge.py:4 cache/orphan-invalidation'));
  });

  it('updates the message of a write of an entity whose cached keys changed elsewhere', async () => {
    const message = (r: AnalyzerResult<CacheData>) => r.findings.find((f) => f.file === 'app/report_jobs.py')?.message;
    assert.match(message(await cacheAnalyzer.run(ws)) ?? '', /ReportService caches \(reports:daily\)/);
    const r = await change({ 'app/reports.py': REPORTS.replace('reports:daily', 'reports:weekly') });
    assert.match(message(r) ?? '', /ReportService caches \(reports:weekly\)/);
  });

  it('takes in files that appear and disappear', async () => {
    await cacheAnalyzer.run(ws);
    let r = await change({ 'app/purge.py': null });
    assert.deepEqual(service(r.data, 'ReportService').reads[0].invalidatedBy, []);
    r = await change({ 'app/purge_again.py': PURGE });
    assert.deepEqual(service(r.data, 'ReportService').reads[0].invalidatedBy.map((b) => `${b.file} ${b.name}`), ['app/purge_again.py purge_reports']);
  });

  it('drops a file whose cache decorators are gone, and takes it back', async () => {
    await cacheAnalyzer.run(ws);
    let r = await change({ 'app/reports.py': 'class ReportService:\n    def daily(self):\n        return 1\n' });
    assert.ok(!r.data.services.some((s) => s.name === 'ReportService'));
    r = await change({ 'app/reports.py': REPORTS });
    assert.equal(service(r.data, 'ReportService').reads[0].invalidatedBy.length, 1);
  });

  it('takes turns when runs overlap, and recovers from a cancelled run', async () => {
    const [a, b] = await Promise.all([cacheAnalyzer.run(ws), cacheAnalyzer.run(ws)]);
    assert.deepEqual(a, b);
    writeTree(t.dir, { 'app/purge.py': PURGE.replace('reports:*', 'report:*') });
    await ws.update('app/purge.py');
    // Cancelled at each point in turn where the run checks its signal, then run to the end.
    const expected = await cacheAnalyzer.run(await Workspace.open(t.dir, { noGit: true }));
    for (let checks = 0; checks < 30; checks += 3) {
      let seen = 0;
      const signal = { get aborted() { return seen++ >= checks; } } as AbortSignal;
      await cacheAnalyzer.run(ws, { signal }).catch((e: Error) => assert.match(e.message, /cancelled/));
      writeTree(t.dir, { 'app/purge.py': checks % 2 ? PURGE : PURGE.replace('reports:*', 'report:*') });
      await ws.update('app/purge.py');
    }
    writeTree(t.dir, { 'app/purge.py': PURGE.replace('reports:*', 'report:*') });
    await ws.update('app/purge.py');
    const r = await cacheAnalyzer.run(ws);
    assert.deepEqual(r, expected);
    assert.deepEqual(service(r.data, 'ReportService').reads[0].invalidatedBy, []);
  });

  it('starts afresh after a reload', async () => {
    await cacheAnalyzer.run(ws);
    writeTree(t.dir, { 'app/keys.py': 'STATS = "reports:stats"\n' });
    await ws.reload();
    const r = await cacheAnalyzer.run(ws);
    assert.deepEqual(r, await cacheAnalyzer.run(await Workspace.open(t.dir, { noGit: true })));
    assert.deepEqual(service(r.data, 'BookingService').reads[0].invalidatedBy.map((b) => b.name), ['purge_reports']);
  });
});
