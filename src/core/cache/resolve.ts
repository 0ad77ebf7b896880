import path = require('node:path');
import type { Expr } from '../parsing/expr';
import type { Facts } from '../parsing/facts';
import { loadTs } from '../parsing/typescript';
import type { Workspace } from '../workspace/workspace';
import { pythonBindings } from './python';
import type { FileScan, HelperTemplates } from './scan';
import { tsBindings } from './typescript';
import { evaluateArithmetic, placeholders, type Sym, type TtlSym } from './values';

type Value = string | number;

/** What one file offers to others: its constants and where its imported names come from. */
interface ConstTable {
  values: Map<string, Expr>;
  /** Local name → { module as written, imported name (undefined: the module itself) }. */
  imports: Map<string, { module: string; name?: string }>;
  /** TypeScript `export … from` re-exports: exported name (`*` for all) → module. */
  reexports: { name: string; local?: string; from: string }[];
}

/** What resolving one file's names looked at, so its result can be reused until one of these changes. */
export interface ResolveDeps {
  /** Files whose content was read. */
  files: Set<string>;
  /** Module paths were resolved against the file list. */
  fileSet: boolean;
  /** A workspace-wide search ran (enums or helpers by name): valid for this workspace generation only. */
  global: boolean;
}

const MAX_DEPTH = 6;
const TS_EXTENSIONS = ['', '.ts', '.tsx', '.d.ts', '.js', '.jsx', '/index.ts', '/index.tsx', '/index.js'];

function tableOf(facts: Facts): ConstTable {
  const t: ConstTable = { values: new Map(), imports: new Map(), reexports: [] };
  if (facts.language === 'python') {
    for (const a of facts.assignments) if (a.targets.length === 1 && a.value) t.values.set(a.targets[0], a.value);
    for (const c of facts.classes) for (const a of c.assignments) if (a.targets.length === 1 && a.value) t.values.set(`${c.name}.${a.targets[0]}`, a.value);
    t.imports = pythonBindings(facts.imports);
    return t;
  }
  for (const e of facts.enums) {
    for (const m of e.members) {
      if (m.value !== undefined)
        t.values.set(`${e.name}.${m.name}`, typeof m.value === 'string' ? { kind: 'str', value: m.value, range: m.range } : { kind: 'num', value: m.value, text: String(m.value), range: m.range });
    }
  }
  for (const v of facts.variables) {
    if (!v.init || v.kind !== 'const') continue;
    t.values.set(v.name, v.init);
    if (v.init.kind === 'dict') for (const en of v.init.entries) if (en.key.kind === 'str') t.values.set(`${v.name}.${en.key.value}`, en.value);
  }
  t.imports = tsBindings(facts.imports);
  for (const ex of facts.exports) if (ex.from) t.reexports.push({ name: ex.name, local: ex.local, from: ex.from });
  return t;
}

/**
 * Resolves names in cache keys, patterns and TTLs: constants of the same file,
 * class constants, imported constants (Python modules, TypeScript relative and
 * `tsconfig` path imports, re-exports), enum members with literal values, and a
 * workspace-wide enum of that name when the import cannot be followed.
 */
export class Resolver {
  private readonly tables = new Map<string, Promise<ConstTable | undefined>>();
  private readonly modules = new Map<string, string | undefined>();
  private enumIndex?: Map<string, string[]>;
  /** Absolute Python modules by path suffix: `a/b.py` and `a/b/__init__.py` → the first file in workspace order. */
  private pyIndex?: Map<string, number>;
  private deps?: ResolveDeps;

  constructor(
    private readonly ws: Workspace,
    private readonly scanOf: (file: string) => Promise<FileScan | undefined>,
  ) {}

  /** Records what the following lookups depend on, until called again. */
  track(deps: ResolveDeps | undefined): void {
    this.deps = deps;
  }

  private uses(file: string): void {
    this.deps?.files.add(file);
  }

  private usesFileSet(): void {
    if (this.deps) this.deps.fileSet = true;
  }

  private usesWorkspace(): void {
    if (this.deps) this.deps.global = true;
  }

  private table(file: string): Promise<ConstTable | undefined> {
    this.uses(file);
    let t = this.tables.get(file);
    if (!t) {
      t = this.ws.facts(file).then((f) => (f ? tableOf(f) : undefined));
      this.tables.set(file, t);
    }
    return t;
  }

