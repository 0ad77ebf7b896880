import vscode = require('vscode');
import { registerCoreCommands } from './vscode/commands';
import { Config } from './vscode/config';
import { DiagnosticsAdapter } from './vscode/diagnostics';
import type { FeatureContext } from './vscode/feature';
import { AnalysisHost } from './vscode/host';
import { QuickFixProvider } from './vscode/quickFixes';
import { registerCache } from './vscode/cache';
import { registerMigrations } from './vscode/migrations';
import { registerServices } from './vscode/services';
import { registerTypegen } from './vscode/typegen';

/** Wires the parts together; the work starts after activation returns. */
export function activate(extension: vscode.ExtensionContext): void {
  const config = new Config();
  const host = new AnalysisHost(() => config.settings);
  const diagnostics = new DiagnosticsAdapter(host, config);
  const ctx: FeatureContext = { extension, host, config, diagnostics };
  extension.subscriptions.push(
    config,
    host,
    diagnostics,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new QuickFixProvider(diagnostics), { providedCodeActionKinds: QuickFixProvider.kinds }),
    config.onDidChange((e) => e.reanalyze && void host.refreshAll(true)),
    ...registerCoreCommands(ctx),
    ...registerServices(ctx),
    ...registerMigrations(ctx),
    ...registerCache(ctx),
    ...registerTypegen(ctx),
  );
  const start = setTimeout(() => {
    host.refreshAll(false).catch((err) => {
      host.log.error(`first analysis failed: ${(err as Error).stack ?? err}`);
      void vscode.window.showErrorMessage(`Codebase Navigator could not analyse the workspace: ${(err as Error).message}`, 'Show Log').then((a) => a && host.log.show(true));
    });
  }, 0);
  extension.subscriptions.push({ dispose: () => clearTimeout(start) });
}

export function deactivate(): void {
  /* everything is disposed through extension.subscriptions */
}
