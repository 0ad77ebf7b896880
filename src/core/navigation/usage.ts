import type { Finding, Fix, Range } from '../findings';
import type { PyImport, TsImport } from '../parsing/facts';
import type { Workspace } from '../workspace/workspace';
import type { Deprecated, DeprecationIndex } from './deprecations';
import { escapeRegExp as escape, removalNote, usageSeverity } from './deprecationText';
import { definedNames, ownPublicNames } from './pySummary';
import { basename, dirname, PyModuleIndex, type PyTarget } from './pyModules';
import { keep, sameList, type NavigationMemo } from './memo';
import type { TsResolver } from './tsResolve';

/**
 * `deprecated/usage`: imports of deprecated modules and symbols in workspace
 * code (Python `import`, `from … import`, relative imports; TypeScript imports of
 * `@deprecated` exports), with a fix that rewrites the import to the
 * replacement module when the imported names exist there.
 */
export interface UsageContext {
  ws: Workspace;
  index: PyModuleIndex;
  resolver: TsResolver;
  deprecations: DeprecationIndex;
  now: Date;
  memo: NavigationMemo;
  python: readonly string[];
  typescript: readonly string[];
  /** Content hash of a file as the scan saw it. */
  hashOf(file: string): string | undefined;
  signal?: AbortSignal;
}

const RULE = 'deprecated/usage';


function short(text: string, max = 160): string {
  return text.length > max ? text.slice(0, max - 1).trimEnd() + '…' : text;
}

function describe(d: Deprecated, now: Date): string {
  const what = d.symbol ? `${d.symbol} (${d.module})` : d.module;
  const tail = d.replacement ? `use ${d.replacement} instead` : d.reason ? short(d.reason) : 'no replacement named';
  return `${what} is deprecated: ${tail}${removalNote(d.removeBy, now)}.`;
}

function stemOf(file: string): string {
  const b = basename(file).replace(/\.[^.]+$/, '');
  return b === '__init__' || b === 'index' ? basename(dirname(file)) : b;
}

/** The words a file must contain to be worth checking; kept per deprecation index. */
function prefilter(ctx: UsageContext): RegExp | undefined {
  const { deprecations } = ctx;
  const prev = ctx.memo.usagePrefilter;
  if (prev?.deprecations === deprecations) return prev.pre;
  const words = new Set<string>();
  for (const d of deprecations.modules.values()) words.add(stemOf(d.file));
  for (const m of deprecations.symbols.values()) for (const name of m.keys()) if (!name.includes('.')) words.add(name);
  const pre = words.size ? new RegExp(`\\b(?:${[...words].sort().map(escape).join('|')})\\b`) : undefined;
  ctx.memo.usagePrefilter = { deprecations, pre };
  return pre;
}

const NONE: Finding[] = [];

/** `NavigationMemo.usageVersion`, bumped whenever what every file's check depends on changes. */
function usageVersion(ctx: UsageContext): number {
  const memo = ctx.memo;
  const replacements = [...ctx.deprecations.modules.values()].map((d) => (d.replacementFile ? ctx.hashOf(d.replacementFile) : '')).join('\n');
  // The deprecation index is kept by content (deprecations.ts): the same object means the same records.
  const parts = [ctx.deprecations, ctx.now.toISOString().slice(0, 10), ctx.index, ctx.resolver, replacements];
  if (!sameList(memo.usageSignature, parts)) {
    memo.usageSignature = parts;
    memo.usageVersion++;
  }
  return memo.usageVersion;
}

/**
 * Findings of every file, checked again only when the file, a file its check
 * read, or the deprecation set changed. After a scan that touched a few files
 * only those and the files whose check read one are looked at, and the
 * previous array is handed back while no file's findings changed.
 */
