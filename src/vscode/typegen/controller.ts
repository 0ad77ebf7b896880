import picomatch from 'picomatch';
import vscode = require('vscode');
import type { Finding } from '../../core/findings';
import { describePlan, problemFinding, resolvePlan, TypegenScheduler, TypegenSession, type SchedulerEvent, type TypegenPlan, type TypegenRunResult } from '../../core/typegen';
import { loadConfig } from '../../core/workspace/config';
import type { Workspace } from '../../core/workspace/workspace';
import { SOURCE, toRange, toSeverity, toUri } from '../convert';
import type { FeatureContext } from '../feature';
import { TypegenStatus } from './status';

export type RunCommandResult =
  | { ran: false; reason: 'untrusted' | 'no-folder' | 'not-configured' | 'config-error' | 'cancelled'; findings?: Finding[] }
  | { ran: true; folder: string; ok: boolean; cancelled: boolean; timedOut: boolean; durationMs: number; findings: Finding[] };

interface FolderPlan {
  ws: Workspace;
  plan?: TypegenPlan;
  problems: Finding[];
}

const PROGRESS_AFTER_MS = 2000;

function stamp(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/**
 * Type generation in the editor: runs the core scheduler on saves of trigger
 * files (one run per folder), shows progress and the result, logs every run,
 * and publishes failures and contract breaks in a collection of their own.
 */
export class TypegenController implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Codebase Navigator: Type Generation');
  readonly status = new TypegenStatus();
  private readonly collection = vscode.languages.createDiagnosticCollection('codenav.typegen');
  private readonly published = new Map<string, vscode.Uri[]>();
  private readonly sessions = new Map<string, TypegenSession>();
  private readonly lastOk = new Map<string, boolean>();
  private readonly configured = new Set<string>();
  private readonly finishedListeners = new Set<(e: { folder: string; result: TypegenRunResult }) => void>();
  /** The last plan seen per folder, for the scheduler's debounce and restart/queue policy. */
  private readonly policies = new Map<string, TypegenPlan>();
  readonly scheduler: TypegenScheduler;

  constructor(private readonly ctx: FeatureContext) {
    this.scheduler = new TypegenScheduler({
      trusted: () => vscode.workspace.isTrusted,
      policy: (key) => {
        const plan = this.policies.get(key);
        return { debounceMs: plan?.debounceMs ?? 500, mode: plan?.onSaveDuringRun ?? 'restart' };
      },
      job: (key, triggers, signal) => this.job(key, triggers, signal),
    });
    this.scheduler.onEvent((e) => this.onEvent(e));
  }

  folderOf(key: string): vscode.WorkspaceFolder | undefined {
    return this.ctx.host.folders().find((f) => f.uri.toString() === key);
  }

  /** The folder's plan from a fresh read of its config file (the analysis may not have caught up with an edit yet). */
  async planFor(folder: vscode.WorkspaceFolder): Promise<FolderPlan> {
    const { ws } = await this.ctx.host.ensure(folder);
    const loaded = loadConfig(ws.root, this.ctx.config.for(folder).configFile || undefined);
    const r = resolvePlan(ws, loaded.config);
    if (r.plan) this.policies.set(folder.uri.toString(), r.plan);
    return { ws, plan: r.plan, problems: r.problems.filter((p) => p.severity === 'error').map((p) => problemFinding(ws, p, r.plan)) };
  }

  /** The analysis found (or lost) a plan for a folder: show or hide the status item. */
  setConfigured(folder: vscode.WorkspaceFolder, configured: boolean): void {
    if (configured) this.configured.add(folder.uri.toString());
    else this.configured.delete(folder.uri.toString());
    this.refreshStatus();
  }

  isConfigured(folder: vscode.WorkspaceFolder): boolean {
    return this.configured.has(folder.uri.toString());
  }

  refreshStatus(): void {
    if (!this.configured.size) return this.status.hide();
    if (!vscode.workspace.isTrusted) return this.status.untrusted();
    const state = this.status.snapshot.state;
    if (state === 'hidden' || state === 'untrusted') this.status.idle(this.ctx.config.settings.typegenOnSave);
  }

  /** A file was saved: schedule a run when it is a trigger of its folder's plan. */
  async saved(doc: vscode.TextDocument): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder || doc.uri.scheme !== 'file' || !this.isConfigured(folder)) return;
    const settings = this.ctx.config.for(folder);
    if (!settings.enable) return;
    const { ws, plan } = await this.planFor(folder);
    const rel = ws.rel(doc.uri.fsPath);
    if (!plan || rel.startsWith('..')) return;
    if (rel !== plan.output && settings.typegenOnSave && picomatch(plan.triggers, { dot: true })(rel)) {
      if (!vscode.workspace.isTrusted) {
        this.log(folder, `not run after saving ${rel}: the workspace is not trusted`);
        return this.status.untrusted();
      }
      this.scheduler.notify(folder.uri.toString(), rel);
      return;
    }
    if (/\.[cm]?[jt]sx?$/.test(rel) && plan.output && this.hasBreaks(folder)) await this.recheck(folder, ws, plan.output, rel);
  }

  /** "Generate Types Now". */
  async runNow(folder: vscode.WorkspaceFolder | undefined): Promise<RunCommandResult> {
    if (!vscode.workspace.isTrusted) {
      this.status.untrusted();
      return { ran: false, reason: 'untrusted' };
    }
    if (!folder) return { ran: false, reason: 'no-folder' };
    const { plan, problems } = await this.planFor(folder);
    if (!plan) return { ran: false, reason: 'not-configured', findings: problems };
    if (problems.length) {
      problems.forEach((p) => this.log(folder, `not run: ${p.file}:${p.range.start.line + 1}: ${p.message}`));
      return { ran: false, reason: 'config-error', findings: problems };
    }
    const r = await this.scheduler.runNow(folder.uri.toString());
    if (!r.ran) return { ran: false, reason: r.reason };
    const { ok, cancelled, timedOut, durationMs, findings } = r.result;
    return { ran: true, folder: folder.name, ok, cancelled, timedOut, durationMs, findings };
  }

  onDidFinish(listener: (e: { folder: string; result: TypegenRunResult }) => void): vscode.Disposable {
    this.finishedListeners.add(listener);
    return { dispose: () => this.finishedListeners.delete(listener) };
  }

  private async job(key: string, triggers: string[], signal: AbortSignal): Promise<TypegenRunResult> {
    const folder = this.folderOf(key);
    const empty: TypegenRunResult = { ok: false, cancelled: true, timedOut: false, durationMs: 0, findings: [], changes: [], log: [] };
    if (!folder) return empty;
    const { ws, plan, problems } = await this.planFor(folder);
    if (!plan || problems.length) {
      // Configuration problems are already in the Problems panel, from the analysis.
      if (!plan) this.log(folder, 'not run: type generation is not configured');
      problems.forEach((p) => this.log(folder, `not run: ${p.file}:${p.range.start.line + 1}: ${p.message}`));
      return { ...empty, cancelled: false };
    }
    this.log(folder, describePlan(plan));
    let session = this.sessions.get(key);
    if (!session) this.sessions.set(key, (session = new TypegenSession()));
    return session.run({ ws, plan, triggers, signal, python: this.ctx.config.for(folder).typegenPython || undefined, onLog: (l) => this.log(folder, l) });
  }

  private onEvent(e: SchedulerEvent): void {
    const folder = this.folderOf(e.folder);
    if (!folder) return;
    switch (e.type) {
      case 'refused':
        return this.status.untrusted();
      case 'pending':
        return this.status.pending(e.triggers);
      case 'started':
        this.status.running(folder.name);
        return this.progressAfterDelay(folder);
      case 'finished': {
        const r = e.result;
        if (!r.cancelled) {
          this.publish(folder, r.findings);
          this.lastOk.set(e.folder, r.ok);
        }
        const breaks = r.findings.filter((f) => f.rule === 'typegen/contract-break').length;
        this.status.finished({ ...r, failures: r.findings.filter((f) => f.rule === 'typegen/failed').length, breaks }, folder.name);
        this.finishedListeners.forEach((l) => l({ folder: e.folder, result: r }));
      }
    }
  }

  /** A run that lasts longer than two seconds gets a notification with a Cancel button. */
  private progressAfterDelay(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const timer = setTimeout(() => {
      sub.dispose();
      if (this.scheduler.state(key) !== 'running') return;
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Generating API types (${folder.name})`, cancellable: true }, (_p, token) =>
        new Promise<void>((resolve) => {
          const done = this.onDidFinish((e) => {
            if (e.folder !== key || this.scheduler.state(key) === 'running') return;
            done.dispose();
            resolve();
          });
          token.onCancellationRequested(() => this.scheduler.cancel(key));
        }),
      );
    }, PROGRESS_AFTER_MS);
    const sub = this.onDidFinish((e) => {
      if (e.folder !== key) return;
      clearTimeout(timer);
      sub.dispose();
    });
  }

  private hasBreaks(folder: vscode.WorkspaceFolder): boolean {
    return (this.published.get(folder.uri.toString()) ?? []).some((u) => (this.collection.get(u) ?? []).some((d) => d.code === 'typegen/contract-break'));
  }

  /** Code that used changed types was edited: are its uses still broken? */
  private async recheck(folder: vscode.WorkspaceFolder, ws: Workspace, output: string, rel: string): Promise<void> {
    const key = folder.uri.toString();
    if (this.lastOk.get(key) !== true) return;
    await ws.update(rel);
    const r = await this.sessions.get(key)?.recheck(ws, output);
    if (!r) return;
    this.publish(folder, r.findings);
    this.log(folder, `after saving ${rel}: ${r.summary}`);
  }

  private publish(folder: vscode.WorkspaceFolder, findings: Finding[]): void {
    const key = folder.uri.toString();
    for (const uri of this.published.get(key) ?? []) this.collection.delete(uri);
    const byUri = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const f of findings) {
      const uri = toUri(folder, f.file);
      const d = new vscode.Diagnostic(toRange(f.range), f.message, toSeverity(f.severity));
      d.source = SOURCE;
      d.code = f.rule;
      if (f.related?.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(toUri(folder, r.file), toRange(r.range)), r.message));
      const g = byUri.get(uri.toString()) ?? { uri, list: [] };
      g.list.push(d);
      byUri.set(uri.toString(), g);
    }
    for (const g of byUri.values()) this.collection.set(g.uri, g.list);
    this.published.set(key, [...byUri.values()].map((g) => g.uri));
  }

  log(folder: vscode.WorkspaceFolder, line: string): void {
    const multi = this.ctx.host.folders().length > 1;
    this.channel.appendLine(`[${stamp()}]${multi ? ` [${folder.name}]` : ''} ${line}`);
  }

  dispose(): void {
    this.scheduler.dispose();
    this.finishedListeners.clear();
    this.collection.dispose();
    this.channel.dispose();
    this.status.dispose();
  }
}
