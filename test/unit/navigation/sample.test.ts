import * as assert from 'node:assert/strict';
import { main } from '../../../src/cli';
import { SAMPLE } from './helpers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

const BILLING = 'backend/src/acme/platform/billing';

describe('navigation: codenav services on the sample', function () {
  this.timeout(60_000);
  let json: {
    findings: unknown[];
    services: Record<string, unknown>[];
    routes: Record<string, unknown>[];
    packages: { name: string; label: string; dir: string; configured: boolean }[];
  };

  before(async () => {
    const r = await cli(['services', SAMPLE, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    json = JSON.parse(r.out);
  });

  it('follows the JSON contract: services[] and routes[] with their fields and types', () => {
    assert.deepEqual(json.findings, []);
    for (const s of json.services) {
      assert.deepEqual(Object.keys(s).slice(0, 7), ['name', 'module', 'file', 'line', 'routePrefix', 'deprecated', 'replacement']);
      assert.equal(typeof s.line, 'number');
      assert.ok(s.routePrefix === null || typeof s.routePrefix === 'string');
      assert.ok(s.replacement === null || typeof s.replacement === 'string');
    }
    for (const r of json.routes) {
      assert.deepEqual(Object.keys(r).slice(0, 4), ['method', 'path', 'file', 'line']);
      assert.ok((r.line as number) >= 1);
    }
  });

  it('indexes the services of the sample README with their files, lines, prefixes and deprecation', () => {
    const rows = json.services
      .filter((s) => (s.file as string).startsWith(BILLING) || (s.file as string).includes('/booking/'))
      .map((s) => `${s.name} ${s.module} ${(s.file as string).replace('backend/src/acme/platform/', '')}:${s.line} ${s.routePrefix ?? '—'} ${s.deprecated ? `deprecated → ${s.replacement}` : ''}`.trim());
    assert.deepEqual(rows, [
      'ProductRepository acme.platform.billing.catalog.repository billing/catalog/repository.py:10 —',
      'ProductService acme.platform.billing.catalog.service billing/catalog/service.py:20 /api/v1/billing',
      'CreditNoteService acme.platform.billing.credits.service billing/credits/service.py:14 /api/v1/billing/invoices',
      'DunningService acme.platform.billing.dunning.service billing/dunning/service.py:13 —',
      'InvoiceService acme.platform.billing.invoicing.money_service billing/invoicing/money_service.py:26 /api/v1/billing/invoices',
      'InvoiceService acme.platform.billing.invoicing.service billing/invoicing/service.py:31 — deprecated → acme.platform.billing.invoicing.money_service',
      'StripeGateway acme.platform.billing.payments.gateway billing/payments/gateway.py:21 —',
      'RefundService acme.platform.billing.payments.refunds billing/payments/refunds.py:14 /api/v1/billing/payments',
      'PaymentService acme.platform.billing.payments.service billing/payments/service.py:16 /api/v1/billing/payments',
      'PricingService acme.platform.billing.pricing.service billing/pricing/service.py:14 —',
      'RevenueReportService acme.platform.billing.reports.service billing/reports/service.py:11 —',
      'SubscriptionService acme.platform.billing.subscriptions.service billing/subscriptions/service.py:17 /api/v1/billing/subscriptions',
      'TaxRateClient acme.platform.billing.tax.client billing/tax/client.py:10 —',
      'TaxService acme.platform.billing.tax.service billing/tax/service.py:11 —',
      'WebhookService acme.platform.billing.webhooks.service billing/webhooks/service.py:20 /api/v1/billing/webhooks',
      'BookingService acme.platform.booking.service booking/service.py:25 /api/v1/bookings',
    ]);
    const product = json.services.find((s) => s.name === 'ProductService')!;
    assert.deepEqual(product.routePrefixes, ['/api/v1/billing/products', '/api/v1/billing/admin/products']);
  });

  it('lists routes with the decorator line, the handler and the linked services', () => {
    const credit = json.routes.find((r) => r.path === '/api/v1/billing/invoices/{invoice_id}/credit-notes')!;
    assert.deepEqual([credit.method, credit.file, credit.line, credit.handler, credit.app], ['POST', `${BILLING}/invoicing/router.py`, 77, 'issue_credit_note', 'acme.platform.main:app']);
    assert.deepEqual(credit.services, ['acme.platform.billing.credits.service.CreditNoteService', 'acme.platform.billing.invoicing.money_service.InvoiceService']);
    const health = json.routes.find((r) => r.path === '/healthz')!;
    assert.deepEqual([health.file, health.line, health.handler], ['backend/src/acme/platform/main.py', 23, 'healthz']);
    const next = json.routes.filter((r) => r.language === 'typescript').map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`);
    assert.deepEqual(next, [
      'GET /api/health frontend/src/app/api/health/route.ts:5',
      'GET /api/invoices/[id] frontend/src/app/api/invoices/[id]/route.ts:3',
      'ALL /api/ping frontend/src/pages/api/ping.ts:3',
    ]);
  });

  it('groups modules under the configured packages first', () => {
    assert.deepEqual(
      json.packages.map((p) => `${p.label} ${p.dir} ${p.configured}`),
      [`billing ${BILLING} true`, 'booking backend/src/acme/platform/booking true', 'platform backend/src/acme/platform false', 'app frontend/src/app false', 'pages frontend/src/pages false'],
    );
  });

  it('prints a text overview grouped by package', async () => {
    const r = await cli(['services', SAMPLE, '--no-color']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^billing {2}acme\.platform\.billing · 15 services · 19 routes {2}\/api\/v1\/billing$/m);
    assert.match(r.out, /^ {2}invoicing\/service\.py {2}deprecated → acme\.platform\.billing\.invoicing\.money_service$/m);
    assert.match(r.out, /^29 routes$/m);
  });
});