export async function usageFindings(ctx: UsageContext): Promise<Finding[]> {
  const pre = prefilter(ctx);
  if (!pre) return NONE;
  const version = usageVersion(ctx);
  const memo = ctx.memo;
  const kept = memo.usageOut;
  const check = new FileChecker(ctx, pre, version);
  if (kept && kept.version === version && kept.python === ctx.python && kept.typescript === ctx.typescript && kept.scanRun >= memo.scanRun - 1) {
    if (kept.scanRun === memo.scanRun) return kept.value;
    const todo = new Set<string>();
    for (const f of memo.touched) for (const g of [f, ...(memo.usageDependents.get(f) ?? [])]) todo.add(g);
    let dirty = false;
    for (const f of todo) if (memo.files.has(f) && (await check.refresh(f))) dirty = true;
    if (ctx.signal?.aborted) return kept.value;
    kept.scanRun = memo.scanRun;
    if (!dirty) return kept.value;
  }
  const out: Finding[] = [];
  for (const list of [ctx.python, ctx.typescript]) {
    for (const file of list) {
      if (ctx.signal?.aborted) return out;
      if (!ctx.hashOf(file)) continue;
      await check.refresh(file);
      for (const f of memo.usage.get(file)?.findings ?? NONE) out.push(f);
    }
  }
  memo.usageOut = { python: ctx.python, typescript: ctx.typescript, version, scanRun: memo.scanRun, value: kept && sameList(kept.value, out) ? kept.value : out };
  return memo.usageOut.value;
}

/** Checks one file at a time, noting every other file it reads. */
class FileChecker {
  private readonly read = new Set<string>();

  constructor(
    private readonly ctx: UsageContext,
    private readonly pre: RegExp,
    private readonly version: number,
  ) {}

  /** Checks the file again unless its memo still holds; whether its findings changed. */
  async refresh(file: string): Promise<boolean> {
    const { memo, hashOf } = this.ctx;
    const hash = hashOf(file) ?? '';
    const prev = memo.usage.get(file);
    if (prev && prev.hash === hash && prev.signature === this.version && prev.deps.every(([f, h]) => (hashOf(f) ?? '') === h)) return false;
    this.read.clear();
    let findings = NONE;
    if (this.pre.test(this.ctx.ws.text(file) ?? '')) findings = file.endsWith('.py') ? await this.python(file) : await this.typescript(file);
    findings = keep(prev?.findings, findings);
    this.read.delete(file);
    const deps = [...this.read].map((f): [string, string] => [f, hashOf(f) ?? '']);
    for (const [f] of prev?.deps ?? []) memo.usageDependents.get(f)?.delete(file);
    for (const [f] of deps) {
      const set = memo.usageDependents.get(f);
      if (set) set.add(file);
      else memo.usageDependents.set(f, new Set([file]));
    }
    memo.usage.set(file, { hash, signature: this.version, deps, findings });
    return findings !== prev?.findings;
  }

  private py(file: string) {
    this.read.add(file);
    return this.ctx.ws.python(file);
  }

  private ts(file: string) {
    this.read.add(file);
    return this.ctx.ws.typescript(file);
  }

  private text(file: string): string {
    this.read.add(file);
    return this.ctx.ws.text(file) ?? '';
  }

  private finding(file: string, range: Range, d: Deprecated, fix?: Fix): Finding {
    return {
      rule: RULE,
      severity: usageSeverity(d.removeBy, this.ctx.now),
      file,
      range,
      message: describe(d, this.ctx.now),
      related: [{ file: d.file, range: { start: { line: d.line - 1, character: 0 }, end: { line: d.line - 1, character: 0 } }, message: d.reason ? `deprecated here: ${short(d.reason)}` : 'deprecated here' }],
      ...(fix ? { fixes: [fix] } : {}),
    };
  }

  private moduleOf(t: PyTarget | undefined): Deprecated | undefined {
    const f = t && PyModuleIndex.fileOf(t);
    return f ? this.ctx.deprecations.modules.get(f) : undefined;
  }

