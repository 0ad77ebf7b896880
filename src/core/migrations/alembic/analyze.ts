import type { Finding, Severity } from '../../findings';
import { FILE_START, pointRange } from '../../findings';
import type { Workspace } from '../../workspace/workspace';
import { moduleLookup } from '../lookup';
import { readOutline, type ModuleOutline } from '../pyreader/outline';
import type { OutlineCache } from '../pyreader/outlines';
import { applySuppressions, readSuppressions } from '../suppressions';
import type { EnvironmentSummary, RevisionNode } from '../summary';
import { dirOf, isInDir, type AlembicEnvSpec } from './envSpec';
import { buildGraph, type RevisionGraph } from './graph';
import { downgradeFindings, fileProblemFindings, headFindings, headStatus, integrityFindings } from './graphRules';
import { namingFindings } from './namingRules';
import { needsLookup, resolveFields, toRevision, type Revision, type Unresolved } from './revision';
import { FIELD_MENTION, plainFields, readRevisionSource, type RevisionSource } from './revisionFile';

export interface AlembicOptions {
  missingDowngrade: Severity | 'off';
  createDateMismatch: Severity | 'off';
  configFile?: string;
  sourceRoots: string[];
}

export interface AlembicEnvResult {
  spec: AlembicEnvSpec;
  summary: EnvironmentSummary;
  findings: Finding[];
  revisions: Revision[];
  graph: RevisionGraph;
}

interface Memo {
  key: string;
  deps: { file: string; stamp: number | undefined }[];
  result: AlembicEnvResult;
}

/** Files Alembic would load from the environment's version folders. */
export function revisionFiles(ws: Workspace, spec: AlembicEnvSpec): string[] {
  return ws.files
    .filter((f) => f.path.endsWith('.py') && spec.versions.some((v) => isInDir(f.path, v, spec.recursive)))
    .map((f) => f.path)
    .filter((p) => {
      const base = p.slice(p.lastIndexOf('/') + 1);
      return !base.startsWith('__init__') && !base.startsWith('.#') && !p.includes('/__pycache__/');
    });
}

/**
 * Analyses Alembic environments. Each file is read once per content, each
 * environment is recomputed only when one of its files (or a module its
 * constants come from) changed.
 */
export class AlembicAnalysis {
  /** Each file's last revision source, with the stamp of the content it was read from. */
  private readonly sources = new Map<string, { stamp: number; src: RevisionSource }>();
  private readonly plain = new WeakMap<RevisionSource, { rev?: Revision; unresolved: Unresolved[] }>();
  private readonly memo = new Map<string, Memo>();

  constructor(private readonly outlines: OutlineCache) {}

  async analyze(ws: Workspace, spec: AlembicEnvSpec, opts: AlembicOptions): Promise<AlembicEnvResult> {
    const files = revisionFiles(ws, spec);
    const key = JSON.stringify([spec, opts]) + '\n' + files.map((f) => `${f}:${ws.stamp(f)}`).join('\n');
    const memoKey = spec.versions.join('\0');
    const hit = this.memo.get(memoKey);
    if (hit && hit.key === key && hit.deps.every((d) => ws.stamp(d.file) === d.stamp)) return hit.result;
    const used = new Set<string>();
    const result = await this.compute(ws, spec, opts, files, used);
    this.memo.set(memoKey, { key, deps: [...used].map((file) => ({ file, stamp: ws.stamp(file) })), result });
    return result;
  }

  /** A file's revision source through the full parser, for files `sourceNow` does not give. */
  private async parsedSource(ws: Workspace, file: string): Promise<RevisionSource | { file: string; error: string }> {
    const stamp = ws.stamp(file);
    if (stamp === undefined) return { file, error: ws.problems.get(file) ?? 'cannot read the file' };
    const outline = await this.outlines.of(ws, file).catch((err: Error) => err);
    if (!outline || outline instanceof Error) return { file, error: outline?.message ?? ws.problems.get(file) ?? 'cannot parse the file' };
    return this.keep(file, stamp, readRevisionSource(file, outline));
  }

