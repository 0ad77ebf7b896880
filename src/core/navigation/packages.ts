import type { Workspace } from '../workspace/workspace';
import type { NavigationMemo } from './memo';
import { basename, dirname, isUnder, type PyModuleIndex } from './pyModules';
import { projectDir } from './tsResolve';
import type { NavLanguage, PackageEntry } from './types';

/**
 * Which package each indexed module belongs to. Configured `services.packages`
 * (folders or dotted names) come first; other Python modules are grouped by
 * the folders directly below their application root (the folder of the
 * FastAPI app, else the common folder of the indexed modules of that source
 * root); TypeScript modules by the first folder below their project's `src/`.
 */
export interface PackageInput {
  ws: Workspace;
  index: PyModuleIndex;
  memo: NavigationMemo;
  configured: readonly string[];
  /** Indexed module files. */
  files: readonly string[];
  /** Files that define a FastAPI app. */
  appFiles: readonly string[];
}

export interface PackagePlan {
  /** module file → package dir. */
  packageOf: Map<string, string>;
  packages: Omit<PackageEntry, 'modules' | 'services' | 'routes' | 'routePrefix'>[];
}

const MAX_FILES = 400;

function commonDir(files: readonly string[]): string {
  if (files.length === 0) return '';
  let parts = dirname(files[0]).split('/');
  for (const f of files.slice(1)) {
    const other = dirname(f).split('/');
    let i = 0;
    while (i < parts.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/');
}

/** The folder directly below `root` that holds `file`, or `root` for files directly in it. */
function firstBelow(root: string, file: string): string {
  const rest = root ? file.slice(root.length + 1) : file;
  const slash = rest.indexOf('/');
  return slash < 0 ? root : root ? `${root}/${rest.slice(0, slash)}` : rest.slice(0, slash);
}

/** The plan of the previous run while the indexed files, the apps, the configured packages and the file index are the same. */
export function planPackages(input: PackageInput): PackagePlan {
  const key = [input.files.join('\n'), input.appFiles.join('\n'), input.configured.join('\n')].join('\0');
  const prev = input.memo.packagePlan;
  if (prev && prev.key === key && prev.index === input.index) return prev.value;
  const value = computePlan(input);
  input.memo.packagePlan = { key, index: input.index, value };
  return value;
}

function computePlan(input: PackageInput): PackagePlan {
  const { ws, index } = input;
  const configuredDirs = input.configured
    .map((c) => {
      const p = c.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
      if (p.includes('/') || ws.files.some((f) => f.path.startsWith(p + '/'))) return p;
      const t = index.resolveAbsolute('__codenav__.py', p);
      return t?.kind === 'package' ? t.dir : undefined;
    })
    .filter((d): d is string => d !== undefined)
    .sort((a, b) => b.length - a.length);
  const packageOf = new Map<string, string>();
  const rest: string[] = [];
  for (const f of input.files) {
    const hit = configuredDirs.find((d) => isUnder(f, d));
    if (hit !== undefined) packageOf.set(f, hit);
    else rest.push(f);
  }
  const groups = new Map<string, string[]>();
  const bases = new Map<string, string>();
  for (const f of rest) {
    let key: string | undefined;
    if (f.endsWith('.py')) key = `py:${index.sourceRoot(f)}`;
    else {
      const dir = dirname(f);
      key = bases.get(dir);
      if (key === undefined) bases.set(dir, (key = `ts:${tsBase(ws, f)}`));
    }
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  for (const [key, files] of groups) {
    const base = key.slice(3);
    let root: string;
    if (key.startsWith('ts:')) root = base;
    else {
      const apps = input.appFiles.filter((a) => isUnder(a, base));
      root = commonDir(apps.length ? apps : files);
      if (!isUnder(root, base)) root = base;
    }
    for (const f of files) packageOf.set(f, isUnder(f, root) ? firstBelow(root, f) : dirname(f));
  }
  const dirs = [...new Set(packageOf.values())].sort();
  const languageOf = new Map<string, NavLanguage>();
  for (const [f, d] of packageOf) if (f.endsWith('.py') || !languageOf.has(d)) languageOf.set(d, f.endsWith('.py') ? 'python' : 'typescript');
  const filesOf = packageFiles(ws, input.memo, dirs, languageOf);
  const packages = dirs.map((dir) => {
    const language = languageOf.get(dir) ?? 'python';
    const all = filesOf.get(dir) ?? [];
    return {
      name: language === 'python' ? index.packageName(dir) : dir,
      label: basename(dir) || '(root)',
      dir,
      language,
      configured: configuredDirs.includes(dir),
      files: all.slice(0, MAX_FILES),
      filesTruncated: all.length > MAX_FILES,
    };
  });
  return { packageOf, packages };
}

/** Source files below each package folder; kept while the file list and the packages are the same. */
function packageFiles(ws: Workspace, memo: NavigationMemo, dirs: string[], languageOf: Map<string, NavLanguage>): Map<string, string[]> {
  const key = dirs.map((d) => `${d}:${languageOf.get(d)}`).join('\n');
  const prev = memo.packageFiles;
  if (prev && prev.dirs === key && prev.paths.length === ws.files.length && prev.paths.every((p, i) => p === ws.files[i].path)) {
    return prev.value;
  }
  const filesOf = new Map<string, string[]>(dirs.map((d) => [d, []]));
  for (const f of ws.files) {
    for (let d = dirname(f.path); ; d = dirname(d)) {
      const list = filesOf.get(d);
      if (list && languageOf.get(d) === f.language) list.push(d ? f.path.slice(d.length + 1) : f.path);
      if (!d) break;
    }
  }
  memo.packageFiles = { paths: ws.files.map((f) => f.path), dirs: key, value: filesOf };
  return filesOf;
}

/** `<project>/src` when the file is in it, else the project folder. */
function tsBase(ws: Workspace, file: string): string {
  const project = projectDir(ws, file);
  const src = project ? `${project}/src` : 'src';
  return isUnder(file, src) ? src : project;
}
