import * as assert from 'node:assert/strict';
import { ServicesModel } from '../../../src/vscode/services/model';
import { analyse, SAMPLE } from './helpers';

describe('navigation: the Services view model', function () {
  this.timeout(60_000);
  const folder = 'file:///ws';

  it('shows package → module → service → methods, with the deprecated module marked', async () => {
    const { data } = await analyse(SAMPLE);
    const model = new ServicesModel();
    assert.equal(model.setData(folder, 'sample', data), true);
    assert.equal(model.setData(folder, 'sample', data), false, 'the same data changes nothing');
    const top = model.snapshot(0);
    assert.deepEqual(top.map((n) => `${n.label} | ${n.description} | ${n.contextValue}`), [
      'billing | /api/v1/billing · 15 services · 19 routes | package-configured',
      'booking | /api/v1/bookings · 1 service · 6 routes | package-configured',
      'platform | 0 services · 1 route | package',
      'app | 0 services · 2 routes | package',
      'pages | 0 services · 1 route | package',
    ]);
    const billing = model.snapshot()[0];
    const deprecated = billing.children!.find((m) => m.label === 'invoicing/service.py')!;
    assert.equal(deprecated.description, 'deprecated → money_service');
    assert.equal(deprecated.contextValue, 'module-deprecated');
    assert.equal(deprecated.icon, 'warning');
    assert.match(deprecated.tooltip!, /Reason: use money_service instead\. This module sums line prices as floats/);
    assert.match(deprecated.tooltip!, /Use instead: `acme\.platform\.billing\.invoicing\.money_service`/);
    const service = deprecated.children![0];
    assert.deepEqual([service.label, service.description, service.contextValue, service.open], ['InvoiceService', 'deprecated → money_service', 'service-deprecated', { file: 'backend/src/acme/platform/billing/invoicing/service.py', line: 31 }]);
    assert.deepEqual(service.children!.map((m) => `${m.label}:${m.open!.line}`), ['get_invoice', 'calculate_total', 'create_invoice', 'finalize_invoice', 'void_invoice'].map((n, i) => `${n}:${[35, 41, 45, 72, 82][i]}`));
    const current = billing.children!.find((m) => m.label === 'invoicing/money_service.py')!.children![0];
    assert.deepEqual([current.label, current.description, current.icon], ['InvoiceService', '/api/v1/billing/invoices · 8 methods · 7 routes', 'symbol-class']);
    const router = billing.children!.find((m) => m.label === 'invoicing/router.py')!;
    assert.equal(router.description, '7 routes');
    assert.deepEqual(router.children!.map((r) => `${r.label} ${r.contextValue}`).slice(2, 4), ['GET /api/v1/billing/invoices/{invoice_id} route', 'GET /api/v1/billing/invoices/{invoice_id}/amount route-deprecated']);
  });

  it('groups by route prefix, and finds the module node of a file with its parents', async () => {
    const { data } = await analyse(SAMPLE);
    const model = new ServicesModel();
    model.setData(folder, 'sample', data);
    const node = model.moduleNode(folder, 'backend/src/acme/platform/billing/invoicing/service.py');
    assert.equal(node?.kind, 'module');
    assert.equal(node?.parent?.kind, 'package');
    assert.equal(model.moduleNode(folder, 'backend/src/acme/platform/billing/models.py'), undefined);
    assert.equal(model.setGroupBy('routePrefix'), true);
    const groups = model.snapshot(1);
    assert.equal(groups[groups.length - 1].label, '(no route)');
    const invoices = groups.find((g) => g.label === '/api/v1/billing/invoices')!;
    assert.deepEqual(invoices.children!.map((c) => c.label), ['CreditNoteService', 'InvoiceService']);
    assert.equal(model.moduleNode(folder, 'backend/src/acme/platform/billing/invoicing/service.py'), undefined, 'no modules when grouped by prefix');
  });

  it('adds a level per folder in a multi-root workspace, and drops folders without data', async () => {
    const { data } = await analyse(SAMPLE);
    const model = new ServicesModel();
    model.setData('file:///a', 'a', data);
    model.setData('file:///b', 'b', data);
    assert.deepEqual(model.snapshot(0).map((n) => n.label), ['a', 'b']);
    model.setData('file:///b', 'b', undefined);
    assert.equal(model.snapshot(0)[0].label, 'billing');
    assert.equal(model.isEmpty(), false);
  });

  it('keeps one node object per id across data updates (the view holds on to the elements it was given)', async () => {
    const first = await analyse(SAMPLE);
    const second = await analyse(SAMPLE);
    const model = new ServicesModel();
    model.setData(folder, 'sample', first.data);
    const file = 'backend/src/acme/platform/billing/invoicing/service.py';
    const before = model.moduleNode(folder, file)!;
    const pkg = before.parent!;
    assert.equal(model.setData(folder, 'sample', second.data), true);
    const after = model.moduleNode(folder, file)!;
    assert.equal(after, before, 'the same module node object');
    assert.equal(after.parent, pkg, 'the same package node object');
    assert.equal(after.kind === 'module' && after.module, second.data.modules.find((m) => m.file === file), 'carrying the new data');
  });
});
