import { strict as assert } from 'node:assert';
import { escapeGlob, globMatch, parseKeyTemplate, parsePattern, tokensIntersect } from '../../../src/core/cache/glob';
import { nearMiss } from '../../../src/core/cache/link';

const reaches = (pattern: string, key: string) => tokensIntersect(parsePattern(pattern), parseKeyTemplate(key));

describe('cache glob matcher (Redis semantics)', () => {
  it('matches * and ? like Redis KEYS', () => {
    assert.equal(globMatch('booking:*', 'booking:stats'), true);
    assert.equal(globMatch('booking:*', 'booking:'), true, '* matches nothing too');
    assert.equal(globMatch('booking:*', 'bookings:stats'), false);
    assert.equal(globMatch('*', ''), true);
    assert.equal(globMatch('h?llo', 'hello'), true);
    assert.equal(globMatch('h?llo', 'hllo'), false, '? needs exactly one character');
    assert.equal(globMatch('h*llo', 'heeeello'), true);
    assert.equal(globMatch('a**b', 'ab'), true);
    assert.equal(globMatch('*:stats', 'booking:stats'), true);
    assert.equal(globMatch('*:stats', 'booking:stats:1'), false);
  });

  it('matches character classes, negation, ranges and reversed ranges', () => {
    assert.equal(globMatch('h[ae]llo', 'hello'), true);
    assert.equal(globMatch('h[ae]llo', 'hillo'), false);
    assert.equal(globMatch('h[^e]llo', 'hallo'), true);
    assert.equal(globMatch('h[^e]llo', 'hello'), false);
    assert.equal(globMatch('h[a-b]llo', 'hbllo'), true);
    assert.equal(globMatch('h[a-b]llo', 'hcllo'), false);
    assert.equal(globMatch('h[b-a]llo', 'hallo'), true, 'Redis swaps reversed range ends');
    assert.equal(globMatch('v[0-9][0-9]', 'v42'), true);
    assert.equal(globMatch('v[0-9]', 'vx'), false);
  });

  it('treats escapes as literals, inside and outside classes', () => {
    assert.equal(globMatch('a\\*b', 'a*b'), true);
    assert.equal(globMatch('a\\*b', 'axb'), false);
    assert.equal(globMatch('a\\?', 'a?'), true);
    assert.equal(globMatch('a\\?', 'ab'), false);
    assert.equal(globMatch('[\\]]', ']'), true);
    assert.equal(globMatch('a\\', 'a\\'), true, 'a trailing backslash is a literal backslash');
    assert.equal(globMatch('x\\[y', 'x[y'), true);
  });

  it('reads an unclosed class to the end of the pattern, as Redis does', () => {
    assert.equal(globMatch('a[bc', 'ab'), true);
    assert.equal(globMatch('a[bc', 'ac'), true);
    assert.equal(globMatch('a[bc', 'ad'), false);
  });

  it('escapes literal keys so that they match only themselves', () => {
    const key = 'odd*key?[1]\\x';
    assert.equal(escapeGlob(key), 'odd\\*key\\?\\[1\\]\\\\x');
    assert.equal(globMatch(escapeGlob(key), key), true);
    assert.equal(globMatch(escapeGlob(key), 'oddXkeyY1x'), false);
  });

  it('covers a key template: a placeholder is one non-empty segment of run-time value', () => {
    assert.equal(reaches('booking:*', 'booking:{id}:detail'), true);
    assert.equal(reaches('booking:*:detail', 'booking:{id}:detail'), true);
    assert.equal(reaches('booking:[0-9]*:detail', 'booking:{id}:detail'), true, 'a class reaches a placeholder');
    assert.equal(reaches('booking:stats*', 'booking:{id}:detail'), false, 'a literal word is not a run-time value');
    assert.equal(reaches('booking:?:detail', 'booking:{id}:detail'), true);
    assert.equal(reaches('booking:*:summary', 'booking:{id}:detail'), false);
    assert.equal(reaches('booking::detail', 'booking:{id}:detail'), false, 'a placeholder is never empty');
    assert.equal(reaches('user:*', 'booking:{id}:detail'), false);
  });

  it('fills pattern placeholders with run-time values: they reach key placeholders, not literal words', () => {
    assert.equal(reaches('booking:{booking_id}:*', 'booking:{id}:detail'), true);
    assert.equal(reaches('booking:{booking_id}:detail', 'booking:{id}:detail'), true);
    assert.equal(reaches('booking:{booking_id}:*', 'booking:stats'), false);
    assert.equal(reaches('booking:{booking_id}', 'booking:{booking_id}:detail'), false, 'a placeholder does not swallow the next segment');
  });

  it('explains a pattern that cannot reach a key because the key has a suffix the pattern lacks', () => {
    const miss = nearMiss(parsePattern('booking:{booking_id}'), parseKeyTemplate('booking:{booking_id}:detail'), 'booking:{booking_id}');
    assert.deepEqual(miss, { reason: 'the key has a suffix the pattern lacks (":detail")', suggestion: 'booking:{booking_id}*' });
    const literal = nearMiss(parsePattern('booking:stats'), parseKeyTemplate('booking:stats:daily'), 'booking:stats');
    assert.equal(literal?.reason, 'the key has a suffix the pattern lacks (":daily")');
    const longer = nearMiss(parsePattern('booking:stats:*'), parseKeyTemplate('booking:stats'), 'booking:stats:*');
    assert.equal(longer?.reason, 'the pattern requires more text after the end of the key');
    assert.equal(nearMiss(parsePattern('user:*'), parseKeyTemplate('booking:stats'), 'user:*'), undefined, 'unrelated: no explanation');
  });
});
