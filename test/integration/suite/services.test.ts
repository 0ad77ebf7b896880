import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, executeCommandWithRetry, exists, openFile, waitFor, workspaceUri } from '../util';

/** What `codenav.services.snapshot` returns: the Services view as rendered. */
interface Shown {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue: string;
  icon: string;
  open?: { file: string; line: number };
  children?: Shown[];
}

const BILLING = 'backend/src/acme/platform/billing';
const LEGACY_EXPORT = `${BILLING}/reports/legacy_export.py`;

async function snapshot(depth?: number): Promise<Shown[]> {
  return executeCommandWithRetry<Shown[]>('codenav.services.snapshot', depth === undefined ? [] : [depth]);
}

function activeAt(): { file: string; line: number } | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && { file: vscode.workspace.asRelativePath(editor.document.uri, false), line: editor.selection.active.line + 1 };
}

describe('services', () => {
  before(async () => {
    await activateExtension();
  });

  it('the Services view shows the billing package with invoicing/service.py deprecated → money_service', async () => {
    const top = await waitFor(async () => {
      const s = await snapshot();
      return s.some((n) => n.label === 'billing' && n.children?.length) ? s : undefined;
    }, { timeoutMs: 60_000, message: 'the billing package in the Services view' });
    const billing = top.find((n) => n.label === 'billing')!;
    assert.strictEqual(billing.contextValue, 'package-configured');
    assert.strictEqual(billing.icon, 'package');
    assert.match(billing.description ?? '', /^\/api\/v1\/billing · 15 services · 19 routes$/);
    const deprecated = billing.children!.find((m) => m.label === 'invoicing/service.py');
    assert.ok(deprecated, `invoicing/service.py is listed; modules: ${billing.children!.map((m) => m.label).join(', ')}`);
    assert.strictEqual(deprecated.description, 'deprecated → money_service');
    assert.strictEqual(deprecated.contextValue, 'module-deprecated');
    assert.strictEqual(deprecated.icon, 'warning');
    assert.match(deprecated.tooltip ?? '', /Reason: use money_service instead/);
    assert.match(deprecated.tooltip ?? '', /acme\.platform\.billing\.invoicing\.money_service/);
    const service = deprecated.children!.find((s) => s.label === 'InvoiceService')!;
    assert.deepStrictEqual([service.contextValue, service.open], ['service-deprecated', { file: `${BILLING}/invoicing/service.py`, line: 31 }]);
    const current = billing.children!.find((m) => m.label === 'invoicing/money_service.py')!;
    assert.strictEqual(current.contextValue, 'module');
    assert.match(current.children![0].description ?? '', /^\/api\/v1\/billing\/invoices · 8 methods · 7 routes$/);
  });

  it('"Go to Service…" opens the service’s class line', async () => {
    const opened = await executeCommandWithRetry<{ file: string; line: number }>('codenav.services.goToService', ['InvoiceService']);
    assert.deepStrictEqual({ file: opened.file, line: opened.line }, { file: `${BILLING}/invoicing/money_service.py`, line: 26 });
    await waitFor(() => activeAt()?.file === `${BILLING}/invoicing/money_service.py` && activeAt()?.line === 26, { message: 'money_service.py open at line 26' });
    assert.match(vscode.window.activeTextEditor!.document.lineAt(25).text, /^class InvoiceService\b/);

    const byId = await executeCommandWithRetry<{ file: string; line: number }>('codenav.services.goToService', ['acme.platform.billing.invoicing.service.InvoiceService']);
    assert.deepStrictEqual({ file: byId.file, line: byId.line }, { file: `${BILLING}/invoicing/service.py`, line: 31 });
    await waitFor(() => activeAt()?.file === `${BILLING}/invoicing/service.py` && activeAt()?.line === 31, { message: 'service.py open at line 31' });
  });

  it('"Go to Route…" opens the handler’s decorator line', async () => {
    const opened = await executeCommandWithRetry<{ file: string; line: number }>('codenav.services.goToRoute', ['POST /api/v1/billing/invoices/{invoice_id}/void']);
    assert.deepStrictEqual({ file: opened.file, line: opened.line }, { file: `${BILLING}/invoicing/router.py`, line: 67 });
    await waitFor(() => activeAt()?.line === 67, { message: 'router.py open at line 67' });
    assert.match(vscode.window.activeTextEditor!.document.lineAt(66).text, /^@router\.post\("\/\{invoice_id\}\/void"/);
  });

  it('a file importing the deprecated module has a deprecated/usage diagnostic with an import-rewrite fix', async () => {
    const diagnostic = await waitFor(() => diagnosticsFor(LEGACY_EXPORT).find((d) => codeOf(d) === 'deprecated/usage'), { timeoutMs: 30_000, message: 'the deprecated/usage diagnostic on legacy_export.py' });
    assert.strictEqual(diagnostic.range.start.line, 5);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(diagnostic.tags?.includes(vscode.DiagnosticTag.Deprecated));
    assert.match(diagnostic.message, /use acme\.platform\.billing\.invoicing\.money_service instead/);

    const editor = await openFile(LEGACY_EXPORT);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Import from acme.platform.billing.invoicing.money_service instead');
    assert.ok(fix?.edit, `the rewrite fix is offered; got ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(editor.document.lineAt(5).text, 'from ..invoicing.money_service import InvoiceService');
    await editor.document.save();
    await waitFor(() => !diagnosticsFor(LEGACY_EXPORT).some((d) => codeOf(d) === 'deprecated/usage'), { message: 'the diagnostic to go after the fix' });
  });

  it('groups by route prefix and back, through the title buttons’ commands and the setting', async () => {
    await vscode.commands.executeCommand('codenav.services.groupByRoute');
    const byPrefix = await waitFor(async () => {
      const s = await snapshot(1);
      return s.some((n) => n.contextValue === 'prefix') ? s : undefined;
    }, { message: 'the view grouped by route prefix' });
    assert.strictEqual(vscode.workspace.getConfiguration('codenav').get('services.groupBy'), 'routePrefix');
    const invoices = byPrefix.find((n) => n.label === '/api/v1/billing/invoices')!;
    assert.deepStrictEqual(invoices.children!.map((c) => c.label), ['CreditNoteService', 'InvoiceService']);
    await vscode.commands.executeCommand('codenav.services.groupByPackage');
    await waitFor(async () => (await snapshot(0)).some((n) => n.label === 'billing'), { message: 'the view grouped by package again' });
  });

  it('reveals the active file in the view, and exports the billing guide', async () => {
    await openFile(`${BILLING}/invoicing/service.py`);
    assert.strictEqual(await vscode.commands.executeCommand('codenav.services.revealActiveFile'), true);

    const target = 'docs/billing/NAVIGATION.generated.md';
    const written = await vscode.commands.executeCommand<string>('codenav.services.exportGuide', 'billing', { target, overwrite: true });
    assert.ok(written?.endsWith('NAVIGATION.generated.md'));
    assert.ok(await exists(workspaceUri(target)));
    const text = Buffer.from(await vscode.workspace.fs.readFile(workspaceUri(target))).toString('utf8');
    assert.match(text, /^# billing: navigation guide$/m);
    assert.match(text, /^\| `InvoiceService` \(deprecated → `money_service`\) \| `invoicing\/service\.py:31` \| — \|$/m);
  });
});
