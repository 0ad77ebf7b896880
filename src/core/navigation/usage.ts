import type { Finding, Fix, Range } from '../findings';
import type { PyImport, TsImport } from '../parsing/facts';
import type { Workspace } from '../workspace/workspace';
import type { Deprecated, DeprecationIndex } from './deprecations';
import { escapeRegExp as escape, removalNote, usageSeverity } from './deprecationText';
import { definedNames, ownPublicNames } from './pySummary';
import { basename, dirname, PyModuleIndex, type PyTarget } from './pyModules';
import type { NavigationMemo } from './scan';
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

export async function usageFindings(ctx: UsageContext): Promise<Finding[]> {
  const { deprecations } = ctx;
  const words = new Set<string>();
  for (const d of deprecations.modules.values()) words.add(stemOf(d.file));
  for (const m of deprecations.symbols.values()) for (const name of m.keys()) if (!name.includes('.')) words.add(name);
  if (words.size === 0) return [];
  const pre = new RegExp(`\\b(?:${[...words].sort().map(escape).join('|')})\\b`);
  const signatureText = JSON.stringify([
    [...deprecations.modules.values()],
    [...deprecations.symbols.values()].map((m) => [...m.values()]),
    ctx.now.toISOString().slice(0, 10),
    ctx.index.fileCount,
    ctx.typescript.length,
    [...deprecations.modules.values()].map((d) => (d.replacementFile ? ctx.ws.hash(d.replacementFile) : '')),
  ]);
  // Files remember the version of the deprecation set they were checked against, not the text.
  const memo = ctx.memo;
  if (memo.usageSignature !== signatureText) {
    memo.usageSignature = signatureText;
    memo.usageVersion++;
  }
  const signature = memo.usageVersion;
  const out: Finding[] = [];
  const check = new FileChecker(ctx);
  for (const file of [...ctx.python, ...ctx.typescript]) {
    if (ctx.signal?.aborted) break;
    const hash = ctx.ws.hash(file);
    if (!hash) continue;
    const prev = memo.usage.get(file);
    if (prev && prev.hash === hash && prev.signature === signature) {
      out.push(...prev.findings);
      continue;
    }
    const findings = pre.test(ctx.ws.text(file) ?? '') ? (file.endsWith('.py') ? await check.python(file) : await check.typescript(file)) : [];
    ctx.memo.usage.set(file, { hash, signature, findings });
    out.push(...findings);
  }
  return out;
}

class FileChecker {
  constructor(private readonly ctx: UsageContext) {}

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
    const facts = await this.ctx.ws.python(file);
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
      const local = tf ? await this.ctx.ws.python(tf) : undefined;
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
    if (own || depth >= 3 || !new RegExp(`\\b${escape(name)}\\b`).test(this.ctx.ws.text(file) ?? '')) return own;
    const facts = await this.ctx.ws.python(file);
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
    const facts = await this.ctx.ws.python(d.replacementFile);
    const target = this.ctx.index.at(d.replacementFile.replace(/(\/__init__)?\.py$/, ''));
    return facts && target ? { defined: definedNames(facts), target } : undefined;
  }

  /** `from old import a, b` → `from new import a, b` (and `import old as x` → `import new as x`) when new has the names. */
  private async pyModuleFix(file: string, imp: PyImport, d: Deprecated, names: string[] | undefined): Promise<Fix | undefined> {
    const r = await this.replacementNames(d);
    if (!r) return undefined;
    let needed = names;
    if (!needed) {
      const oldFacts = await this.ctx.ws.python(d.file);
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
    const oldFacts = await this.ctx.ws.python(d.file);
    if (!oldFacts || !ownPublicNames(oldFacts).every((x) => r.defined.includes(x))) return undefined;
    const newName = basename(PyModuleIndex.pathOf(r.target));
    return { title: `Import ${newName} instead`, preferred: true, edits: [{ file, range: n.range, newText: `${newName} as ${n.alias ?? n.name}` }] };
  }

  async typescript(file: string): Promise<Finding[]> {
    const facts = await this.ctx.ws.typescript(file);
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
    const facts = await this.ctx.ws.typescript(file);
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
    const facts = await this.ctx.ws.typescript(repl);
    const exported = new Set(facts?.exports.map((e) => e.name) ?? []);
    const needed = [...imp.named.map((n) => n.name), ...(imp.default ? ['default'] : [])];
    if (!facts || !needed.every((n) => exported.has(n))) return undefined;
    const stem = (p: string) => p.replace(/\.(d\.)?[mc]?[jt]sx?$/, '');
    const spec =
      !imp.from.startsWith('.') && dirname(repl) === dirname(target) && imp.from.includes('/')
        ? imp.from.slice(0, imp.from.lastIndexOf('/') + 1) + basename(stem(repl))
        : relativeSpecifier(dirname(file), stem(repl));
    const line = this.ctx.ws.text(file)?.split('\n')[imp.specifierRange.start.line] ?? '';
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
