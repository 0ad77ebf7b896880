import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../src/core/findings';
import { navigationAnalyzer, type NavigationData } from '../../../src/core/navigation';
import { Workspace } from '../../../src/core/workspace/workspace';
import { FIXTURES, SAMPLE } from './helpers';

/**
 * Differential checks of the incremental index: after each save the kept
 * state is updated, and the result must be exactly what a fresh analysis of a
 * freshly opened workspace over the same files gives.
 */

const PLATFORM = 'backend/src/acme/platform';
const BOOKING_ROUTER = `${PLATFORM}/booking/router.py`;
const BOOKING_SERVICE = `${PLATFORM}/booking/service.py`;
const PAYMENTS_ROUTER = `${PLATFORM}/billing/payments/router.py`;
const BILLING_ROUTER = `${PLATFORM}/billing/router.py`;
const TAX_CLIENT = `${PLATFORM}/billing/tax/client.py`;
const CONTROLLER = 'nest/src/billing/billing.controller.ts';

interface Result {
  data: NavigationData;
  findings: Finding[];
}

/** The sample workspace with a NestJS project beside it, analysed once, then edited file by file. */
class Session {
  private constructor(
    readonly root: string,
    readonly ws: Workspace,
    public last: Result,
  ) {}

  static async open(): Promise<Session> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-nav-edits-'));
    fs.cpSync(SAMPLE, root, { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'nestjs'), path.join(root, 'nest'), { recursive: true });
    const ws = await Workspace.open(root, { noGit: true });
    return new Session(root, ws, await navigationAnalyzer.run(ws));
  }

  read(rel: string): string {
    return fs.readFileSync(path.join(this.root, rel), 'utf8');
  }

  /** Saves a new text (undefined deletes the file), re-runs on the kept state, and checks it against a cold run. */
  async edit(rel: string, change: (text: string) => string | undefined): Promise<NavigationData> {
    const abs = path.join(this.root, rel);
    const existed = fs.existsSync(abs);
    const before = existed ? fs.readFileSync(abs, 'utf8') : '';
    const next = change(before);
    if (next === undefined) fs.rmSync(abs);
    else {
      if (existed) assert.notEqual(next, before, `the edit of ${rel} changes the file`);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, next);
    }
    await this.ws.update(rel);
    const warm = await navigationAnalyzer.run(this.ws);
    const cold = await navigationAnalyzer.run(await Workspace.open(this.root, { noGit: true }));
    assert.deepStrictEqual(warm.data, cold.data, `data after editing ${rel}`);
    assert.deepStrictEqual(warm.findings, cold.findings, `findings after editing ${rel}`);
    this.last = warm;
    return warm.data;
  }

  close(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function replace(from: string, to: string): (text: string) => string {
  return (text) => {
    assert.ok(text.includes(from), `the file contains ${from}`);
    return text.replace(from, to);
  };
}

const paths = (data: NavigationData, prefix: string) => data.routes.filter((r) => r.path.startsWith(prefix)).map((r) => `${r.method} ${r.path}`);
const service = (data: NavigationData, name: string) => data.services.find((s) => s.name === name);

describe('navigation: an incremental update equals a fresh analysis', function () {
  this.timeout(120_000);
  let s: Session;

  beforeEach(async () => {
    s = await Session.open();
  });
  afterEach(() => s.close());

  it('a router whose prefix changes', async () => {
    const before = paths(s.last.data, '/api/v1/bookings').length;
    const data = await s.edit(BOOKING_ROUTER, replace('prefix="/bookings"', 'prefix="/reservations"'));
    assert.deepEqual(paths(data, '/api/v1/bookings'), []);
    assert.equal(paths(data, '/api/v1/reservations').length, before);
    assert.ok(service(data, 'BookingService')!.routePrefixes.includes('/api/v1/reservations'));
    await s.edit(BOOKING_ROUTER, replace('@router.get("/stats"', '@router.get("/statistics"'));
  });

  it('a module that an include_router chain depends on', async () => {
    // payments/router.py is included by billing/router.py (through payments/__init__.py), which main.py includes.
    await s.edit(`${PLATFORM}/billing/payments/prefixes.py`, () => 'PAYMENTS_PREFIX = "/billing/payments"\n');
    let data = await s.edit(PAYMENTS_ROUTER, (t) => replace('router = APIRouter(prefix="/billing/payments"', 'router = APIRouter(prefix=PAYMENTS_PREFIX')(`from .prefixes import PAYMENTS_PREFIX\n${t}`));
    const count = paths(data, '/api/v1/billing/payments').length;
    assert.ok(count > 0);
    data = await s.edit(`${PLATFORM}/billing/payments/prefixes.py`, replace('"/billing/payments"', '"/billing/charges"'));
    assert.equal(paths(data, '/api/v1/billing/charges').length, count);
    assert.deepEqual(paths(data, '/api/v1/billing/payments'), []);
    data = await s.edit(BILLING_ROUTER, replace('router.include_router(payments_router)', 'router.include_router(payments_router, prefix="/v2")'));
    assert.equal(paths(data, '/api/v1/v2/billing/charges').length, count);
  });

  it('a dependency function in another module that changes the service a route uses', async () => {
    const DEPS = `${PLATFORM}/booking/deps.py`;
    const uses = (d: NavigationData) => d.routes.find((r) => r.path === '/api/v1/bookings/by-deps')?.services;
    await s.edit(DEPS, () => 'from .service import BookingService\n\n\ndef provide() -> BookingService:\n    return BookingService(None)\n');
    let data = await s.edit(BOOKING_ROUTER, (t) => `${t}\n\nfrom .deps import provide\n\n\n@router.get("/by-deps")\ndef by_deps(service=Depends(provide)) -> dict:\n    return {}\n`);
    assert.deepEqual(uses(data), ['acme.platform.booking.service.BookingService']);
    data = await s.edit(DEPS, () => 'from ..billing.tax.client import TaxRateClient\n\n\ndef provide() -> TaxRateClient:\n    return TaxRateClient()\n');
    assert.deepEqual(uses(data), ['acme.platform.billing.tax.client.TaxRateClient']);
  });

  it('a service class added, used by a route, and removed', async () => {
    let data = await s.edit(BOOKING_SERVICE, (t) => `${t}\n\nclass AuditService:\n    def record(self, what: str) -> None:\n        pass\n`);
    assert.deepEqual(service(data, 'AuditService')?.routes, 0);
    data = await s.edit(BOOKING_ROUTER, (t) =>
      replace('from .service import BookingNotFoundError,', 'from .service import AuditService, BookingNotFoundError,')(t).concat('\n\n@router.get("/audit")\ndef audit(service: AuditService = Depends(AuditService)) -> dict:\n    return {}\n'),
    );
    assert.deepEqual(service(data, 'AuditService')?.routePrefixes, ['/api/v1/bookings']);
    data = await s.edit(BOOKING_SERVICE, replace('class AuditService:', 'class AuditTrail:'));
    assert.equal(service(data, 'AuditService'), undefined);
    assert.deepEqual(data.routes.find((r) => r.path === '/api/v1/bookings/audit')?.services, []);
  });

  it('deprecation markers added and removed (module, class, TypeScript method)', async () => {
    let data = await s.edit(TAX_CLIENT, replace('"""HTTP client', '"""DEPRECATED: use tax.service instead.\n\nHTTP client'));
    assert.equal(service(data, 'TaxRateClient')?.deprecated, true);
    assert.ok(s.last.findings.some((f) => f.rule === 'deprecated/usage'));
    data = await s.edit(TAX_CLIENT, replace('"""DEPRECATED: use tax.service instead.\n\nHTTP client', '"""HTTP client'));
    assert.equal(service(data, 'TaxRateClient')?.deprecated, false);
    data = await s.edit(BOOKING_SERVICE, replace('class BookingService:', 'class BookingService:\n    """Deprecated: use booking.v2 instead."""\n'));
    assert.equal(service(data, 'BookingService')?.deprecated, true);
    data = await s.edit(BOOKING_SERVICE, replace('class BookingService:\n    """Deprecated: use booking.v2 instead."""\n', 'class BookingService:'));
    assert.equal(service(data, 'BookingService')?.deprecated, false);
    const legacy = (d: NavigationData) => d.routes.find((r) => r.handler === 'BillingController.legacy')?.deprecated;
    assert.equal(legacy(s.last.data), true);
    data = await s.edit(CONTROLLER, replace('  /** @deprecated read GET /api/billing/invoices/:id instead */\n', ''));
    assert.equal(legacy(data), false);
    data = await s.edit(CONTROLLER, replace('  @Get(\'invoices/:id\')\n', '  /** @deprecated use the list */\n  @Get(\'invoices/:id\')\n'));
    assert.ok(data.deprecations.some((d) => d.kind === 'route' && d.name === 'GET /api/billing/invoices/:id'));
  });

  it('a re-export that a deprecated-usage finding goes through', async () => {
    const TAX_INIT = `${PLATFORM}/billing/tax/__init__.py`;
    const importer = `${PLATFORM}/billing/pricing/service.py`;
    const usages = () => s.last.findings.filter((f) => f.file === importer && f.rule === 'deprecated/usage').length;
    await s.edit(TAX_CLIENT, (t) => `${t}\n\ndef legacy_rate(country: str) -> int:\n    """Deprecated: use TaxService instead."""\n    return 0\n`);
    await s.edit(TAX_INIT, () => 'from .client import legacy_rate\n');
    await s.edit(importer, (t) => `from ..tax import legacy_rate\n${t}`);
    assert.equal(usages(), 1);
    await s.edit(TAX_INIT, () => '');
    assert.equal(usages(), 0);
    await s.edit(TAX_INIT, () => 'from .client import legacy_rate as legacy_rate\n');
    assert.equal(usages(), 1);
  });

  it('a deprecated module whose names decide whether its importers get a fix', async () => {
    const LEGACY = `${PLATFORM}/billing/invoicing/service.py`;
    const importer = `${PLATFORM}/billing/pricing/service.py`;
    const fixes = () => s.last.findings.filter((f) => f.file === importer).map((f) => f.fixes?.length ?? 0);
    await s.edit(importer, (t) => `from ..invoicing import service as legacy_invoicing\n${t}`);
    assert.deepEqual(fixes(), [1]);
    // The replacement lacks the new name: the import can no longer be rewritten. Only the legacy module is saved.
    await s.edit(LEGACY, (t) => `${t}\n\ndef only_in_the_old_module() -> None:\n    pass\n`);
    assert.deepEqual(fixes(), [0]);
    await s.edit(LEGACY, replace('\n\ndef only_in_the_old_module() -> None:\n    pass\n', ''));
    assert.deepEqual(fixes(), [1]);
  });

  it('files deleted: a service module a router imports, then a router', async () => {
    const refunds = (d: NavigationData) => d.routes.filter((r) => r.services.some((id) => id.endsWith('.RefundService'))).length;
    assert.ok(refunds(s.last.data) > 0);
    let data = await s.edit(`${PLATFORM}/billing/payments/refunds.py`, () => undefined);
    assert.equal(refunds(data), 0);
    assert.equal(service(data, 'RefundService'), undefined);
    data = await s.edit(BOOKING_ROUTER, () => undefined);
    assert.deepEqual(paths(data, '/api/v1/bookings'), []);
    data = await s.edit(CONTROLLER, () => undefined);
    assert.ok(!data.routes.some((r) => r.file === CONTROLLER));
  });

  it('files added: a service module, a router that uses it, a controller', async () => {
    await s.edit(`${PLATFORM}/billing/ledger/__init__.py`, () => '');
    let data = await s.edit(`${PLATFORM}/billing/ledger/service.py`, () => 'class LedgerService:\n    def entries(self) -> list:\n        return []\n');
    assert.ok(service(data, 'LedgerService'));
    await s.edit(
      `${PLATFORM}/billing/ledger/router.py`,
      () =>
        'from fastapi import APIRouter, Depends\n\nfrom .service import LedgerService\n\nrouter = APIRouter(prefix="/billing/ledger")\n\n\n@router.get("")\ndef entries(service: LedgerService = Depends(LedgerService)) -> list:\n    return service.entries()\n',
    );
    data = await s.edit(BILLING_ROUTER, (t) => `${t}\nfrom .ledger.router import router as ledger_router\n\nrouter.include_router(ledger_router)\n`);
    assert.deepEqual(paths(data, '/api/v1/billing/ledger'), ['GET /api/v1/billing/ledger']);
    assert.equal(service(data, 'LedgerService')?.routes, 1);
    data = await s.edit('nest/src/audit/audit.controller.ts', () => "import { Controller, Get } from '@nestjs/common';\n\n@Controller('audit')\nexport class AuditController {\n  @Get()\n  list(): string[] {\n    return [];\n  }\n}\n");
    assert.deepEqual(paths(data, '/api/audit'), ['GET /api/audit']);
  });

  it('a TypeScript service added and injected into a controller, and a controller path changed', async () => {
    await s.edit('nest/src/billing/audit.service.ts', () => "import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class AuditService {\n  log(): void {}\n}\n");
    let data = await s.edit(CONTROLLER, (t) =>
      replace('constructor(private readonly invoicesService: InvoicesService) {}', 'constructor(private readonly invoicesService: InvoicesService, private readonly auditService: AuditService) {}')(
        `import { AuditService } from './audit.service';\n${t}`,
      ).replace('    return body;', '    this.auditService.log();\n    return body;'),
    );
    assert.equal(service(data, 'AuditService')?.routes, 1);
    data = await s.edit(CONTROLLER, replace("@Controller('billing')", "@Controller('accounts')"));
    assert.deepEqual(paths(data, '/api/billing'), []);
    assert.ok(paths(data, '/api/accounts').length > 0);
  });

  it('routes added, changed, deprecated and removed at the start, middle and end of routers', async () => {
    const route = (p: string, extra = '') => `@router.get("${p}"${extra})\ndef handler_${p.replace(/\W/g, '_')}(service: BookingService = Depends(get_booking_service)) -> dict:\n    return {}\n\n\n`;
    const first = '@router.get("/stats"';
    await s.edit(BOOKING_ROUTER, (t) => replace(first, `${route('/aaa')}${first}`)(t));
    await s.edit(BOOKING_ROUTER, (t) => replace('@router.post("/{booking_id}/confirm"', `${route('/mid', ', deprecated=True')}@router.post("/{booking_id}/confirm"`)(t));
    await s.edit(BOOKING_ROUTER, (t) => `${t}\n\n${route('/zzz')}`);
    await s.edit(BOOKING_ROUTER, replace('@router.get("/aaa")', '@router.get("/aab")'));
    await s.edit(BOOKING_ROUTER, replace('@router.get("/mid", deprecated=True)', '@router.get("/mid")'));
    let data = await s.edit(BOOKING_ROUTER, (t) => t.replace(route('/zzz'), '').replace(/@router\.get\("\/aab"\)[\s\S]*?\n\n\n/, ''));
    assert.deepEqual(
      paths(data, '/api/v1/bookings/').filter((p) => /aa|mid|zzz/.test(p)),
      ['GET /api/v1/bookings/mid'],
    );
    await s.edit(PAYMENTS_ROUTER, (t) => `${t}\n\n@router.delete("/{payment_id}", deprecated=True)\ndef drop(payment_id: int) -> None:\n    pass\n`);
    data = await s.edit(CONTROLLER, replace("  @Post('invoices')", "  @Get('invoices/export')\n  export(): Invoice[] {\n    return this.invoicesService.findAll();\n  }\n\n  @Post('invoices')"));
    assert.ok(paths(data, '/api/billing/invoices/export').length === 1);
    await s.edit(CONTROLLER, replace("@Get('invoices/export')", "@Get('invoices/export-all')"));
  });

  it('a comment appended to a router, a service module or a controller gives back the same result objects', async () => {
    for (const rel of [BOOKING_ROUTER, BOOKING_SERVICE, CONTROLLER]) {
      const before = s.last;
      const comment = rel.endsWith('.py') ? '\n# saved again\n' : '\n// saved again\n';
      const data = await s.edit(rel, (t) => t + comment);
      assert.equal(data, before.data, `the data object after a comment in ${rel}`);
      assert.equal(s.last.findings, before.findings, `the findings after a comment in ${rel}`);
    }
  });
});
