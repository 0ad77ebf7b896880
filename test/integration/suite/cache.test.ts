import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, executeCommandWithRetry, openFile, waitFor, workspaceUri } from '../util';

const BOOKING = 'backend/src/acme/platform/booking/service.py';
const WRITE_RULE = 'cache/write-without-invalidation';

interface Snapshot {
  folder: string;
  label: string;
  description: string;
  state: string;
  children: { kind: string; label: string; description: string; icon: string; state: string; children: string[] }[];
}

function writeFindings(): vscode.Diagnostic[] {
  return diagnosticsFor(BOOKING).filter((d) => codeOf(d) === WRITE_RULE);
}

async function lensTitles(uri: vscode.Uri): Promise<{ line: number; title: string; command?: string }[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((l) => l.command?.command === 'codenav.cache.showLocations').map((l) => ({ line: l.range.start.line, title: l.command!.title, command: l.command?.command }));
}

describe('cache coverage', () => {
  before(async () => {
    await activateExtension();
  });

  it('reports the update that does not invalidate in the Problems panel', async () => {
    const found = await waitFor(() => (writeFindings().length ? writeFindings() : undefined), { timeoutMs: 60_000, message: `${WRITE_RULE} on ${BOOKING}` });
    assert.strictEqual(found.length, 1);
    const [d] = found;
    assert.strictEqual(d.range.start.line, 124, 'def update_booking is on line 125');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /create_booking, confirm_booking and cancel_booking invalidate booking:\*; update_booking does not\./);
    const never = diagnosticsFor(BOOKING).filter((x) => codeOf(x) === 'cache/never-invalidated');
    assert.deepStrictEqual(never.map((x) => x.range.start.line), [89]);
  });

  it('shows CodeLenses above the cached reads and the writes of the booking service', async () => {
    const uri = workspaceUri(BOOKING);
    await openFile(BOOKING);
    const titles = await waitFor(async () => {
      const t = await lensTitles(uri);
      return t.length >= 8 ? t : undefined;
    }, { timeoutMs: 30_000, message: 'cache CodeLenses on the booking service' });
    assert.deepStrictEqual(
      titles.map((t) => [t.line + 1, t.title]),
      [
        [29, 'cached 5 min · invalidated by create_booking, confirm_booking, cancel_booking'],
        [54, 'cached 60 s · invalidated by create_booking, confirm_booking, cancel_booking'],
        [85, 'cached 10 min · invalidated by create_booking, confirm_booking, cancel_booking'],
        [89, 'cached without TTL · invalidated by no write'],
        [107, 'invalidates booking:* → 3 cached reads'],
        [117, 'invalidates booking:* → 3 cached reads'],
        [125, 'invalidates no cached read'],
        [131, 'invalidates booking:* → 3 cached reads'],
      ],
    );
  });

  it('opens the places a lens names: through a pick list for several, directly for one', async () => {
    const uri = workspaceUri(BOOKING);
    const editor = await openFile(BOOKING);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const create = lenses.find((l) => l.range.start.line === 106 && l.command?.command === 'codenav.cache.showLocations');
    assert.ok(create?.command?.arguments, 'the lens of create_booking carries its places');
    let finished = false;
    void Promise.resolve(vscode.commands.executeCommand(create.command.command, ...create.command.arguments)).then(() => (finished = true));
    await waitFor(
      async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return finished;
      },
      { timeoutMs: 15_000, message: 'the pick list of the lens to be accepted' },
    );
    const opened = vscode.window.activeTextEditor;
    assert.strictEqual(opened?.document.uri.fsPath, uri.fsPath);
    assert.strictEqual(opened?.selection.active.line, 29, 'the first place: get_dashboard_stats');

    await vscode.commands.executeCommand('codenav.cache.showLocations', {
      folder: vscode.workspace.workspaceFolders![0].uri.toString(),
      title: 'one place',
      places: [{ file: BOOKING, line: 125, label: 'BookingService.update_booking' }],
    });
    assert.strictEqual(vscode.window.activeTextEditor?.selection.active.line, 124);
  });

  it('shows the Cache Coverage view with coverage figures and uncovered items', async () => {
    const snapshot = await waitFor(async () => {
      const s = await executeCommandWithRetry<Snapshot[]>('codenav.cache.snapshot');
      return s?.some((x) => x.label === 'BookingService') ? s : undefined;
    }, { message: 'BookingService in the Cache Coverage view' });
    assert.deepStrictEqual(snapshot.map((s) => [s.label, s.description]), [
      ['ProductService', '2/2 writes invalidate'],
      ['BookingService', '3/4 writes invalidate'],
    ]);
    const booking = snapshot.find((s) => s.label === 'BookingService')!;
    assert.strictEqual(booking.state, 'warning');
    const update = booking.children.find((c) => c.label === 'update_booking')!;
    assert.deepStrictEqual([update.kind, update.description, update.icon, update.state], ['write', 'nothing · covers 0 reads', 'warning', 'warning']);
    const stats = booking.children.find((c) => c.label === 'get_dashboard_stats')!;
    assert.deepStrictEqual([stats.description, stats.icon, stats.children], ['booking:stats… · 5 min · invalidated by 3 writes', 'pass', ['create_booking', 'confirm_booking', 'cancel_booking']]);
  });

  it('exports the cache audit as Markdown', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codenav-audit-'));
    try {
      const target = vscode.Uri.file(path.join(dir, 'cache-audit.md'));
      const written = await executeCommandWithRetry<string>('codenav.cache.exportAudit', [target, { overwrite: true }]);
      assert.strictEqual(written, target.toString());
      const text = fs.readFileSync(target.fsPath, 'utf8');
      assert.match(text, /^# Cache audit\n/);
      assert.match(text, /## BookingService\n\n`backend\/src\/acme\/platform\/booking\/service\.py`, line 25 · 3\/4 writes invalidate/);
      assert.match(text, /\| warning \| `cache\/write-without-invalidation` \|/);
      assert.match(text, /## TTLs by category/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hides the CodeLenses when codenav.cache.codeLens is off', async () => {
    const uri = workspaceUri(BOOKING);
    const settings = vscode.workspace.getConfiguration('codenav');
    await settings.update('cache.codeLens', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(async () => (await lensTitles(uri)).length === 0, { timeoutMs: 15_000, message: 'no cache CodeLens' });
    } finally {
      await settings.update('cache.codeLens', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(async () => (await lensTitles(uri)).length >= 8, { timeoutMs: 15_000, message: 'cache CodeLenses back' });
  });

  it('clears the finding on save once the quick fix adds the invalidation, and brings it back on revert', async () => {
    const editor = await openFile(BOOKING);
    const original = editor.document.getText();
    const [d] = await waitFor(() => (writeFindings().length ? writeFindings() : undefined), { message: WRITE_RULE });
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const fix = actions.find((a) => a.title === 'Add @invalidate_cache("booking:*") (as create_booking does)');
    assert.ok(fix?.edit, `quick fix offered; got ${actions.map((a) => a.title).join(' | ')}`);
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.strictEqual(editor.document.lineAt(124).text, '    @invalidate_cache("booking:*")');
      await editor.document.save();
      await waitFor(() => writeFindings().length === 0, { timeoutMs: 30_000, message: 'the finding to clear after save' });
      const titles = await waitFor(async () => {
        const t = await lensTitles(editor.document.uri);
        return t.some((x) => x.line === 124 && x.title === 'invalidates booking:* → 3 cached reads') ? t : undefined;
      }, { timeoutMs: 15_000, message: 'the lens of update_booking to update' });
      assert.ok(titles.length >= 8);
    } finally {
      const whole = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
      const revert = new vscode.WorkspaceEdit();
      revert.replace(editor.document.uri, whole, original);
      await vscode.workspace.applyEdit(revert);
      await editor.document.save();
    }
    await waitFor(() => writeFindings().length === 1, { timeoutMs: 30_000, message: 'the finding to return after revert' });
  });
});
