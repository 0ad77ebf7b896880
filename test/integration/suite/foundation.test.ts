import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  DIAGNOSTIC_SOURCE,
  executeCommandWithRetry,
  exists,
  waitFor,
  workspaceRoot,
  workspaceUri,
} from '../util';

interface IndexSummary {
  folders: {
    name: string;
    root: string;
    files: number;
    python: number;
    typescript: number;
    skipped: { path: string; reason: string }[];
    discovery: 'git' | 'walk';
    configFile: string | null;
    configProblems: number;
    findings: number;
  }[];
}

interface ContributedCommand {
  command: string;
}

const CONFIG_FILE = '.codenav.yaml';

function configProblems(): string[] {
  const keys: string[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (codeOf(d) === 'config/invalid') {
        keys.push(`${vscode.workspace.asRelativePath(uri)}:${d.range.start.line}: ${d.message}`);
      }
    }
  }
  return keys.sort();
}

describe('foundation', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    extension = await activateExtension();
  });

  it('activates the extension', () => {
    assert.strictEqual(extension.isActive, true);
    assert.strictEqual(extension.id, 'codenav.codebase-navigator');
  });

  it('registers every command that package.json contributes', async () => {
    const contributed = ((extension.packageJSON.contributes?.commands ?? []) as ContributedCommand[]).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const missing = async (): Promise<string[]> => {
      const registered = new Set(await vscode.commands.getCommands(true));
      return contributed.filter((id) => !registered.has(id));
    };
    await waitFor(async () => (await missing()).length === 0, { timeoutMs: 10_000, message: 'all contributed commands' }).catch(() => undefined);
    const left = await missing();
    assert.deepStrictEqual(left, [], `contributed but not registered: ${left.join(', ')}`);
  });

  it('summarises the index of the opened workspace', async () => {
    const summary = await executeCommandWithRetry<IndexSummary>('codenav.showIndexSummary');
    assert.ok(summary && Array.isArray(summary.folders), `unexpected summary: ${JSON.stringify(summary)}`);
    assert.strictEqual(summary.folders.length, 1);
    const [folder] = summary.folders;
    assert.strictEqual(folder.root, workspaceRoot().fsPath);
    assert.strictEqual(folder.discovery, 'git', 'the test workspace is a git repository');

    const skipped = new Set(folder.skipped.map((s) => s.path));
    const count = async (glob: string): Promise<number> =>
      (await vscode.workspace.findFiles(glob, '**/node_modules/**')).filter((u) => !skipped.has(vscode.workspace.asRelativePath(u, false))).length;
    const python = await count('**/*.py');
    assert.ok(python > 0, 'the fixture has Python files');
    assert.strictEqual(folder.python, python, 'Python files in the summary vs. in the workspace');
    assert.ok(folder.files >= folder.python + folder.typescript, `files ${folder.files} < python + typescript`);
    assert.ok(folder.typescript > 0, 'the fixture has TypeScript files');
    assert.ok(Number.isInteger(folder.findings) && folder.findings >= 0);
  });

  it('reports a malformed .codenav.yaml as config/invalid and clears it when fixed', async function () {
    this.timeout(60_000);
    const uri = workspaceUri(CONFIG_FILE);
    const original = (await exists(uri)) ? await vscode.workspace.fs.readFile(uri) : undefined;
    const baseline = configProblems();

    await vscode.workspace.fs.writeFile(uri, Buffer.from('exclude: ["**/generated/**"\nmigrations:\n  naming: [unclosed\n', 'utf8'));
    try {
      const added = await waitFor(
        () => {
          const now = configProblems().filter((p) => !baseline.includes(p));
          return now.length > 0 ? now : undefined;
        },
        { timeoutMs: 30_000, message: 'a config/invalid diagnostic for the malformed config' },
      );
      const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'config/invalid');
      assert.ok(diagnostics.length > 0, `config/invalid reported elsewhere: ${added.join('; ')}`);
      for (const d of diagnostics) {
        assert.strictEqual(d.source, DIAGNOSTIC_SOURCE);
        assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
      }
    } finally {
      if (original) {
        await vscode.workspace.fs.writeFile(uri, original);
      } else {
        await vscode.workspace.fs.delete(uri);
      }
    }

    await waitFor(() => JSON.stringify(configProblems()) === JSON.stringify(baseline), {
      timeoutMs: 30_000,
      message: 'the config/invalid diagnostic to disappear after restoring the config',
    });
  });
  it('keeps working with binary, huge, looping and invalid UTF-8 files in the workspace', async function () {
    this.timeout(90_000);
    const root = workspaceRoot().fsPath;
    const dir = path.join(root, 'hazards');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'blob.py'), Buffer.from([0x00, 0xff, 0x00, 0x13, 0x37]));
    fs.writeFileSync(path.join(dir, 'latin1.py'), Buffer.concat([Buffer.from('class LatinService:\n    """caf'), Buffer.from([0xe9, 0xff]), Buffer.from('"""\n')]));
    fs.writeFileSync(path.join(dir, 'half_written.py'), 'class HalfService:\n    def charge(self,\n');
    const huge = fs.openSync(path.join(dir, 'huge.py'), 'w');
    fs.ftruncateSync(huge, 20 * 1024 * 1024);
    fs.closeSync(huge);
    fs.symlinkSync('..', path.join(dir, 'loop'));
    try {
      const started = Date.now();
      await executeCommandWithRetry('codenav.refresh');
      const summary = await executeCommandWithRetry<IndexSummary>('codenav.showIndexSummary');
      const [folder] = summary.folders;
      assert.ok(
        folder.skipped.some((s) => s.path === 'hazards/huge.py' && /larger than/.test(s.reason)),
        `huge.py is skipped with a reason: ${JSON.stringify(folder.skipped)}`,
      );
      assert.ok(Date.now() - started < 60_000, 'the refresh finished');
      const config = await executeCommandWithRetry<IndexSummary>('codenav.showIndexSummary');
      assert.strictEqual(config.folders.length, 1, 'the extension still answers');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
