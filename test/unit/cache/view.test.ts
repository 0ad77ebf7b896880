import { strict as assert } from 'node:assert';
import type { CacheData } from '../../../src/core/cache';
import { lensesFor, serviceNodes } from '../../../src/vscode/cache/model';
import { analyze, fixture } from './support';

const BOOKING = 'backend/src/acme/platform/booking/service.py';

describe('cache coverage: view and CodeLens content', () => {
  let faulty: CacheData;
  let nest: CacheData;

  before(async () => {
    faulty = (await analyze(fixture('sample-faulty'))).data;
    nest = (await analyze(fixture('cache', 'nest'))).data;
  });

  it('shows each service with its coverage figure, reads (key, TTL, invalidated by N) and writes (patterns, covers N)', () => {
    const booking = serviceNodes(faulty).find((n) => n.label === 'BookingService')!;
    assert.equal(booking.description, '3/4 writes invalidate');
    assert.equal(booking.state, 'warning');
    assert.deepEqual(booking.open, { file: BOOKING, line: 25, label: 'BookingService' });
    assert.deepEqual(
      booking.children.map((c) => [c.kind, c.label, c.description, c.icon, c.state]),
      [
        ['read', 'get_dashboard_stats', 'booking:stats… · 5 min · invalidated by 3 writes', 'pass', 'ok'],
        ['read', 'get_available_slots', 'booking:availability… · 60 s · invalidated by 3 writes', 'pass', 'ok'],
        ['read', 'get_booking', 'booking:{booking_id}:detail · 10 min · invalidated by 3 writes', 'pass', 'ok'],
        ['read', 'get_weekly_occupancy', 'occupancy:weekly… · no TTL · invalidated by no write', 'warning', 'warning'],
        ['write', 'create_booking', 'booking:* · covers 3 reads', 'pass', 'ok'],
        ['write', 'confirm_booking', 'booking:* · covers 3 reads', 'pass', 'ok'],
        ['write', 'update_booking', 'nothing · covers 0 reads', 'warning', 'warning'],
        ['write', 'cancel_booking', 'booking:* · covers 3 reads', 'pass', 'ok'],
      ],
    );
    const stats = booking.children[0];
    assert.deepEqual(stats.children.map((c) => [c.label, c.description, c.open.line]), [
      ['create_booking', 'booking:*', 108],
      ['confirm_booking', 'booking:*', 118],
      ['cancel_booking', 'booking:*', 132],
    ]);
    assert.match(booking.children[6].tooltip, /cache\/write-without-invalidation/);
    const product = serviceNodes(faulty).find((n) => n.label === 'ProductService')!;
    assert.equal(product.description, '2/2 writes invalidate');
    assert.equal(product.state, 'ok');
  });

  it('gives CodeLens titles above each cached read and write, with the places to open', () => {
    const lenses = lensesFor(faulty, BOOKING);
    assert.deepEqual(
      lenses.map((l) => [l.line + 1, l.title]),
      [
        [29, 'cached 5 min · invalidated by create_booking, confirm_booking, cancel_booking'],
        [54, 'cached 60 s · invalidated by create_booking, confirm_booking, cancel_booking'],
        [85, 'cached 10 min · invalidated by create_booking, confirm_booking, cancel_booking'],
        [89, 'cached without TTL · invalidated by no write'],
        [107, 'invalidates booking:* → 3 cached reads'],
        [117, 'invalidates booking:* → 3 cached reads'],
        [125, 'invalidates no cached read'],
        [131, 'invalidates booking:* → 3 cached reads'],
      ],
    );
    assert.deepEqual(lenses[4].places.map((p) => [p.label, p.file, p.line, p.detail]), [
      ['BookingService.get_dashboard_stats', BOOKING, 30, 'booking:stats'],
      ['BookingService.get_available_slots', BOOKING, 55, 'booking:availability'],
      ['BookingService.get_booking', BOOKING, 86, 'booking:{booking_id}:detail'],
    ]);
    assert.deepEqual(lensesFor(faulty, 'backend/src/acme/platform/booking/router.py'), []);
  });

  it('shows delegation in lenses and service figures (NestJS)', () => {
    const lenses = lensesFor(nest, 'src/contacts/contacts.controller.ts');
    assert.deepEqual(
      lenses.map((l) => l.title),
      [
        'cached 30 s · invalidated by create, remove',
        'cached 60 s · invalidated by remove',
        'invalidates via ContactsService.create',
        'invalidates no cached read',
        'invalidates via ContactsService.remove',
      ],
    );
    assert.equal(lenses[2].places[0].label, 'ContactsService.create');
    assert.equal(serviceNodes(nest).find((n) => n.label === 'ContactsController')?.description, '2/3 writes invalidate');
  });
});
