import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, executeCommandWithRetry, openFile, waitFor, workspaceUri } from '../util';

interface StatusSnapshot {
  state: string;
  text: string;
  tooltip: string;
}

interface RunResult {
  ran: boolean;
  reason?: string;
  ok?: boolean;
  findings?: { rule: string; file: string }[];
}

const SCHEMAS = 'backend/src/acme/platform/billing/schemas.py';
const TYPES = 'frontend/src/shared/types/api.ts';
const CONFIG = '.codenav.yaml';
const TOTAL_LINE = '    total_cents: int\n';
const LONG = { timeoutMs: 150_000, intervalMs: 250 };

async function read(rel: string): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(workspaceUri(rel))).toString('utf8');
}

/** The generated `Invoice` schema's body. */
async function invoiceTypes(): Promise<string> {
  return (await read(TYPES)).split('        Invoice: {')[1]?.split('\n        };')[0] ?? '';
}

/** Replaces text in a file through an editor and saves it, as a person would. */
async function editAndSave(rel: string, from: string, to: string): Promise<void> {
  const editor = await openFile(rel);
  const text = editor.document.getText();
  const at = text.indexOf(from);
  assert.ok(at >= 0, `${rel} contains ${JSON.stringify(from)}`);
  const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + from.length));
  assert.ok(await editor.edit((b) => b.replace(range, to)));
  assert.ok(await editor.document.save(), `${rel} saved`);
}

const status = () => vscode.commands.executeCommand<StatusSnapshot>('codenav.typegen.status');

function typegenDiagnostics(rule: string): [string, vscode.Diagnostic][] {
  const root = workspaceUri('').fsPath.replace(/\/$/, '');
  return vscode.languages
    .getDiagnostics()
    .flatMap(([uri, list]) => list.filter((d) => codeOf(d) === rule).map((d): [string, vscode.Diagnostic] => [uri.fsPath.slice(root.length + 1), d]));
}

describe('type generation', function () {
  this.timeout(200_000);
  let originalSchemas: string;
  let originalConfig: string;

  before(async () => {
    await activateExtension();
    originalSchemas = await read(SCHEMAS);
    originalConfig = await read(CONFIG);
    // Debian's interpreter has FastAPI; another python3 may come first on PATH.
    await vscode.workspace.getConfiguration('codenav').update('typegen.python', '/usr/bin/python3', vscode.ConfigurationTarget.Workspace);
    await executeCommandWithRetry('codenav.typegen.status');
    await waitFor(async () => (await status()).state === 'idle', { timeoutMs: 60_000, message: 'the type generation status item' });
  });

  after(async () => {
    await vscode.workspace.fs.writeFile(workspaceUri(CONFIG), Buffer.from(originalConfig, 'utf8'));
    const doc = await vscode.workspace.openTextDocument(workspaceUri(SCHEMAS));
    if (doc.getText() !== originalSchemas) {
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), originalSchemas));
      await doc.save();
    }
    // Put the generated files back as they were (they regenerate byte for byte).
    await vscode.commands.executeCommand('codenav.typegen.run');
    await vscode.workspace.getConfiguration('codenav').update('typegen.python', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('regenerates the types file when the schemas file is saved', async () => {
    assert.doesNotMatch(await invoiceTypes(), /memo\?: string/);
    await editAndSave(SCHEMAS, TOTAL_LINE, `${TOTAL_LINE}    memo: Optional[str] = None\n`);
    await waitFor(async () => /memo\?: string;/.test(await invoiceTypes()), { ...LONG, message: `Invoice.memo in ${TYPES}` });
    assert.match(await read('backend/openapi.json'), /"title": "Memo"/);
  });

  it('reports success in the status bar', async () => {
    const s = await waitFor(async () => {
      const snap = await status();
      return snap.state === 'success' ? snap : undefined;
    }, { ...LONG, message: 'a successful type generation in the status item' });
    assert.match(s.text, /^types ✓ \d+\.\d s$/);
  });

  it('removing a field the frontend uses yields a contract break at the use site', async () => {
    await editAndSave(SCHEMAS, TOTAL_LINE, '');
    const billing = 'frontend/src/lib/billing.ts';
    const breaks = () => diagnosticsFor(billing).filter((d) => codeOf(d) === 'typegen/contract-break');
    await waitFor(() => breaks().length === 3, { ...LONG, message: `typegen/contract-break on ${billing}` });
    const first = breaks().sort((a, b) => a.range.start.line - b.range.start.line)[0];
    assert.deepStrictEqual([first.range.start.line, first.range.start.character], [14, 29]);
    assert.strictEqual(first.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(first.message, `\`Invoice.total_cents\` was removed from the API types by the change to ${SCHEMAS}`);
    const route = diagnosticsFor('frontend/src/app/api/invoices/[id]/route.ts').filter((d) => codeOf(d) === 'typegen/contract-break');
    assert.deepStrictEqual(route.map((d) => [d.range.start.line, d.range.start.character]), [[19, 24]]);
    assert.doesNotMatch(await invoiceTypes(), /\btotal_cents/);
  });

  it('a broken generator command yields typegen/failed in the Problems panel, cleared by the next success', async () => {
    const broken = originalConfig.replace('  command: generate:types\n', '  command: [openapi-typescript, ../backend/no-such-openapi.json, -o, src/shared/types/api.ts]\n');
    assert.notStrictEqual(broken, originalConfig, 'the sample config names the generate:types script');
    await vscode.workspace.fs.writeFile(workspaceUri(CONFIG), Buffer.from(broken, 'utf8'));
    await editAndSave(SCHEMAS, '    tax_cents: int\n', `    tax_cents: int\n${TOTAL_LINE}`);
    const failedRun = () => typegenDiagnostics('typegen/failed').filter(([, d]) => d.message.includes('no-such-openapi.json'));
    await waitFor(() => failedRun().length > 0, { ...LONG, message: 'a typegen/failed diagnostic of the broken command' });
    assert.strictEqual(typegenDiagnostics('typegen/failed').length, 1, 'one finding for an unparseable failure');
    const [[file, failed]] = failedRun();
    assert.strictEqual(file, SCHEMAS, 'an unparseable failure is shown on the saved file');
    assert.strictEqual(failed.source, 'Codebase Navigator');
    assert.match(failed.message, /^Type generation failed \(exit code 1\): .*no-such-openapi\.json/);
    assert.strictEqual((await status()).text, 'types ✗');

    await vscode.workspace.fs.writeFile(workspaceUri(CONFIG), Buffer.from(originalConfig, 'utf8'));
    const result = await vscode.commands.executeCommand<RunResult>('codenav.typegen.run');
    assert.strictEqual(result.ran, true);
    assert.strictEqual(result.ok, true, JSON.stringify(result));
    assert.deepStrictEqual(typegenDiagnostics('typegen/failed'), []);
    assert.deepStrictEqual(typegenDiagnostics('typegen/contract-break'), [], 'total_cents is back: no break left');
  });
});