  async lookup(file: string, name: string, depth = 0): Promise<Value | undefined> {
    if (depth > MAX_DEPTH) return undefined;
    const t = await this.table(file);
    if (!t) return undefined;
    const own = t.values.get(name);
    if (own) return this.valueOf(file, own, depth + 1);
    const [root, ...rest] = name.split('.');
    const target = await this.follow(file, root, t, depth);
    if (target) return this.lookup(target.file, [...target.prefix, ...rest].join('.'), depth + 1);
    if (this.ws.file(file)?.language === 'typescript' && rest.length && /^[A-Z]/.test(root)) {
      const homes = (await this.enums()).get(root) ?? [];
      if (homes.length === 1 && homes[0] !== file) return this.lookup(homes[0], name, depth + 1);
    }
    return undefined;
  }

  /** Where an imported root name lives: the file, and the name path inside it. */
  private async follow(file: string, root: string, t: ConstTable, depth: number): Promise<{ file: string; prefix: string[] } | undefined> {
    const imp = t.imports.get(root);
    if (imp) {
      const lang = this.ws.file(file)?.language;
      if (lang === 'python') {
        if (imp.name !== undefined) {
          const sub = this.pythonModule(file, `${imp.module}${imp.module.endsWith('.') ? '' : '.'}${imp.name}`);
          if (sub) return { file: sub, prefix: [] };
        }
        const m = this.pythonModule(file, imp.module);
        return m ? { file: m, prefix: imp.name !== undefined ? [imp.name] : [] } : undefined;
      }
      const m = await this.tsModule(file, imp.module);
      if (!m) return undefined;
      return { file: m, prefix: imp.name !== undefined && imp.name !== 'default' ? [imp.name] : [] };
    }
    for (const re of t.reexports) {
      if (depth > MAX_DEPTH) break;
      if (re.name !== root && re.name !== '*') continue;
      const m = await this.tsModule(file, re.from);
      if (m) return { file: m, prefix: [re.name === '*' ? root : (re.local ?? root)] };
    }
    return undefined;
  }

  private async valueOf(file: string, e: Expr, depth: number): Promise<Value | undefined> {
    switch (e.kind) {
      case 'str':
        return e.template ? (await this.fill(file, e.value, depth)) : e.value;
      case 'num':
        return e.value;
      case 'ref':
        return this.lookup(file, e.path, depth);
      case 'other':
        return this.arithmetic(file, e.text, depth);
      default:
        return undefined;
    }
  }

  private async arithmetic(file: string, text: string, depth: number): Promise<number | undefined> {
    const names = text.match(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g) ?? [];
    const values = new Map<string, number>();
    for (const n of new Set(names)) {
      const v = await this.lookup(file, n, depth + 1);
      if (typeof v === 'number') values.set(n, v);
    }
    return evaluateArithmetic(text, (n) => values.get(n));
  }

