import { strict as assert } from 'node:assert';
import { main } from '../../../src/cli';
import { renderCacheAudit } from '../../../src/core/cache';
import { analyze, brief, fixture, matrix, service } from './support';

const BOOKING = 'backend/src/acme/platform/booking/service.py';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: fixture() });
  return { code, out };
}

describe('cache coverage: the sample workspace', () => {
  it('shows the audited matrix of the clean booking service, and no finding', async () => {
    const r = await analyze(fixture('sample'));
    const booking = service(r.data, 'BookingService');
    assert.equal(booking.file, BOOKING);
    const reads = matrix(booking).reads;
    assert.deepEqual(reads.find((x) => x[0] === 'get_dashboard_stats'), ['get_dashboard_stats', 'booking:stats', 300]);
    assert.deepEqual(reads.find((x) => x[0] === 'get_available_slots'), ['get_available_slots', 'booking:availability', 60]);
    assert.deepEqual(reads, [
      ['get_dashboard_stats', 'booking:stats', 300],
      ['get_available_slots', 'booking:availability', 60],
      ['get_booking', 'booking:{booking_id}:detail', 600],
    ]);
    assert.deepEqual(matrix(booking).writes, [
      ['create_booking', ['booking:*']],
      ['confirm_booking', ['booking:*']],
      ['cancel_booking', ['booking:*']],
    ]);
    for (const read of booking.reads) assert.deepEqual(read.invalidatedBy.map((b) => b.name), ['create_booking', 'confirm_booking', 'cancel_booking'], read.name);
    assert.deepEqual(
      booking.writes.map((w) => [w.name, w.line, w.writeReasons]),
      [
        ['create_booking', 90, ['name', 'body']],
        ['confirm_booking', 100, ['name', 'body']],
        ['cancel_booking', 108, ['name', 'body']],
      ],
    );
    assert.deepEqual(booking.coverage, { writes: 3, invalidating: 3, reads: 3, readsCovered: 3 });
    assert.deepEqual(matrix(service(r.data, 'ProductService')), {
      reads: [['list_products', 'catalog:products', 900]],
      writes: [
        ['create_product', ['catalog:*']],
        ['archive_product', ['catalog:*']],
      ],
    });
    assert.deepEqual(r.data.services.map((s) => s.name), ['ProductService', 'BookingService'], 'routers that delegate and services without cached entities stay out');
    assert.deepEqual(r.findings, []);
  });

  it('finds the planted cache faults of sample-faulty, at the documented lines', async () => {
    const r = await analyze(fixture('sample-faulty'));
    assert.deepEqual(brief(r.findings), [`${BOOKING}:125 cache/write-without-invalidation`, `${BOOKING}:90 cache/missing-ttl`, `${BOOKING}:90 cache/never-invalidated`]);
    const write = r.findings.find((f) => f.rule === 'cache/write-without-invalidation')!;
    assert.equal(write.severity, 'warning');
    assert.match(write.message, /create_booking, confirm_booking and cancel_booking invalidate booking:\*; update_booking does not\.$/);
    assert.equal(r.findings.find((f) => f.rule === 'cache/missing-ttl')?.severity, 'info');
    assert.match(r.findings.find((f) => f.rule === 'cache/never-invalidated')!.message, /no pattern \(booking:\*\) matches occupancy:weekly/);
    const fix = write.fixes?.[0];
    assert.equal(fix?.title, 'Add @invalidate_cache("booking:*") (as create_booking does)');
    assert.deepEqual(fix?.edits, [{ file: BOOKING, range: { start: { line: 124, character: 0 }, end: { line: 124, character: 0 } }, newText: '    @invalidate_cache("booking:*")\n' }]);
    assert.deepEqual(service(r.data, 'BookingService').coverage, { writes: 4, invalidating: 3, reads: 4, readsCovered: 3 });
  });

  it('follows the JSON contract of `codenav cache --format json`', async () => {
    const { code, out } = await cli(['cache', 'sample-faulty', '--format', 'json']);
    assert.equal(code, 0, 'warnings only');
    const json = JSON.parse(out);
    assert.ok(Array.isArray(json.findings) && json.findings.length === 3);
    assert.deepEqual(Object.keys(json.findings[0]).slice(0, 5), ['rule', 'severity', 'file', 'line', 'column']);
    const booking = json.services.find((s: { name: string }) => s.name === 'BookingService');
    assert.equal(booking.file, BOOKING);
    assert.deepEqual(booking.reads[0], { ...booking.reads[0], name: 'get_dashboard_stats', line: 30, key: 'booking:stats', ttl: 300 });
    const update = booking.writes.find((w: { name: string }) => w.name === 'update_booking');
    assert.deepEqual({ name: update.name, line: update.line, invalidates: update.invalidates }, { name: 'update_booking', line: 125, invalidates: [] });
    for (const s of json.services) for (const w of s.writes) assert.ok(Array.isArray(w.invalidates) && typeof w.line === 'number' && typeof w.name === 'string');
  });

  it('writes the audit report: per-service tables, findings and TTLs by category, the same on every run', async () => {
    const { code, out } = await cli(['cache', 'sample-faulty', '--format', 'markdown']);
    assert.equal(code, 0);
    assert.match(out, /^# Cache audit\n/);
    assert.match(out, /## BookingService\n\n`backend\/src\/acme\/platform\/booking\/service\.py`, line 25 · 3\/4 writes invalidate/);
    assert.match(out, /\| `get_dashboard_stats` \| 30 \| `booking:stats…` \| 5 min \| create_booking, confirm_booking and cancel_booking \|/);
    assert.match(out, /\| `update_booking` \| 125 \| \*\*nothing\*\* \| — \|/);
    assert.match(out, /\| warning \| `cache\/write-without-invalidation` \| `backend\/src\/acme\/platform\/booking\/service\.py`:125 \|/);
    assert.match(out, /\| Real-time \(≤ 60 s\) \| 1 \| BookingService\.get_available_slots \(60 s\) \|/);
    assert.match(out, /\| No TTL \| 1 \| BookingService\.get_weekly_occupancy \(no TTL\) \|/);
    const again = await cli(['cache', 'sample-faulty', '--format', 'markdown']);
    assert.equal(again.out, out);
  });

  it('renders an empty audit without failing', () => {
    assert.equal(renderCacheAudit({ services: [], coverage: { services: 0, writes: 0, invalidating: 0, reads: 0, readsCovered: 0, findings: { error: 0, warning: 0, info: 0 } } }), '# Cache audit\n\nNo cached reads or cache invalidations were found.\n');
  });

  it('prints a readable matrix in text mode', async () => {
    const { out } = await cli(['cache', 'sample-faulty', '--no-color']);
    assert.match(out, /BookingService {2}backend\/src\/acme\/platform\/booking\/service\.py:25 {2}3\/4 writes invalidate/);
    assert.match(out, /\n {2}writes +R1 {2}R2 {2}R3 {2}R4 {2}invalidates\n/);
    assert.match(out, /\n {2}create_booking +:108 +✓ {3}✓ {3}✓ {3}· {3}booking:\*\n/);
    assert.match(out, /\n {2}update_booking +:125 +· {3}· {3}· {3}· {3}nothing {2}write-without-invalidation\n/);
  });
});