  async python(file: string): Promise<Finding[]> {
    const facts = await this.py(file);
    if (!facts) return [];
    const out: Finding[] = [];
    for (const imp of facts.imports) {
      if (imp.kind === 'import') {
        const parts = imp.module.split('.');
        for (let i = parts.length; i > 0; i--) {
          const d = this.moduleOf(this.ctx.index.resolveAbsolute(file, parts.slice(0, i).join('.')));
          if (!d || d.file === file) continue;
          out.push(this.finding(file, imp.moduleRange, d, i === parts.length && imp.alias ? await this.pyModuleFix(file, imp, d, undefined) : undefined));
          break;
        }
        continue;
      }
      const target = this.ctx.index.resolveImport(file, imp.level, imp.module);
      if (!target) continue;
      const d = this.moduleOf(target);
      if (d && d.file !== file) {
        const names = imp.names.map((n) => n.name);
        out.push(this.finding(file, imp.moduleRange, d, names.includes('*') ? undefined : await this.pyModuleFix(file, imp, d, names)));
        continue;
      }
      const tf = PyModuleIndex.fileOf(target);
      const local = tf ? await this.py(tf) : undefined;
      const defined = local ? definedNames(local) : [];
      for (const n of imp.names) {
        if (n.name === '*') continue;
        const child = defined.includes(n.name) ? undefined : this.ctx.index.child(target, n.name);
        const cd = this.moduleOf(child);
        if (cd && cd.file !== file) {
          out.push(this.finding(file, n.range, cd, await this.pyChildFix(file, n, cd)));
          continue;
        }
        const sd = tf ? await this.pySymbol(tf, n.name, 0) : undefined;
        if (sd && sd.file !== file) out.push(this.finding(file, n.range, sd));
      }
    }
    return out;
  }

  /** A deprecated symbol, following re-exports (`from .x import Name` in `__init__.py`). */
  private async pySymbol(file: string, name: string, depth: number): Promise<Deprecated | undefined> {
    const own = this.ctx.deprecations.symbols.get(file)?.get(name);
    if (own || depth >= 3 || !new RegExp(`\\b${escape(name)}\\b`).test(this.text(file))) return own;
    const facts = await this.py(file);
    for (const imp of facts?.imports ?? []) {
      if (imp.kind !== 'from') continue;
      const n = imp.names.find((x) => (x.alias ?? x.name) === name);
      const t = n && this.ctx.index.resolveImport(file, imp.level, imp.module);
      const f = t && PyModuleIndex.fileOf(t);
      if (f) return this.pySymbol(f, n.name, depth + 1);
    }
    return undefined;
  }

  private async replacementNames(d: Deprecated): Promise<{ defined: string[]; target: PyTarget } | undefined> {
    if (!d.replacementFile?.endsWith('.py') || d.replacementFile === d.file) return undefined;
    const facts = await this.py(d.replacementFile);
    const target = this.ctx.index.at(d.replacementFile.replace(/(\/__init__)?\.py$/, ''));
    return facts && target ? { defined: definedNames(facts), target } : undefined;
  }

  /** `from old import a, b` → `from new import a, b` (and `import old as x` → `import new as x`) when new has the names. */
  private async pyModuleFix(file: string, imp: PyImport, d: Deprecated, names: string[] | undefined): Promise<Fix | undefined> {
    const r = await this.replacementNames(d);
    if (!r) return undefined;
    let needed = names;
    if (!needed) {
      const oldFacts = await this.py(d.file);
      needed = oldFacts ? ownPublicNames(oldFacts) : undefined;
    }
    if (!needed || !needed.every((n) => r.defined.includes(n))) return undefined;
    const text = this.ctx.index.importText(file, r.target, imp.level > 0);
    return { title: `Import from ${d.replacement} instead`, preferred: true, edits: [{ file, range: imp.moduleRange, newText: text }] };
  }

