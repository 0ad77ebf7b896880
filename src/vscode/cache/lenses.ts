import vscode = require('vscode');
import type { CacheData } from '../../core/cache';
import type { Config } from '../config';
import type { AnalysisHost } from '../host';
import { lensesFor, type Place } from './model';

export const SHOW_LOCATIONS = 'codenav.cache.showLocations';

/** What `codenav.cache.showLocations` receives from a lens. */
export interface ShowLocationsArgs {
  folder: string;
  title: string;
  places: Place[];
}

/** Above each cached read: TTL and the writes that invalidate it; above each write: its patterns and the reads they reach. */
export class CacheLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly host: AnalysisHost,
    private readonly config: Config,
  ) {
    this.subscriptions = [
      host.onDidAnalyze((e) => e.ran.includes('cache') && this.emitter.fire()),
      config.onDidChange((e) => e.changed.includes('cacheCodeLens') && this.emitter.fire()),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder || folder.uri.scheme !== 'file' || !this.config.for(folder).cacheCodeLens) return [];
    const state = this.host.state(folder) ?? (await this.host.ensure(folder));
    if (token.isCancellationRequested) return [];
    const rel = state.ws.rel(document.uri.fsPath);
    const lenses: vscode.CodeLens[] = [];
    for (const l of lensesFor(state.results.cache?.data as CacheData | undefined, rel)) {
      // Edited since the last analysis: no lens rather than a lens on the wrong line.
      if (l.nameLine > document.lineCount || !document.lineAt(l.nameLine - 1).text.includes(l.name)) continue;
      const args: ShowLocationsArgs = { folder: folder.uri.toString(), title: l.title, places: l.places };
      lenses.push(new vscode.CodeLens(new vscode.Range(l.line, 0, l.line, 0), { title: l.title, tooltip: l.tooltip, command: SHOW_LOCATIONS, arguments: [args] }));
    }
    return lenses;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}
