import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contractCheck, declarationModel, diffModels, displayPath } from '../../../src/core/typegen/contract';
import { importersOf, resolvesTo } from '../../../src/core/typegen/contract/importers';
import { urlShape } from '../../../src/core/typegen/contract/uses';
import { Workspace } from '../../../src/core/workspace/workspace';

const FIX = path.resolve(__dirname, '../../../../test/fixtures/typegen/contract');
const BEFORE = fs.readFileSync(path.join(FIX, 'before.ts'), 'utf8');
/** The regenerated declarations, as the app's generated module has them now. */
const AFTER = fs.readFileSync(path.join(FIX, 'app/src/types/api.ts'), 'utf8');

const describeChange = (c: ReturnType<typeof diffModels>[number]) =>
  `${c.display}: ${c.kind}${c.renamedTo ? ` → ${c.renamedTo}` : ''}${c.kind === 'type' ? ` ${c.from} → ${c.to}` : ''}`;

describe('typegen contract diff', () => {
  it('models every declared type and nested property, with optionality and type text', () => {
    const m = declarationModel(BEFORE);
    const get = (...p: string[]) => m.get(p.join('\u0000'));
    assert.deepEqual({ ...get('components', 'schemas', 'Invoice', 'total_cents'), pos: 0 }, { path: ['components', 'schemas', 'Invoice', 'total_cents'], kind: 'property', optional: false, type: 'number', pos: 0, line: 69 });
    assert.equal(get('components', 'schemas', 'Invoice', 'lines')?.type, '{}[]');
    assert.equal(get('components', 'schemas', 'Invoice', 'lines', '[]', 'quantity')?.type, 'number');
    assert.equal(get('paths', '/api/v1/billing/payments/{payment_id}', 'get')?.type, 'operations["get_payment"]');
    assert.equal(get('components', 'schemas', 'Payment', 'provider_ref')?.optional, true);
    assert.equal(get('webhooks')?.type, 'Record<string, never>');
  });

  it('finds removed, renamed, optional and retyped members, and removed operations and paths', () => {
    const changes = diffModels(declarationModel(BEFORE), declarationModel(AFTER)).map(describeChange);
    assert.deepEqual(changes, [
      '/api/v1/billing/invoices/{invoice_id}/void: removed',
      'CreditNote: renamed → CreditMemo',
      'GET /api/v1/billing/payments/{payment_id}: removed',
      'Invoice.currency: optional',
      'Invoice.lines[].quantity: optional',
      'Invoice.subtotal_cents: removed',
      'Invoice.tax_cents: type number → string',
      'Invoice.total_cents: removed',
      'operation void_invoice: removed',
      'Payment.refunded_cents: renamed → refunded_amount_cents',
    ]);
  });

  it('reports nothing for identical files, added members, comments or formatting', () => {
    assert.deepEqual(diffModels(declarationModel(BEFORE), declarationModel(BEFORE)), []);
    const reformatted = BEFORE.replace(/\/\*\*[^*]*\*\//g, '').replace(/ {4}/g, '  ').replace('Product: {', 'Product: {\n/** added */ sku?: string;');
    assert.deepEqual(diffModels(declarationModel(BEFORE), declarationModel(reformatted)), []);
  });

  it('does not call two unrelated same-typed scalars a rename', () => {
    const a = 'export interface X { total_cents: number; currency: string }';
    const b = 'export interface X { discount_cents: number; currency: string }';
    assert.deepEqual(diffModels(declarationModel(a), declarationModel(b)).map(describeChange), ['X.total_cents: removed']);
    const c = 'export interface X { total_amount_cents: number; currency: string }';
    assert.deepEqual(diffModels(declarationModel(a), declarationModel(c)).map(describeChange), ['X.total_cents: renamed → total_amount_cents']);
  });

  it('names members the way people read them', () => {
    assert.equal(displayPath(['components', 'schemas', 'Invoice', 'total_cents']), 'Invoice.total_cents');
    assert.equal(displayPath(['paths', '/api/v1/x', 'post']), 'POST /api/v1/x');
    assert.equal(displayPath(['paths', '/api/v1/x', 'parameters', 'query']), '/api/v1/x parameters.query');
    assert.equal(displayPath(['Invoice', 'lines', '[]', 'qty']), 'Invoice.lines[].qty');
  });

  it('compares URL shapes of literals and templates with API paths', () => {
    assert.equal(urlShape('/api/v1/billing/invoices/{invoice_id}/void'), urlShape('/api/v1/billing/invoices/{}/void'));
    assert.equal(urlShape('/api/v1/billing/invoices/{}/void'), '/api/v1/billing/invoices/{}/void');
    assert.equal(urlShape('{}/api/v1/invoices{}'), '/api/v1/invoices');
    assert.equal(urlShape('/api/v1/invoices?limit=10'), '/api/v1/invoices');
    assert.notEqual(urlShape('/api/v1/invoices/{}'), urlShape('/api/v1/invoices'));
  });
});

describe('typegen contract uses', function () {
  this.timeout(60_000);
  let ws: Workspace;
  before(async () => {
    ws = await Workspace.open(path.join(FIX, 'app'), { noGit: true });
  });

  it('resolves relative and aliased specifiers to the generated module', () => {
    const targets = new Set(['src/types/api']);
    assert.equal(resolvesTo('src/lib/catalog.ts', '../types/api', targets), 'src/types/api');
    assert.equal(resolvesTo('src/lib/catalog.ts', '../types/api.js', targets), 'src/types/api');
    assert.equal(resolvesTo('src/lib/billing.ts', '@/types/api', targets), 'src/types/api');
    assert.equal(resolvesTo('src/lib/billing.ts', 'api', targets), undefined);
    assert.equal(resolvesTo('src/lib/billing.ts', './api', targets), undefined);
  });

  it('lists the importers, and the files that import them, from the cheap import facts', async () => {
    assert.deepEqual(await importersOf(ws, 'src/types/api.ts'), ['src/app/page.tsx', 'src/lib/billing.ts', 'src/lib/catalog.ts']);
    assert.deepEqual(await importersOf(ws, 'src/types/api.ts', 1), ['src/lib/billing.ts', 'src/lib/catalog.ts']);
  });

  it('puts a contract-break finding at each use of a changed member, and nowhere else', async () => {
    const r = await contractCheck(ws, 'src/types/api.ts', BEFORE, AFTER, ['backend/src/acme/platform/billing/schemas.py']);
    const sites = r.findings.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message.replace(/ (was|became|changed).*/, '')}`);
    assert.deepEqual(sites, [
      'src/app/page.tsx:4:25 `Invoice.currency`',
      'src/app/page.tsx:8:20 `Invoice.total_cents`',
      'src/app/page.tsx:10:20 `Payment.refunded_cents`',
      'src/lib/billing.ts:5:48 `CreditNote`',
      'src/lib/billing.ts:6:71 `GET /api/v1/billing/payments/{payment_id}`',
      'src/lib/billing.ts:14:18 `Invoice.total_cents`',
      'src/lib/billing.ts:17:28 `Invoice.tax_cents`',
      'src/lib/billing.ts:17:39 `Invoice.subtotal_cents`',
      'src/lib/billing.ts:22:19 `Invoice.currency`',
      'src/lib/billing.ts:22:36 `Invoice.subtotal_cents`',
      'src/lib/billing.ts:22:55 `Invoice.tax_cents`',
      'src/lib/billing.ts:22:69 `Invoice.total_cents`',
      'src/lib/billing.ts:26:53 `Invoice.lines[].quantity`',
      'src/lib/billing.ts:30:28 `/api/v1/billing/invoices/{invoice_id}/void`',
    ]);
    const total = r.findings.find((f) => f.file === 'src/lib/billing.ts' && f.range.start.line === 13)!;
    assert.equal(total.rule, 'typegen/contract-break');
    assert.equal(total.severity, 'error');
    assert.equal(total.message, '`Invoice.total_cents` was removed from the API types by the change to backend/src/acme/platform/billing/schemas.py');
    const renamed = r.findings.find((f) => f.file === 'src/app/page.tsx' && f.range.start.line === 9)!;
    assert.match(renamed.message, /was renamed to `refunded_amount_cents`/);
    assert.equal(renamed.related?.[0].file, 'src/types/api.ts');
    assert.match(r.summary, /^contract: 10 breaking changes .*; 14 use sites in 2 files \(3 files import the types\)$/);
  });

  it('finds nothing when the declarations did not change', async () => {
    const r = await contractCheck(ws, 'src/types/api.ts', BEFORE, BEFORE, []);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.changes, []);
  });
});