  /** Replaces `{Name.PATH}` placeholders that name constants by their values. */
  private async fill(file: string, text: string, depth: number): Promise<string> {
    let out = text;
    for (const p of new Set(placeholders(text))) {
      if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(p)) continue;
      const v = await this.lookup(file, p, depth + 1);
      if (v !== undefined) out = out.split(`{${p}}`).join(String(v));
    }
    return out;
  }

  /** The text of a symbolic string; undefined when it is not static. */
  async text(file: string, s: Sym | undefined): Promise<string | undefined> {
    if (!s) return undefined;
    if (s.kind === 'text') return s.expr ? this.fill(file, s.text, 0) : s.text;
    if (s.kind === 'ref') {
      const v = await this.lookup(file, s.path);
      return v === undefined ? undefined : String(v);
    }
    return undefined;
  }

  /** Seconds, `null` for an explicit "no TTL", or the expression text when it is not static. */
  async ttl(file: string, t: TtlSym | undefined): Promise<{ seconds: number | null; text?: string }> {
    if (!t || t.kind === 'none') return { seconds: null };
    if (t.kind === 'seconds') return { seconds: t.value };
    const v = await this.arithmetic(file, t.text, 0);
    return v === undefined ? { seconds: null, text: t.text } : { seconds: v * t.scale };
  }

  /** The helper a call names (`invalidateByTag` imported from `@/lib/cache/invalidation`), with its key templates. */
  async helper(file: string, callee: string): Promise<HelperTemplates | undefined> {
    const parts = callee.split('.');
    this.uses(file);
    const own = await this.scanOf(file);
    if (parts.length === 1 && own?.helpers[callee]) return own.helpers[callee];
    const t = await this.table(file);
    if (!t) return undefined;
    const target = await this.follow(file, parts[0], t, 0);
    if (target) {
      this.uses(target.file);
      return (await this.scanOf(target.file))?.helpers[[...target.prefix, ...parts.slice(1)].join('.')];
    }
    // The import could not be followed: a function of that name defined in exactly one file.
    const name = parts[parts.length - 1];
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
    this.usesWorkspace();
    const decl = new RegExp(`(function|def)\\s+${name}\\b`);
    const homes = this.ws.files.filter((f) => f.language === this.ws.file(file)?.language && this.ws.grep(f.path, decl));
    return homes.length === 1 ? (await this.scanOf(homes[0].path))?.helpers[name] : undefined;
  }

  private pythonModule(from: string, module: string): string | undefined {
    this.usesFileSet();
    const key = `${from}\0${module}`;
    if (this.modules.has(key)) return this.modules.get(key);
    const level = /^\.*/.exec(module)![0].length;
    const rel = module.slice(level).split('.').filter(Boolean).join('/');
    let found: string | undefined;
    if (level > 0) {
      let dir = path.posix.dirname(from);
      for (let i = 1; i < level; i++) dir = path.posix.dirname(dir);
      const base = dir === '.' ? rel : rel ? `${dir}/${rel}` : dir;
      found = [`${base}.py`, `${base}/__init__.py`].find((c) => this.ws.has(c));
    } else if (rel) {
      const index = this.pythonIndex();
      const at = Math.min(index.get(`${rel}.py`) ?? Infinity, index.get(`${rel}/__init__.py`) ?? Infinity);
      found = at === Infinity ? undefined : this.ws.files[at].path;
    }
    this.modules.set(key, found);
    return found;
  }

  /** Every path suffix that starts after a `/` (or at the start), with the first file that ends so. */
  private pythonIndex(): Map<string, number> {
    if (this.pyIndex) return this.pyIndex;
    const index = new Map<string, number>();
    this.ws.files.forEach((f, i) => {
      for (let at = 0; at >= 0; at = f.path.indexOf('/', at) + 1 || -1) {
        const suffix = f.path.slice(at);
        if (!index.has(suffix)) index.set(suffix, i);
      }
    });
    this.pyIndex = index;
    return index;
  }

  private async tsModule(from: string, spec: string): Promise<string | undefined> {
    this.usesFileSet();
    const key = `${from}\0${spec}`;
    if (this.modules.has(key)) return this.modules.get(key);
    let bases: string[] = [];
    if (spec.startsWith('.')) bases = [path.posix.join(path.posix.dirname(from), spec)];
    else bases = this.pathAliases(from, spec);
    const found = bases.flatMap((b) => TS_EXTENSIONS.map((ext) => b + ext)).find((c) => this.ws.has(c) && this.ws.file(c)?.language === 'typescript');
    this.modules.set(key, found);
    return found;
  }

  /** `compilerOptions.paths` of the nearest tsconfig.json: `@/*` → `./src/*`. */
  private pathAliases(from: string, spec: string): string[] {
    let dir = path.posix.dirname(from);
    for (;;) {
      const cfg = dir === '.' ? 'tsconfig.json' : `${dir}/tsconfig.json`;
      if (this.ws.has(cfg)) this.uses(cfg);
      const text = this.ws.has(cfg) ? this.ws.text(cfg) : undefined;
      if (text !== undefined) {
        const parsed = loadTs().parseConfigFileTextToJson(cfg, text).config as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
        const opts = parsed?.compilerOptions ?? {};
        const base = path.posix.normalize(path.posix.join(dir, opts.baseUrl ?? '.'));
        const out: string[] = [];
        for (const [pattern, targets] of Object.entries(opts.paths ?? {})) {
          const star = pattern.indexOf('*');
          const matched = star < 0 ? (spec === pattern ? '' : undefined) : spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)) ? spec.slice(star, spec.length - (pattern.length - star - 1)) : undefined;
          if (matched === undefined) continue;
          for (const target of targets) out.push(path.posix.normalize(path.posix.join(base, target.replace('*', matched))).replace(/^\.\//, ''));
        }
        return out;
      }
      if (dir === '.' || dir === '') return [];
      dir = path.posix.dirname(dir);
    }
  }

  /** Enum name → files declaring it (found with a text pre-filter, then parsed). */
  private async enums(): Promise<Map<string, string[]>> {
    this.usesWorkspace();
    if (this.enumIndex) return this.enumIndex;
    const index = new Map<string, string[]>();
    for (const f of this.ws.files) {
      if (f.language !== 'typescript' || !this.ws.grep(f.path, /\benum\s+[A-Z]/)) continue;
      const facts = await this.ws.typescript(f.path);
      for (const e of facts?.enums ?? []) index.set(e.name, [...(index.get(e.name) ?? []), f.path]);
    }
    this.enumIndex = index;
    return index;
  }
}