  /** `from pkg import old` → `from pkg import new as old` when both live in `pkg` and new has old's public names. */
  private async pyChildFix(file: string, n: PyImport['names'][number], d: Deprecated): Promise<Fix | undefined> {
    const r = await this.replacementNames(d);
    if (!r || dirname(PyModuleIndex.pathOf(r.target)) !== dirname(d.file.replace(/(\/__init__)?\.py$/, ''))) return undefined;
    const oldFacts = await this.py(d.file);
    if (!oldFacts || !ownPublicNames(oldFacts).every((x) => r.defined.includes(x))) return undefined;
    const newName = basename(PyModuleIndex.pathOf(r.target));
    return { title: `Import ${newName} instead`, preferred: true, edits: [{ file, range: n.range, newText: `${newName} as ${n.alias ?? n.name}` }] };
  }

  async typescript(file: string): Promise<Finding[]> {
    const facts = await this.ts(file);
    if (!facts) return [];
    const out: Finding[] = [];
    for (const imp of facts.imports) {
      const target = this.ctx.resolver.resolve(file, imp.from);
      if (!target || target === file) continue;
      const d = this.ctx.deprecations.modules.get(target);
      if (d) {
        out.push(this.finding(file, imp.specifierRange, d, await this.tsModuleFix(file, imp, target, d)));
        continue;
      }
      for (const n of imp.named) {
        const sd = await this.tsSymbol(target, n.name, 0);
        if (sd) out.push(this.finding(file, n.range, sd));
      }
      if (imp.default) {
        const sd = await this.tsSymbol(target, 'default', 0);
        if (sd) out.push(this.finding(file, imp.range, sd));
      }
    }
    return out;
  }

  private async tsSymbol(file: string, name: string, depth: number): Promise<Deprecated | undefined> {
    const own = this.ctx.deprecations.symbols.get(file)?.get(name);
    if (own || depth >= 3) return own;
    const facts = await this.ts(file);
    for (const e of facts?.exports ?? []) {
      if (!e.from || (e.name !== name && e.name !== '*')) continue;
      const t = this.ctx.resolver.resolve(file, e.from);
      const hit = t && (await this.tsSymbol(t, e.name === '*' ? name : (e.local ?? name), depth + 1));
      if (hit) return hit;
    }
    return undefined;
  }

  private async tsModuleFix(file: string, imp: TsImport, target: string, d: Deprecated): Promise<Fix | undefined> {
    const repl = d.replacementFile;
    if (!repl || repl.endsWith('.py') || repl === target) return undefined;
    const facts = await this.ts(repl);
    const exported = new Set(facts?.exports.map((e) => e.name) ?? []);
    const needed = [...imp.named.map((n) => n.name), ...(imp.default ? ['default'] : [])];
    if (!facts || !needed.every((n) => exported.has(n))) return undefined;
    const stem = (p: string) => p.replace(/\.(d\.)?[mc]?[jt]sx?$/, '');
    const spec =
      !imp.from.startsWith('.') && dirname(repl) === dirname(target) && imp.from.includes('/')
        ? imp.from.slice(0, imp.from.lastIndexOf('/') + 1) + basename(stem(repl))
        : relativeSpecifier(dirname(file), stem(repl));
    const line = this.text(file).split('\n')[imp.specifierRange.start.line] ?? '';
    const quote = line[imp.specifierRange.start.character] === "'" ? "'" : '"';
    return { title: `Import from ${spec} instead`, preferred: true, edits: [{ file, range: imp.specifierRange, newText: `${quote}${spec}${quote}` }] };
  }
}

/** `./x` / `../a/x` from a folder to a path without extension. */
export function relativeSpecifier(fromDir: string, to: string): string {
  const a = fromDir ? fromDir.split('/') : [];
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  const ups = a.length - i;
  const rest = b.slice(i).join('/');
  return ups === 0 ? `./${rest}` : `${'../'.repeat(ups)}${rest}`;
}
