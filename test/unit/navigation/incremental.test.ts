import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { navigationAnalyzer } from '../../../src/core/navigation';
import { Workspace } from '../../../src/core/workspace/workspace';
import { FIXTURES, SAMPLE } from './helpers';

describe('navigation: incremental re-indexing', function () {
  this.timeout(60_000);
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-nav-inc-'));
    fs.cpSync(SAMPLE, root, { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('parses only the saved file again, and shows its change', async () => {
    const ws = await Workspace.open(root, { noGit: true });
    const first = await navigationAnalyzer.run(ws);
    const parsed = ws.cache.parses;
    const again = await navigationAnalyzer.run(ws);
    assert.equal(ws.cache.parses, parsed, 'an unchanged workspace parses nothing');
    assert.deepEqual(again.data, first.data);

    const rel = 'backend/src/acme/platform/booking/router.py';
    fs.appendFileSync(path.join(root, rel), '\n\n@router.get("/export")\ndef export_bookings() -> list:\n    return []\n');
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    const line = text.slice(0, text.indexOf('@router.get("/export")')).split('\n').length;
    await ws.update(rel);
    const after = await navigationAnalyzer.run(ws);
    assert.equal(ws.cache.parses, parsed + 1, 'only the changed file is parsed');
    assert.deepEqual(
      after.data.routes.filter((r) => r.path === '/api/v1/bookings/export').map((r) => `${r.method} ${r.line}`),
      [`GET ${line}`],
    );
    assert.equal(after.data.routes.length, first.data.routes.length + 1);
  });

  it('picks up a new deprecation marker and the usages it creates', async () => {
    const ws = await Workspace.open(root, { noGit: true });
    const before = await navigationAnalyzer.run(ws);
    assert.equal(before.findings.length, 0);
    const rel = 'backend/src/acme/platform/billing/tax/client.py';
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    fs.writeFileSync(path.join(root, rel), text.replace('"""HTTP client', '"""DEPRECATED: use tax.service instead.\n\nHTTP client'));
    await ws.update(rel);
    const after = await navigationAnalyzer.run(ws);
    const client = after.data.services.find((s) => s.name === 'TaxRateClient')!;
    assert.deepEqual([client.deprecated, client.replacement], [true, 'acme.platform.billing.tax.service']);
    assert.ok(after.findings.every((f) => f.rule === 'deprecated/usage'));
    assert.ok(after.findings.some((f) => f.file.endsWith('billing/tax/service.py')), after.findings.map((f) => f.file).join(', '));
  });

  it('gives after every edit exactly what a cold run gives (differential check of the kept interpreter)', async () => {
    const multi = path.join(root, 'multi');
    fs.cpSync(path.join(FIXTURES, 'multi-routers'), multi, { recursive: true });
    const ws = await Workspace.open(root, { noGit: true });
    await navigationAnalyzer.run(ws);
    const edit = async (rel: string, change: (text: string) => string | undefined) => {
      const abs = path.join(root, rel);
      const next = change(fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '');
      if (next === undefined) fs.rmSync(abs);
      else fs.writeFileSync(abs, next);
      await ws.update(rel);
      const warm = await navigationAnalyzer.run(ws);
      const cold = await navigationAnalyzer.run(await Workspace.open(root, { noGit: true }));
      assert.deepEqual(warm.data, cold.data, `after editing ${rel}`);
      assert.deepEqual(warm.findings, cold.findings, `after editing ${rel}`);
      return warm.data;
    };
    const BOOKING = 'backend/src/acme/platform/booking/router.py';
    const BILLING = 'backend/src/acme/platform/billing/router.py';
    let data = await edit(BOOKING, (t) => t.replace('@router.get("/stats"', '@router.get("/statistics"'));
    assert.ok(data.routes.some((r) => r.path === '/api/v1/bookings/statistics'));
    data = await edit(BILLING, (t) => t.replace('prefix="/billing")', 'prefix="/billing/v2")'));
    assert.ok(data.routes.some((r) => r.path === '/api/v1/billing/v2/webhooks/stripe'));
    data = await edit('multi/main.py', (t) => t.replace('@late.get("/after-include")', '@public.get("/after-include")'));
    data = await edit('multi/routers.py', (t) => t.replace('@late.get("/before")', '@late.get("/earlier")'));
    assert.ok(data.routes.some((r) => r.path === '/late/earlier'));
    data = await edit('backend/src/acme/platform/billing/extra.py', () => 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/billing/extra")\n@router.get("")\ndef extra(): ...\n');
    data = await edit(BILLING, (t) => `${t}from .extra import router as extra_router\nrouter.include_router(extra_router)\n`);
    assert.ok(data.routes.some((r) => r.path === '/api/v1/billing/extra'));
    data = await edit('backend/src/acme/platform/billing/payments/service.py', (t) => t.replace('class PaymentService', 'class PaymentsService'));
    data = await edit('backend/src/acme/platform/billing/extra.py', () => undefined);
    assert.ok(!data.routes.some((r) => r.path === '/api/v1/billing/extra'));
  });
});
