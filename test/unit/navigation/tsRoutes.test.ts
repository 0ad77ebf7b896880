import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { joinUrl } from '../../../src/core/navigation/tsRoutes';
import { analyse, FIXTURES, removeTempWorkspaces, tempWorkspace } from './helpers';

interface Expected {
  routes: { method: string; path: string; file: string; line: number; handler?: string; deprecated?: boolean }[];
  services?: { name: string; file: string; line: number; routes: number; deprecatedMethods: string[] }[];
}

function expected(name: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
}

describe('navigation: TypeScript routes', () => {
  after(removeTempWorkspaces);

  it('NestJS: @Controller paths, method decorators, the global prefix, @deprecated, injected services', async () => {
    const want = expected('nestjs');
    const { data } = await analyse(path.join(FIXTURES, 'nestjs'));
    assert.deepEqual(
      data.routes.map((r) => ({ method: r.method, path: r.path, file: r.file, line: r.line, handler: r.handler, deprecated: r.deprecated })),
      want.routes,
    );
    assert.ok(data.routes.every((r) => r.framework === 'nestjs' && r.language === 'typescript'));
    assert.deepEqual(
      data.services.map((s) => ({ name: s.name, file: s.file, line: s.line, routes: s.routes, deprecatedMethods: s.methods.filter((m) => m.deprecated).map((m) => m.name) })),
      want.services,
    );
    assert.equal(data.services[0].kind, 'injectable');
    assert.equal(data.services[0].routePrefix, '/api/billing');
  });

  it('Next.js: App Router folders, (group) and _private folders, exported methods, pages/api', async () => {
    const want = expected('nextjs');
    const { data } = await analyse(path.join(FIXTURES, 'nextjs'));
    const got = data.routes.map((r) => ({ method: r.method, path: r.path, file: r.file, line: r.line, handler: r.handler, ...(r.deprecated ? { deprecated: true } : {}) }));
    assert.deepEqual(got, want.routes);
    assert.ok(!data.routes.some((r) => r.file.includes('_internal')));
    assert.deepEqual([...new Set(data.routes.map((r) => r.framework))].sort(), ['nextjs', 'nextjs-pages']);
  });

  it('Express: static Router() mounts across modules', async () => {
    const want = expected('express');
    const { data } = await analyse(path.join(FIXTURES, 'express'));
    assert.deepEqual(
      data.routes.map((r) => ({ method: r.method, path: r.path, file: r.file, line: r.line })),
      want.routes,
    );
    assert.ok(data.routes.every((r) => r.app === 'src/app.ts:app'));
  });

  it('ignores app/ and pages/ folders that are not a Next.js project’s, and route.ts outside app/', async () => {
    const root = tempWorkspace({
      'lib/app/route.ts': 'export function GET() {}\n',
      'web/package.json': '{}',
      'web/src/route.ts': 'export function GET() {}\n',
      'web/src/app/api/ok/route.ts': 'export function GET() {}\nexport function helper() {}\n',
      'web/src/app/api/types.d.ts': 'export declare function GET(): void;\n',
    });
    const { data } = await analyse(root);
    assert.deepEqual(data.routes.map((r) => `${r.method} ${r.path} ${r.file}`), ['GET /api/ok web/src/app/api/ok/route.ts']);
  });

  it('joins URL parts with single slashes', () => {
    assert.equal(joinUrl('', ''), '/');
    assert.equal(joinUrl('api', '/billing/', ':id'), '/api/billing/:id');
    assert.equal(joinUrl('/api', '/'), '/api');
  });
});
