/**
 * Python module names and import resolution over the workspace's files.
 *
 * A module's display name comes from its source root: a configured
 * `sourceRoots` entry, else the folder above its outermost `__init__.py`
 * package, widened to the nearest `src/` folder or project folder
 * (pyproject.toml, setup.py, setup.cfg) so namespace packages keep their names.
 * Imports are resolved by the dotted path itself, preferring the importer's own
 * source root, so monorepos with two apps named alike resolve each to its own.
 */

/** A module file or a package folder (`init` is absent for namespace packages). */
export type PyTarget = { kind: 'module'; file: string } | { kind: 'package'; dir: string; init?: string };

const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg'];

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function join(dir: string, rest: string): string {
  return dir ? (rest ? `${dir}/${rest}` : dir) : rest;
}

export function isUnder(file: string, dir: string): boolean {
  return dir === '' || file === dir || file.startsWith(dir + '/');
}

function normalizeDir(d: string): string {
  return d.replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/\/+$/, '');
}

export class PyModuleIndex {
  private readonly files: Set<string>;
  /** Folders holding Python files at any depth below them. */
  private readonly dirs = new Set<string>();
  private readonly inits = new Set<string>();
  private readonly markers = new Set<string>();
  /** Last path segment (module stem or folder name) → module paths without `.py`. */
  private readonly byTail = new Map<string, string[]>();
  private readonly rootMemo = new Map<string, string>();
  private readonly nameMemo = new Map<string, string>();
  private readonly resolveMemo = new Map<string, PyTarget | undefined>();
  private readonly configured: string[];

  constructor(allFiles: readonly string[], configuredRoots: readonly string[] = []) {
    this.configured = configuredRoots.map(normalizeDir).sort((a, b) => b.length - a.length);
    this.files = new Set();
    for (const f of allFiles) {
      if (f.endsWith('.py')) {
        this.files.add(f);
        if (f.endsWith('/__init__.py') || f === '__init__.py') this.inits.add(dirname(f));
        const stem = f.slice(0, -3);
        if (!stem.endsWith('__init__')) this.addTail(stem);
        for (let d = dirname(f); d && !this.dirs.has(d); d = dirname(d)) {
          this.dirs.add(d);
          this.addTail(d);
        }
      } else if (PROJECT_MARKERS.includes(basename(f))) this.markers.add(dirname(f));
    }
  }

  private addTail(p: string): void {
    const tail = basename(p);
    const list = this.byTail.get(tail);
    if (list) list.push(p);
    else this.byTail.set(tail, [p]);
  }

  hasFile(file: string): boolean {
    return this.files.has(file);
  }

  get fileCount(): number {
    return this.files.size;
  }

  /** The folder module names of `file` are relative to. */
  sourceRoot(file: string): string {
    const dir = dirname(file);
    const memo = this.rootMemo.get(dir);
    if (memo !== undefined) return memo;
    let root: string | undefined = this.configured.find((r) => isUnder(file, r));
    if (root === undefined) {
      let top = dir;
      while (top && this.inits.has(top)) top = dirname(top);
      root = top;
      for (let d = top; ; d = dirname(d)) {
        if (d === '' || basename(d) === 'src' || this.markers.has(d)) {
          root = d;
          break;
        }
      }
    }
    this.rootMemo.set(dir, root);
    return root;
  }

  /** Dotted module name; a package's `__init__.py` is named after its folder. */
  moduleName(file: string): string {
    let name = this.nameMemo.get(file);
    if (name === undefined) {
      name = this.computeName(file);
      this.nameMemo.set(file, name);
    }
    return name;
  }

  private computeName(file: string): string {
    const root = this.sourceRoot(file);
    let rel = root ? file.slice(root.length + 1) : file;
    rel = rel.replace(/\.pyi?$/, '');
    if (rel === '__init__') return basename(root) || '__init__';
    rel = rel.replace(/\/__init__$/, '');
    return rel.split('/').join('.');
  }

  /** Dotted name of a package folder. */
  packageName(dir: string): string {
    const init = join(dir, '__init__.py');
    if (this.files.has(init)) return this.moduleName(init);
    const root = this.sourceRoot(join(dir, 'x.py'));
    return (root ? dir.slice(root.length + 1) : dir).split('/').join('.');
  }