  /** A file's revision source when it needs no waiting: memoised by content, or read by the fast reader; otherwise undefined. */
  private sourceNow(ws: Workspace, file: string): RevisionSource | undefined {
    const stamp = ws.stamp(file);
    if (stamp === undefined) return undefined;
    const hit = this.sources.get(file);
    if (hit?.stamp === stamp) return hit.src;
    const text = ws.text(file);
    if (text === undefined) return undefined;
    // Focused on the four fields; when they need more (a constant, say), `parsedSource` reads the whole module.
    let outline: ModuleOutline | undefined;
    try {
      outline = readOutline(text, FIELD_MENTION);
    } catch {
      return undefined; // `parsedSource` reads the file again and reports what went wrong
    }
    if (!outline) return undefined;
    const src = readRevisionSource(file, outline);
    return plainFields(src.fields) ? this.keep(file, stamp, src) : undefined;
  }

  private keep(file: string, stamp: number, src: RevisionSource): RevisionSource {
    this.sources.set(file, { stamp, src });
    if (this.sources.size > 50_000) this.sources.delete(this.sources.keys().next().value!);
    return src;
  }

  private async compute(ws: Workspace, spec: AlembicEnvSpec, opts: AlembicOptions, files: string[], used: Set<string>): Promise<AlembicEnvResult> {
    const findings: Finding[] = spec.problems.map((p) => ({ rule: 'migration/environment', severity: 'warning' as const, file: p.file, range: pointRange(p.line), message: p.message }));
    const sources: RevisionSource[] = [];
    for (const f of files) {
      // Most files are read without waiting; only those that need the full parser are awaited.
      const s = this.sourceNow(ws, f) ?? (await this.parsedSource(ws, f));
      if ('error' in s) findings.push({ rule: 'migration/unreadable', severity: 'error', file: f, range: FILE_START, message: `cannot read this revision file: ${s.error}` });
      else sources.push(s);
    }
    const roots = [...new Set([...spec.sysPath, ...(spec.scriptDir ? [spec.scriptDir] : []), ...(spec.configFile ? [dirOf(spec.configFile)] : []), ...opts.sourceRoots, '.', 'src'])];
    const unresolved: Unresolved[] = [];
    const revisions: Revision[] = [];
    for (const s of sources) {
      let r: { rev?: Revision; unresolved: Unresolved[] } | undefined = this.plain.get(s);
      if (!r) {
        const u: Unresolved[] = [];
        const lookup = needsLookup(s) ? await resolveFields(s, moduleLookup(ws, this.outlines, roots, s.file, used)) : undefined;
        r = { rev: toRevision(s, lookup, u), unresolved: u };
        if (!lookup) this.plain.set(s, r);
      }
      if (r.unresolved.length) unresolved.push(...r.unresolved);
      if (r.rev) revisions.push(r.rev);
    }
    const graph = buildGraph(revisions);
    const ids = new Set(graph.byId.keys());
    findings.push(
      ...fileProblemFindings(sources, unresolved),
      ...integrityFindings(spec, graph),
      ...headFindings(spec, graph, opts.configFile),
      ...namingFindings(spec, revisions, ids, { createDateSeverity: opts.createDateMismatch, exists: (rel) => ws.has(rel) }),
      ...downgradeFindings(revisions, opts.missingDowngrade),
    );
    const sup = sources.map((s) => readSuppressions(s.file, s.outline.comments));
    const kept = applySuppressions(findings, sup.flatMap((x) => x.suppressions));
    kept.push(...sup.flatMap((x) => x.findings));
    return { spec, summary: summarize(spec, graph), findings: kept, revisions, graph };
  }
}

export function summarize(spec: AlembicEnvSpec, g: RevisionGraph): EnvironmentSummary {
  const history: RevisionNode[] = [...g.byId.values()].map((r) => ({
    id: r.id,
    file: r.file,
    line: r.idRange.start.line + 1,
    message: r.source.doc.message,
    down: g.parents.get(r.id) ?? [],
    dependsOn: g.dependencies.get(r.id) ?? [],
    labels: r.labels.items.map((l) => l.id),
    carried: g.carried.get(r.id) ?? [],
  }));
  return {
    tool: 'alembic',
    name: spec.name,
    root: spec.versions[0],
    versions: spec.versions,
    config: spec.configFile ?? null,
    scriptDir: spec.scriptDir ?? null,
    revisions: g.byId.size,
    heads: g.heads,
    headsIntentional: headStatus(spec, g).intentional,
    bases: g.bases,
    merges: g.merges,
    branchPoints: g.branchPoints,
    branchLabels: Object.fromEntries([...g.labels].map(([l, r]) => [l, r.id])),
    fileTemplate: spec.template.text,
    history,
  };
}
