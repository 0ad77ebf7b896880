import vscode = require('vscode');
import type { AnalyzerId, AnalyzerResult } from '../core/analyzer';
import { runAnalyzers } from '../core/analyzers';
import type { Finding } from '../core/findings';
import { FactCache } from '../core/workspace/factCache';
import { Workspace } from '../core/workspace/workspace';
import type { Settings } from './config';

export interface FolderState {
  folder: vscode.WorkspaceFolder;
  ws: Workspace;
  results: Partial<Record<AnalyzerId, AnalyzerResult>>;
  findings: Finding[];
  /** Analyzer crashes, shown once in the log and the status, never thrown into the host. */
  failures: { id: AnalyzerId; message: string }[];
  analyzedAt?: number;
}

export interface AnalysisEvent {
  folder: vscode.WorkspaceFolder;
  state: FolderState;
  /** The analyzers that ran in this pass. */
  ran: AnalyzerId[];
}

const ALL: AnalyzerId[] = ['navigation', 'migrations', 'cache', 'typegen'];

/**
 * Keeps one core `Workspace` per workspace folder, feeds it file changes, and
 * re-runs the analyzers (debounced) when their inputs change. Everything the
 * views, diagnostics and code lenses show comes from `onDidAnalyze`.
 */
export class AnalysisHost implements vscode.Disposable {
  private readonly states = new Map<string, FolderState>();
  private readonly opening = new Map<string, Promise<FolderState>>();
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; analyzers: Set<AnalyzerId>; reload: boolean }>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly emitter = new vscode.EventEmitter<AnalysisEvent>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  readonly cache = new FactCache();
  readonly onDidAnalyze = this.emitter.event;
  readonly log: vscode.LogOutputChannel;

  constructor(private settings: () => Settings) {
    this.log = vscode.window.createOutputChannel('Codebase Navigator', { log: true });
    this.disposables.push(this.log);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidChange((u) => this.fileChanged(u)),
      watcher.onDidCreate((u) => this.fileChanged(u)),
      watcher.onDidDelete((u) => this.fileChanged(u)),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.forget(f);
        for (const f of e.added) this.schedule(f, ALL, true, 0);
      }),
    );
  }

  folders(): readonly vscode.WorkspaceFolder[] {
    return vscode.workspace.workspaceFolders ?? [];
  }

  state(folder: vscode.WorkspaceFolder): FolderState | undefined {
    return this.states.get(folder.uri.toString());
  }

  allStates(): FolderState[] {
    return [...this.states.values()];
  }

  /** The folder state, opening (and analysing) the folder on first use. */
  async ensure(folder: vscode.WorkspaceFolder): Promise<FolderState> {
    const key = folder.uri.toString();
    const existing = this.states.get(key);
    if (existing) return existing;
    let p = this.opening.get(key);
    if (!p) {
      p = this.analyze(folder, ALL, true).then(() => this.states.get(key)!);
      this.opening.set(key, p);
      p.finally(() => this.opening.delete(key));
    }
    return p;
  }

  /** Analyse every folder now (the Refresh command). */
  async refreshAll(reload = true): Promise<void> {
    await Promise.all(this.folders().filter((f) => f.uri.scheme === 'file').map((f) => this.analyze(f, ALL, reload)));
  }

  /** Re-runs some analyzers on a folder after `delayMs`, coalescing bursts of changes. */
  schedule(folder: vscode.WorkspaceFolder, analyzers: AnalyzerId[] = ALL, reload = false, delayMs = 150): void {
    const key = folder.uri.toString();
    const p = this.pending.get(key);
    if (p) clearTimeout(p.timer);
    const set = p?.analyzers ?? new Set<AnalyzerId>();
    analyzers.forEach((a) => set.add(a));
    const entry = { analyzers: set, reload: reload || !!p?.reload, timer: setTimeout(() => {
      this.pending.delete(key);
      void this.analyze(folder, [...set], entry.reload);
    }, delayMs) };
    this.pending.set(key, entry);
  }

  /** One analysis pass; passes on the same folder never overlap. */
  async analyze(folder: vscode.WorkspaceFolder, analyzers: AnalyzerId[], reload: boolean): Promise<void> {
    const key = folder.uri.toString();
    const previous = this.running.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.pass(folder, analyzers, reload)).catch((err) => this.log.error(`analysis of ${folder.name} failed: ${(err as Error).stack ?? err}`));
    this.running.set(key, next);
    await next;
  }

  private async pass(folder: vscode.WorkspaceFolder, analyzers: AnalyzerId[], reload: boolean): Promise<void> {
    if (!this.settings().enable || folder.uri.scheme !== 'file') return;
    const key = folder.uri.toString();
    let state = this.states.get(key);
    const started = Date.now();
    if (!state) {
      const ws = await Workspace.open(folder.uri.fsPath, { configPath: this.settings().configFile, cache: this.cache });
      state = { folder, ws, results: {}, findings: [], failures: [] };
      this.states.set(key, state);
      analyzers = ALL;
    } else if (reload) {
      await state.ws.reload();
    }
    const run = await runAnalyzers(state.ws, { against: this.settings().migrationsAgainst || undefined }, analyzers);
    Object.assign(state.results, run.results);
    state.failures = run.failures;
    state.findings = [...state.ws.configFindings, ...Object.values(state.results).flatMap((r) => r?.findings ?? [])];
    state.analyzedAt = Date.now();
    for (const f of run.failures) this.log.error(`${f.id} analyzer failed on ${folder.name}: ${f.message}`);
    this.log.info(`analysed ${folder.name} (${analyzers.join(', ')}): ${state.ws.files.length} files, ${state.findings.length} findings in ${Date.now() - started} ms`);
    this.emitter.fire({ folder, state, ran: analyzers });
  }

  private fileChanged(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const state = folder && this.state(folder);
    if (!folder || !state) return;
    const rel = state.ws.rel(uri.fsPath);
    if (rel.startsWith('..') || /(^|\/)(\.git|node_modules)(\/|$)/.test(rel)) return;
    const isConfig = rel === (this.settings().configFile || '.codenav.yaml');
    if (isConfig || rel.endsWith('.gitignore')) return this.schedule(folder, ALL, true);
    void state.ws.update(rel).then((kind) => {
      if (kind !== 'ignored') this.schedule(folder, ALL);
    });
  }

  private forget(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const p = this.pending.get(key);
    if (p) clearTimeout(p.timer);
    this.pending.delete(key);
    const state = this.states.get(key);
    this.states.delete(key);
    if (state) this.emitter.fire({ folder, state: { ...state, findings: [], results: {} }, ran: ALL });
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}
