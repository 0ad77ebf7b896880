import vscode = require('vscode');
import type { Finding } from '../core/findings';
import type { Config } from './config';
import { SOURCE, toRange, toSeverity, toUri } from './convert';
import type { AnalysisEvent, AnalysisHost } from './host';

const OVERRIDE: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function keyOf(uri: vscode.Uri, rule: string, r: vscode.Range, message: string): string {
  return `${uri.toString()}|${rule}|${r.start.line}:${r.start.character}|${message}`;
}

/** Findings → Problems panel. One collection; each folder's files are replaced as a whole on each pass. */
export class DiagnosticsAdapter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('codenav');
  private readonly byFolder = new Map<string, vscode.Uri[]>();
  private readonly findings = new Map<string, { finding: Finding; folder: vscode.WorkspaceFolder }>();
  private readonly subscription: vscode.Disposable;

  constructor(
    host: AnalysisHost,
    private readonly config: Config,
  ) {
    this.subscription = host.onDidAnalyze((e) => this.update(e));
  }

  /** The finding behind a diagnostic that this adapter published (for quick fixes). */
  findingFor(uri: vscode.Uri, d: vscode.Diagnostic): { finding: Finding; folder: vscode.WorkspaceFolder } | undefined {
    const rule = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
    return this.findings.get(keyOf(uri, rule, d.range, d.message));
  }

  private update({ folder, state }: AnalysisEvent): void {
    const key = folder.uri.toString();
    for (const uri of this.byFolder.get(key) ?? []) this.collection.delete(uri);
    for (const k of [...this.findings.keys()]) if (k.startsWith(key)) this.findings.delete(k);
    const grouped = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    const severity = this.config.for(folder).deprecationsSeverity;
    for (const f of state.findings) {
      const uri = toUri(folder, f.file);
      const d = new vscode.Diagnostic(toRange(f.range), f.message, toSeverity(f.severity));
      d.source = SOURCE;
      d.code = f.rule;
      if (f.rule === 'deprecated/usage') {
        d.tags = [vscode.DiagnosticTag.Deprecated];
        if (severity !== 'auto') d.severity = OVERRIDE[severity];
      }
      if (f.related?.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(toUri(folder, r.file), toRange(r.range)), r.message));
      const g = grouped.get(uri.toString()) ?? { uri, list: [] };
      g.list.push(d);
      grouped.set(uri.toString(), g);
      this.findings.set(keyOf(uri, f.rule, d.range, f.message), { finding: f, folder });
    }
    for (const g of grouped.values()) this.collection.set(g.uri, g.list);
    this.byFolder.set(key, [...grouped.values()].map((g) => g.uri));
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
