import { strict as assert } from 'node:assert';
import { positional, strValue } from '../../../src/core/parsing/expr';
import { extractTypeScript } from '../../../src/core/parsing/typescript';

const SOURCE = `import { Controller, Get } from '@nestjs/common';
import type { components } from '@/shared/types/api';
import * as api from './api';
import Default, { a as b } from './x';

export enum CacheTag { CONTACT = 'contact', DEAL = "deal", COUNT = 3, COMPUTED = f() }

/** @deprecated use newFn instead */
export const oldFn = async (id: string) => {
  await invalidateByTag(CacheTag.CONTACT, tenantId, id);
};

export { helper as renamed } from './helpers';
export * from './all';

@Controller('billing')
export class BillingController extends Base {
  constructor(private readonly svc: BillingService) {}

  @Get(':id')
  async get(@Param('id') id: string) {
    return this.prisma.contact.update({ where: { id } });
  }
}

export async function GET(req: Request) {
  return Response.json(\`invoice:\${req.url}:x\`);
}

const router = Router();
router.get('/x', handler);
app.use('/api', router);
`;

describe('TypeScript facts (ts-morph ts)', () => {
  const f = extractTypeScript(SOURCE, 'src/app.ts');

  it('reads imports of every shape', () => {
    assert.deepEqual(
      f.imports.map((i) => [i.from, i.default ?? '', i.namespace ?? '', i.named.map((n) => n.name + (n.alias ? `>${n.alias}` : '')).join(','), i.typeOnly]),
      [
        ['@nestjs/common', '', '', 'Controller,Get', false],
        ['@/shared/types/api', '', '', 'components', true],
        ['./api', '', 'api', '', false],
        ['./x', 'Default', '', 'a>b', false],
      ],
    );
  });

  it('reads enums with literal values and exports with @deprecated', () => {
    assert.deepEqual(f.enums[0].members.map((m) => [m.name, m.value]), [['CONTACT', 'contact'], ['DEAL', 'deal'], ['COUNT', 3], ['COMPUTED', undefined]]);
    const old = f.exports.find((e) => e.name === 'oldFn')!;
    assert.equal(old.jsdoc?.deprecated, 'use newFn instead');
    assert.deepEqual(f.exports.find((e) => e.name === 'renamed'), { name: 'renamed', from: './helpers', local: 'helper', range: f.exports.find((e) => e.name === 'renamed')!.range, jsdoc: undefined });
    assert.ok(f.exports.some((e) => e.name === '*' && e.from === './all'));
  });

  it('reads arrow functions, classes with decorators and calls in methods', () => {
    const old = f.functions.find((x) => x.name === 'oldFn')!;
    assert.equal(old.async, true);
    assert.equal(old.calls[0].callee, 'invalidateByTag');
    assert.deepEqual(old.calls[0].args.map((a) => (a.value.kind === 'ref' ? a.value.path : a.value.kind)), ['CacheTag.CONTACT', 'tenantId', 'id']);
    const cls = f.classes[0];
    assert.equal(cls.decorators[0].name, 'Controller');
    assert.equal(strValue(positional(cls.decorators[0].args, 0)), 'billing');
    assert.deepEqual(cls.heritage, ['Base']);
    const get = cls.methods.find((m) => m.name === 'get')!;
    assert.equal(strValue(positional(get.decorators[0].args, 0)), ':id');
    assert.equal(get.calls[0].callee, 'this.prisma.contact.update');
    assert.equal(get.range.start.line, 19);
  });

  it('reads template literals and module-level calls', () => {
    const fn = f.functions.find((x) => x.name === 'GET')!;
    assert.equal(fn.exported, true);
    const arg = positional(fn.calls[0].args, 0);
    assert.deepEqual(arg?.kind === 'str' && [arg.value, arg.template], ['invoice:{req.url}:x', true]);
    assert.deepEqual(f.calls.map((c) => c.callee), ['Router', 'router.get', 'app.use']);
    assert.equal(f.variables.find((v) => v.name === 'router')?.init?.kind, 'call');
  });

  it('records syntax errors and keeps going', () => {
    const broken = extractTypeScript('export class A {\n  m( {\n}\nexport const x = 1;\n', 'b.ts');
    assert.ok(broken.errors.length > 0);
    assert.equal(broken.classes[0].name, 'A');
  });
});
