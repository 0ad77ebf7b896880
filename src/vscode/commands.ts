import vscode = require('vscode');
import { CONFIG_FILE } from '../core/workspace/config';
import type { FeatureContext } from './feature';

export interface IndexSummary {
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

const STARTER_CONFIG = `# Codebase Navigator project config. Every key is optional; see the README.
# exclude: ["**/generated/**"]
# services:
#   packages: [src/myapp/billing]
#   classSuffixes: [Service, Repository, Manager, Client, Gateway]
# deprecated:
#   - module: myapp.billing.invoicing.service
#     replacement: myapp.billing.invoicing.money_service
#     removeBy: 2027-03-01
# migrations:
#   naming: "YYYY_MM_DD_HHMM-<rev>_<slug>.py"
#   missingDowngrade: warning
# typegen:
#   triggers: ["**/models.py", "**/schemas/**/*.py"]
#   command: generate:types
`;

/** The commands of the core: refresh, summary, config, log. */
export function registerCoreCommands({ host, config }: FeatureContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('codenav.refresh', () =>
      vscode.window.withProgress({ location: { viewId: 'codenav.services' }, title: 'Analysing…' }, () => host.refreshAll(true)),
    ),
    vscode.commands.registerCommand('codenav.showLog', () => host.log.show(true)),
    vscode.commands.registerCommand('codenav.showIndexSummary', async (): Promise<IndexSummary> => {
      const states = await Promise.all(host.folders().filter((f) => f.uri.scheme === 'file').map((f) => host.ensure(f)));
      const summary: IndexSummary = {
        folders: states.map((s) => ({
          name: s.folder.name,
          root: s.ws.root,
          files: s.ws.files.length,
          python: s.ws.files.filter((f) => f.language === 'python').length,
          typescript: s.ws.files.filter((f) => f.language === 'typescript').length,
          skipped: s.ws.skipped,
          discovery: s.ws.discoveryMethod,
          configFile: s.ws.configFile ?? null,
          configProblems: s.ws.configFindings.length,
          findings: s.findings.length,
        })),
      };
      const lines = summary.folders.map(
        (f) => `${f.name}: ${f.files} files (${f.python} Python, ${f.typescript} TypeScript/JavaScript), ${f.skipped.length} skipped, ${f.findings} findings, config ${f.configFile ?? 'none'}`,
      );
      lines.forEach((l) => host.log.info(l));
      for (const f of summary.folders) for (const s of f.skipped) host.log.info(`  skipped ${s.path}: ${s.reason}`);
      void vscode.window.showInformationMessage(lines.join(' · ') || 'No folder is open.', 'Show Log').then((a) => a && host.log.show(true));
      return summary;
    }),
    vscode.commands.registerCommand('codenav.openConfig', async () => {
      const folder = host.folders().length === 1 ? host.folders()[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Config file of which folder?' });
      if (!folder) return;
      const uri = vscode.Uri.joinPath(folder.uri, config.for(folder).configFile || CONFIG_FILE);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        const create = await vscode.window.showInformationMessage(`${folder.name} has no ${vscode.workspace.asRelativePath(uri, false)} yet. Create one with commented examples?`, { modal: true }, 'Create');
        if (create !== 'Create') return;
        await vscode.workspace.fs.writeFile(uri, Buffer.from(STARTER_CONFIG, 'utf8'));
      }
      await vscode.window.showTextDocument(uri);
    }),
  ];
}
