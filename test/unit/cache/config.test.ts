import { strict as assert } from 'node:assert';
import { cacheAnalyzer } from '../../../src/core/cache';
import { tempDir, writeTree } from '../../support/tmp';
import { analyze, brief, matrix, service } from './support';

const SERVICE = [
  'from acme.caching import memoize, purge',
  'from acme.decorators import cached',
  '',
  '',
  'class ReportService:',
  '    def __init__(self, session):',
  '        self.session = session',
  '',
  '    @memoize(seconds=90, key_prefix="reports:daily")',
  '    def daily(self, day):',
  '        return 1',
  '',
  '    @cached(key_prefix="reports:weekly")',
  '    def weekly(self, week):',
  '        return 2',
  '',
  '    @purge("reports:*")',
  '    def rebuild_reports(self):',
  '        self.session.commit()',
  '',
  '    def publish_report(self, report_id):',
  '        self.session.commit()',
  '',
  '    def touch(self):',
  '        self.session.commit()',
  '        self.store.wipe("reports:daily*")',
  '',
].join('\n');

describe('cache coverage: .codenav.yaml cache section', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('uses the defaults without a config: unknown decorator names and an unrelated module are ignored', async () => {
    writeTree(t.dir, { 'app/reports.py': SERVICE });
    const r = await analyze(t.dir);
    assert.deepEqual(r.data.services, [], '@memoize and @purge are not default names; acme.decorators is not a cache module');
  });

  it('replaces the recognised names, write prefixes and modules with the configured lists', async () => {
    writeTree(t.dir, {
      'app/reports.py': SERVICE,
      '.codenav.yaml': [
        'cache:',
        '  readDecorators: [memoize, cached]',
        '  invalidateDecorators: [purge]',
        '  invalidateCalls: [store.wipe]',
        '  writePrefixes: [rebuild_, publish_]',
        '  cacheModules: [acme.decorators]',
        '  missingTtl: warning',
        '',
      ].join('\n'),
    });
    const r = await analyze(t.dir);
    assert.deepEqual(r.ws.configFindings, []);
    const s = service(r.data, 'ReportService');
    assert.deepEqual(matrix(s), {
      reads: [
        ['daily', 'reports:daily', 90],
        ['weekly', 'reports:weekly', null],
      ],
      writes: [
        ['rebuild_reports', ['reports:*']],
        ['publish_report', []],
        ['touch', ['reports:daily*']],
      ],
    });
    assert.deepEqual(
      r.findings.map((f) => [f.range.start.line + 1, f.rule, f.severity]),
      [
        [14, 'cache/missing-ttl', 'warning'],
        [21, 'cache/write-without-invalidation', 'warning'],
      ],
    );
  });

  it('turns missing-ttl off, and skips ignored paths', async () => {
    writeTree(t.dir, {
      'app/reports.py': SERVICE.replace('from acme.caching import memoize, purge', 'from acme.caching import cached as memoize, purge'),
      'legacy/old.py': 'from app.cache import cached\n\n@cached(key_prefix="old")\ndef old():\n    return 1\n',
      '.codenav.yaml': 'cache:\n  readDecorators: [memoize]\n  invalidateDecorators: [purge]\n  missingTtl: off\n  ignore: ["legacy/**"]\n',
    });
    const r = await analyze(t.dir);
    assert.deepEqual(r.data.services.map((s) => s.name), ['ReportService']);
    assert.deepEqual(brief(r.findings), ['app/reports.py:21 cache/write-without-invalidation', 'app/reports.py:24 cache/write-without-invalidation']);
  });

  it('reports a wrong type in the cache section as a config finding, and keeps working', async () => {
    writeTree(t.dir, { 'app/reports.py': SERVICE, '.codenav.yaml': 'cache:\n  missingTtl: sometimes\n  readDecorators: [memoize]\n' });
    const r = await analyze(t.dir);
    assert.equal(r.ws.configFindings.length, 1);
    assert.match(r.ws.configFindings[0].message, /^cache\.missingTtl: must be one of/);
    assert.deepEqual(service(r.data, 'ReportService').reads.map((x) => x.name), ['daily']);
  });

  it('never throws on broken source', async () => {
    writeTree(t.dir, {
      'app/broken.py': 'from app.cache import cached\n\nclass X:\n    @cached(ttl=, key_prefix="x"\n    def f(self:\n',
      'app/broken.ts': "import { CacheKey } from '@nestjs/common'\nclass A { @CacheKey( get() { return `${ } }\n",
      'app/binary.py': Buffer.from([0x63, 0x61, 0x63, 0x68, 0x65, 0, 1, 2]),
    });
    const r = await analyze(t.dir);
    assert.ok(Array.isArray(r.findings));
  });
});

describe('cache coverage: cost', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('parses only files that mention caching or a cached entity, and reuses per-file results', async () => {
    const files: Record<string, string> = {
      'app/bookings.py': 'from app.cache import cached\n\nclass BookingService:\n    @cached(ttl=60, key_prefix="booking:list")\n    def list(self):\n        return []\n',
      'app/booking_sync.py': 'class BookingSync:\n    def update_booking(self, b):\n        self.session.commit()\n',
    };
    for (let i = 0; i < 40; i++) files[`app/other_${i}.py`] = `def total_${i}(xs):\n    return sum(xs) + ${i}\n`;
    writeTree(t.dir, files);
    const first = await analyze(t.dir);
    assert.equal(first.ws.cache.parses, 2, 'the 40 unrelated modules are never parsed');
    assert.deepEqual(brief(first.findings), ['app/booking_sync.py:2 cache/write-without-invalidation'], 'a write elsewhere that touches the cached entity');
    const started = Date.now();
    const again = await cacheAnalyzer.run(first.ws);
    assert.deepEqual(brief(again.findings), brief(first.findings));
    assert.equal(first.ws.cache.parses, 2);
    assert.ok(Date.now() - started < 1000);
  });
});
