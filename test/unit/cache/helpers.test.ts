import { strict as assert } from 'node:assert';
import { formatTtl } from '../../../src/core/cache/format';
import { calleeMatches, classEntity, DEFAULT_CACHE_SETTINGS, entityWord, isWriteName, keyEntity, nameWords } from '../../../src/core/cache/settings';
import { evaluateArithmetic } from '../../../src/core/cache/values';

const prefixes = DEFAULT_CACHE_SETTINGS.writePrefixes;

describe('cache analyzer helpers', () => {
  it('matches configured call names against callees as written', () => {
    assert.equal(calleeMatches('self.cache_client.delete_pattern', 'cache.delete_pattern'), true);
    assert.equal(calleeMatches('this.cacheManager.del', 'cache.del'), true);
    assert.equal(calleeMatches('redis_client.delete', 'redis.delete'), true);
    assert.equal(calleeMatches('self.session.delete', 'cache.delete'), false, 'a session delete is no cache delete');
    assert.equal(calleeMatches('this.prisma.contact.update', 'prisma.*.update'), true);
    assert.equal(calleeMatches('prisma.contact.findMany', 'prisma.*.update'), false);
    assert.equal(calleeMatches('booking.save', '.save'), true);
    assert.equal(calleeMatches('invalidateByTag', 'invalidateByTag'), true);
    assert.equal(calleeMatches('lib.invalidateByTag', 'invalidateByTag'), true);
    assert.equal(calleeMatches('delete', 'cache.delete'), false);
  });

  it('recognises writes by name in snake_case and camelCase, but not cache helpers or look-alikes', () => {
    for (const n of ['create_booking', 'update_booking', '_add_note', 'cancel_booking', 'updateContact', 'remove', 'create', 'setPrice'])
      assert.equal(isWriteName(n, prefixes), true, n);
    for (const n of ['get_booking', 'settings', 'creator', 'updated_at', 'set_cache', 'setCache', 'addressBook', 'list_products'])
      assert.equal(isWriteName(n, prefixes), false, n);
  });

  it('derives entities from names, classes and keys', () => {
    assert.deepEqual(nameWords('update_booking_status', prefixes), ['booking', 'status']);
    assert.deepEqual(nameWords('updateContact', prefixes), ['contact']);
    assert.equal(entityWord('Categories'), 'category');
    assert.equal(entityWord('bookings'), 'booking');
    assert.equal(entityWord('address'), 'address');
    assert.equal(classEntity('BookingService'), 'booking');
    assert.equal(classEntity('OrderLineRepository'), 'line');
    assert.equal(classEntity('Service'), undefined);
    assert.equal(keyEntity('booking:{id}:detail'), 'booking');
    assert.equal(keyEntity('/contacts/{id}'), 'contact');
    assert.equal(keyEntity('{tenant}:stats'), undefined);
  });

  it('evaluates small TTL arithmetic and rejects anything else', () => {
    const names: Record<string, number> = { MINUTE: 60, 'settings.HOUR': 3600 };
    const look = (n: string) => names[n];
    assert.equal(evaluateArithmetic('60 * 5', look), 300);
    assert.equal(evaluateArithmetic('2 * MINUTE + 30', look), 150);
    assert.equal(evaluateArithmetic('(1 + 2) * settings.HOUR', look), 10800);
    assert.equal(evaluateArithmetic('30_000 / 1000', look), 30);
    assert.equal(evaluateArithmetic('7 // 2', look), 3);
    assert.equal(evaluateArithmetic('-5', look), -5);
    assert.equal(evaluateArithmetic('UNKNOWN * 2', look), undefined);
    assert.equal(evaluateArithmetic('1 / 0', look), undefined);
    assert.equal(evaluateArithmetic('f(3)', look), undefined);
    assert.equal(evaluateArithmetic('3 +', look), undefined);
  });

  it('formats TTLs for people', () => {
    assert.equal(formatTtl(300), '5 min');
    assert.equal(formatTtl(60), '60 s');
    assert.equal(formatTtl(3600), '1 h');
    assert.equal(formatTtl(86400 * 2), '2 d');
    assert.equal(formatTtl(90), '90 s');
    assert.equal(formatTtl(0.5), '0.5 s');
  });
});
