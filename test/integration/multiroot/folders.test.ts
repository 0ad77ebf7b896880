import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, DIAGNOSTIC_SOURCE, waitFor } from '../util';

/** The run opens sample-faulty and the `suppressions` migrations fixture as the two folders of one workspace. */
const HEAD = 'backend/alembic/versions/2025_04_15_1030-9d985ae16eff_add_invoice_pdf_url.py';
const QUICK_FIX = 'migrations/versions/b2_quick_fix.py';
const TYPO = 'migrations/versions/b3_typo.py';

function folder(index: number): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[index];
  if (!f) throw new Error(`the test host opened no folder ${index}`);
  return f;
}

function uri(index: number, rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(index).uri, ...rel.split('/'));
}

function rules(index: number, rel: string): string[] {
  return vscode.languages
    .getDiagnostics(uri(index, rel))
    .filter((d) => d.source === DIAGNOSTIC_SOURCE)
    .map((d) => `${codeOf(d)}:${d.range.start.line + 1}`);
}

/** Every file with Codebase Navigator diagnostics, as `folder name/relative path`. */
function filesWithDiagnostics(): string[] {
  return vscode.languages
    .getDiagnostics()
    .filter(([, ds]) => ds.some((d) => d.source === DIAGNOSTIC_SOURCE))
    .map(([u]) => {
      const f = vscode.workspace.getWorkspaceFolder(u);
      return f ? `${f.name}/${vscode.workspace.asRelativePath(u, false)}` : `(outside) ${u.fsPath}`;
    });
}

describe('a multi-root workspace', () => {
  before(async function () {
    this.timeout(120_000);
    await activateExtension();
  });

  it('opens two folders', () => {
    assert.deepStrictEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.name),
      ['sample-faulty', 'suppressions'],
    );
  });

  it('analyses each folder on its own, with findings on the right files', async function () {
    this.timeout(120_000);
    await waitFor(() => rules(0, HEAD).includes('migration/multiple-heads:15') && rules(1, TYPO).length > 0, { timeoutMs: 100_000, message: 'diagnostics in both folders' });
    assert.ok(rules(1, TYPO).some((r) => r.startsWith('migration/suppression:')), rules(1, TYPO).join(', '));
    assert.ok(rules(1, QUICK_FIX).includes('migration/missing-downgrade:24'), rules(1, QUICK_FIX).join(', '));
    assert.deepStrictEqual(
      filesWithDiagnostics().filter((f) => f.startsWith('(outside)')),
      [],
      'every diagnostic is on a file of one of the folders',
    );
  });

  it('re-analyses only the folder that changed', async function () {
    this.timeout(120_000);
    const before = rules(0, HEAD);
    const file = uri(1, QUICK_FIX);
    const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    const fixed = text.replace('def downgrade() -> None:\n    pass', 'def downgrade() -> None:\n    op.execute("SELECT 2")');
    assert.notStrictEqual(fixed, text);
    await vscode.workspace.fs.writeFile(file, Buffer.from(fixed, 'utf8'));
    await waitFor(() => !rules(1, QUICK_FIX).includes('migration/missing-downgrade:24'), { timeoutMs: 60_000, message: 'the fixed downgrade clears its diagnostic' });
    assert.deepStrictEqual(rules(0, HEAD), before, "the other folder's diagnostics stay as they were");
  });
});
