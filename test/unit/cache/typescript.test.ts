import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CacheData } from '../../../src/core/cache';
import type { Finding } from '../../../src/core/findings';
import { tempDir, writeTree } from '../../support/tmp';
import { analyze, brief, fixture, matrix, service } from './support';

describe('cache coverage: TypeScript tag-based invalidation (test/fixtures/cache/tags)', () => {
  let data: CacheData;
  let findings: Finding[];

  before(async () => {
    const r = await analyze(fixture('cache', 'tags'));
    data = r.data;
    findings = r.findings;
  });

  it('reads setCache keys with enum members resolved across files through the @/ alias', () => {
    assert.deepEqual(matrix(service(data, 'app/api/contacts/[id]/route')).reads, [['GET', 'contact:{tenantId}:{id}', 3600]]);
    assert.deepEqual(matrix(service(data, 'app/api/contacts/route')).reads, [['GET', 'contact:{tenantId}:list', 300]]);
    assert.deepEqual(matrix(service(data, 'app/api/dashboard/route')).reads, [['GET', 'dashboard:{tenantId}:stats', 300]], 'TTL from CACHE_TTL.SHORT (5 * 60)');
  });

  it('derives invalidateByTag patterns from the helper body, by the arguments passed', () => {
    assert.deepEqual(matrix(service(data, 'app/api/contacts/[id]/route')).writes, [
      ['PUT', ['contact:{tenantId}:{id}*']],
      ['DELETE', []],
    ]);
    assert.deepEqual(matrix(service(data, 'app/api/contacts/route')).writes, [['POST', ['contact:{tenantId}:*', 'dashboard:{tenantId}:*']]]);
    assert.deepEqual(matrix(service(data, 'app/api/deals/[id]/route')).writes, [['PUT', ['deal:{tenantId}:{id}*', 'dashboard:{tenantId}:*']]]);
    const post = service(data, 'app/api/contacts/route').writes[0];
    assert.deepEqual(post.writeReasons, ['route', 'body']);
    assert.deepEqual(post.entities, ['contact']);
    assert.deepEqual(
      post.covers.map((c) => `${c.service}.${c.name}`),
      ['app/api/contacts/[id]/route.GET', 'app/api/contacts/route.GET', 'app/api/dashboard/route.GET'],
    );
  });

  it('flags the delete that does not invalidate, naming the sibling that does, and the orphan deal tag', () => {
    assert.deepEqual(brief(findings), ['app/api/contacts/[id]/route.ts:34 cache/write-without-invalidation', 'app/api/deals/[id]/route.ts:12 cache/orphan-invalidation']);
    assert.match(findings[0].message, /PUT invalidates contact:\{tenantId\}:\{id\}\*; DELETE does not\.$/);
    assert.match(findings[1].message, /^PUT invalidates deal:\{tenantId\}:\{id\}\*, which matches no cached key\.$/);
  });

  it('falls back to the workspace enum and helper when the import cannot be followed', async () => {
    const t = tempDir();
    try {
      fs.cpSync(fixture('cache', 'tags'), t.dir, { recursive: true });
      fs.rmSync(path.join(t.dir, 'tsconfig.json'));
      const r = await analyze(t.dir);
      assert.deepEqual(matrix(service(r.data, 'app/api/contacts/[id]/route')).reads, [['GET', 'contact:{tenantId}:{id}', 3600]]);
      assert.deepEqual(matrix(service(r.data, 'app/api/contacts/route')).writes, [['POST', ['contact:{tenantId}:*', 'dashboard:{tenantId}:*']]], 'the helper found by name');
      assert.deepEqual(brief(r.findings), brief(findings));
    } finally {
      t.cleanup();
    }
  });
});

describe('cache coverage: NestJS (test/fixtures/cache/nest)', () => {
  let data: CacheData;
  let findings: Finding[];

  before(async () => {
    const r = await analyze(fixture('cache', 'nest'));
    data = r.data;
    findings = r.findings;
  });

  it('reads @CacheKey (a constant object member), @CacheTTL in milliseconds and CacheInterceptor URL keys', () => {
    const c = service(data, 'ContactsController');
    assert.deepEqual(
      c.reads.map((r) => [r.name, r.key, r.ttl, r.form]),
      [
        ['findAll', 'contacts:list', 30, 'CacheKey'],
        ['findOne', '/contacts/{id}', 60, 'CacheInterceptor'],
      ],
    );
  });

  it('reads cacheManager.del next to Prisma writes, and delegation from the controller', () => {
    assert.deepEqual(matrix(service(data, 'ContactsService')).writes, [
      ['create', ['contacts:list']],
      ['update', []],
      ['remove', ['contacts:list', '/contacts/{id}']],
    ]);
    const c = service(data, 'ContactsController');
    assert.deepEqual(
      c.writes.map((w) => [w.name, w.delegatesTo?.name ?? null]),
      [
        ['create', 'create'],
        ['update', null],
        ['remove', 'remove'],
      ],
    );
    assert.deepEqual(c.coverage, { writes: 3, invalidating: 2, reads: 2, readsCovered: 2 });
  });

  it('flags the update path, and ignores a CacheKey decorator from a telemetry module', () => {
    assert.deepEqual(brief(findings), ['src/contacts/contacts.controller.ts:30 cache/write-without-invalidation', 'src/contacts/contacts.service.ts:33 cache/write-without-invalidation']);
    assert.match(findings[1].message, /^update writes contact data, which ContactsController caches \(contacts:list, \/contacts\/\{id\}\), but invalidates none of it\./);
    assert.equal(data.services.find((s) => s.name === 'ReportsController'), undefined);
  });
});

describe('cache coverage: TypeScript edge cases', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('uses seconds for @nestjs/common CacheTTL, and reads redis set options', async () => {
    writeTree(t.dir, {
      'src/stats.controller.ts': [
        "import { CacheKey, CacheTTL, Controller, Get } from '@nestjs/common'",
        "import { redis } from './redis'",
        "@Controller('stats')",
        'export class StatsController {',
        "  @Get() @CacheKey('stats:daily') @CacheTTL(120)",
        '  daily() { return 1 }',
        '  async weekly() {',
        "    await redis.set('stats:weekly', '1', 'EX', 600)",
        "    await redis.set('stats:monthly', '1', { EX: 3600 })",
        '  }',
        '  async createStat() {',
        "    await this.prisma.stat.create({ data: {} })",
        "    await redis.del('stats:daily', 'stats:weekly', 'stats:monthly')",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const r = await analyze(t.dir);
    const s = service(r.data, 'StatsController');
    assert.deepEqual(matrix(s), {
      reads: [
        ['daily', 'stats:daily', 120],
        ['weekly', 'stats:weekly', 600],
        ['weekly', 'stats:monthly', 3600],
      ],
      writes: [['createStat', ['stats:daily', 'stats:weekly', 'stats:monthly']]],
    });
    assert.deepEqual(r.findings, []);
  });
});
