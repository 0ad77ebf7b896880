import type { Range } from '../findings';
import type { PyImport } from '../parsing/facts';
import type { Workspace } from '../workspace/workspace';
import { dirOf, joinRel } from './alembic/envSpec';
import type { OutlineCache } from './pyreader/outlines';
import { evaluate, lastAssignment, resolveExternal, type ExternalLookup, type Value } from './values';

/**
 * Resolves dotted names of a module through its imports to simple constants
 * in other workspace modules (`branch_labels = (cli.EXPAND_BRANCH,)`), the
 * way Python would find them on `roots` (sys.path entries, root-relative).
 * Files consulted are added to `used`, so callers can memoise on their hashes.
 */
export function moduleLookup(ws: Workspace, outlines: OutlineCache, roots: readonly string[], fromFile: string, used: Set<string>, depth = 0): ExternalLookup {
  return async (ref: string, imports: readonly PyImport[], range: Range): Promise<Value | undefined> => {
    if (depth > 4) return undefined;
    const [head, ...rest] = ref.split('.');
    const binding = bind(imports, head);
    if (!binding) return undefined;
    let module = binding.module;
    const level = binding.level;
    let names = binding.attr ? [binding.attr, ...rest] : rest;
    // Descend through submodules as long as files exist for them.
    while (names.length && moduleFile(ws, roots, fromFile, `${module ? module + '.' : ''}${names[0]}`, level)) {
      module = `${module ? module + '.' : ''}${names[0]}`;
      names = names.slice(1);
    }
    if (names.length !== 1) return undefined;
    const file = moduleFile(ws, roots, fromFile, module, level);
    if (!file) return undefined;
    used.add(file);
    const outline = await outlines.of(ws, file).catch(() => undefined);
    if (!outline) return undefined;
    const inner = moduleLookup(ws, outlines, roots, file, used, depth + 1);
    const a = lastAssignment(outline.assignments, names[0]);
    if (a?.value) return evaluate(a.value, outline, await resolveExternal([a.value], outline, inner));
    // A re-export: `from .x import NAME` in that module.
    if (bind(outline.imports, names[0])) return inner(names[0], outline.imports, range);
    return undefined;
  };
}

/** What a name is bound to by the module's imports (the last binding wins). */
function bind(imports: readonly PyImport[], name: string): { module: string; level: number; attr?: string } | undefined {
  for (let i = imports.length - 1; i >= 0; i--) {
    const im = imports[i];
    if (im.kind === 'import') {
      if (im.alias === name) return { module: im.module, level: 0 };
      if (!im.alias && im.module.split('.')[0] === name) return { module: name, level: 0 };
      continue;
    }
    for (const n of im.names) {
      if ((n.alias ?? n.name) === name && n.name !== '*') return { module: im.module, level: im.level, attr: n.name };
    }
  }
  return undefined;
}

/** The file of a module: `a/b.py` or `a/b/__init__.py` below one of the roots (or relative to `fromFile`). */
export function moduleFile(ws: Workspace, roots: readonly string[], fromFile: string, module: string, level: number): string | undefined {
  const sub = module ? module.split('.').join('/') : '';
  let bases: string[];
  if (level > 0) {
    let dir = dirOf(fromFile);
    for (let i = 1; i < level; i++) dir = dirOf(dir);
    bases = [dir];
  } else bases = [...roots];
  for (const b of bases) {
    const stem = sub ? joinRel(b, sub) : b;
    for (const candidate of [`${stem}.py`, joinRel(stem, '__init__.py')]) if (ws.has(candidate)) return candidate;
  }
  return undefined;
}