  /** The module or package at a path without extension. */
  at(p: string): PyTarget | undefined {
    if (this.files.has(p + '.py')) return { kind: 'module', file: p + '.py' };
    if (this.dirs.has(p)) {
      const init = join(p, '__init__.py');
      return { kind: 'package', dir: p, ...(this.files.has(init) ? { init } : {}) };
    }
    return undefined;
  }

  /** The file that runs when the target is imported (a package's `__init__.py`), if any. */
  static fileOf(t: PyTarget): string | undefined {
    return t.kind === 'module' ? t.file : t.init;
  }

  static pathOf(t: PyTarget): string {
    return t.kind === 'module' ? t.file.slice(0, -3) : t.dir;
  }

  /** `import a.b.c` seen from `fromFile`. */
  resolveAbsolute(fromFile: string, dotted: string): PyTarget | undefined {
    const key = `${dirname(fromFile)}\0${dotted}`;
    if (this.resolveMemo.has(key)) return this.resolveMemo.get(key);
    const t = this.computeAbsolute(fromFile, dotted);
    this.resolveMemo.set(key, t);
    return t;
  }

  private computeAbsolute(fromFile: string, dotted: string): PyTarget | undefined {
    if (!dotted) return undefined;
    const rel = dotted.split('.').join('/');
    const tail = basename(rel);
    const candidates = (this.byTail.get(tail) ?? []).filter((p) => p === rel || p.endsWith('/' + rel));
    if (candidates.length === 0) return undefined;
    const own = this.sourceRoot(fromFile);
    const score = (p: string): number[] => {
      const root = p === rel ? '' : p.slice(0, p.length - rel.length - 1);
      return [
        root === own ? 0 : 1,
        this.configured.includes(root) ? 0 : 1,
        isUnder(fromFile, root) ? -root.length : 1,
        root.split('/').length,
        root.length,
      ];
    };
    const best = candidates
      .map((p) => ({ p, s: score(p) }))
      .sort((a, b) => {
        for (let i = 0; i < a.s.length; i++) if (a.s[i] !== b.s[i]) return a.s[i] - b.s[i];
        return a.p < b.p ? -1 : 1;
      })[0];
    return this.at(best.p);
  }

  /** `from ..x import y` seen from `fromFile`: the module `..x` (level 2, module `x`). */
  resolveRelative(fromFile: string, level: number, dotted: string): PyTarget | undefined {
    let base = dirname(fromFile);
    for (let i = 1; i < level; i++) {
      if (!base) return undefined;
      base = dirname(base);
    }
    if (!dotted) return this.at(base) ?? (base === '' ? undefined : { kind: 'package', dir: base });
    return this.at(join(base, dotted.split('.').join('/')));
  }

  resolveImport(fromFile: string, level: number, dotted: string): PyTarget | undefined {
    return level > 0 ? this.resolveRelative(fromFile, level, dotted) : this.resolveAbsolute(fromFile, dotted);
  }

  /** A submodule or subpackage of a package. */
  child(t: PyTarget, name: string): PyTarget | undefined {
    return t.kind === 'package' ? this.at(join(t.dir, name)) : undefined;
  }

  /**
   * The module text for an import of `target` written in `fromFile`, keeping
   * the relative style when the original import was relative.
   */
  importText(fromFile: string, target: PyTarget, relative: boolean): string {
    const path = PyModuleIndex.pathOf(target);
    if (relative && this.sourceRoot(fromFile) === this.sourceRoot(join(path, 'x.py'))) {
      let base = dirname(fromFile);
      let level = 1;
      while (!isUnder(path, base) && base) {
        base = dirname(base);
        level++;
      }
      if (isUnder(path, base)) {
        const rest = path === base ? '' : (base ? path.slice(base.length + 1) : path).split('/').join('.');
        return '.'.repeat(level) + rest;
      }
    }
    return this.moduleName(PyModuleIndex.fileOf(target) ?? join(path, '__init__.py'));
  }
}

/** The index of the previous run while the file set (`fileSet`, a version number) and the configured roots are the same. */
export function pyIndexFor(files: readonly { path: string }[], fileSet: number, roots: readonly string[], memo: { pyIndex?: { fileSet: number; roots: string; value: PyModuleIndex } }): PyModuleIndex {
  const key = roots.join('\n');
  const prev = memo.pyIndex;
  if (prev && prev.roots === key && prev.fileSet === fileSet) return prev.value;
  const value = new PyModuleIndex(files.map((f) => f.path), roots);
  memo.pyIndex = { fileSet, roots: key, value };
  return value;
}
