import fs = require('node:fs');
import path = require('node:path');
import type { Workspace } from '../workspace/workspace';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

export interface ScriptLocation {
  /** Workspace-relative path of the package.json. */
  packageJson: string;
  /** Its folder, workspace-relative ('' for the root). */
  dir: string;
  /** The script's command line, as written (never executed through a shell by codenav). */
  text: string;
}

export const DEFAULT_SCRIPT = 'generate:types';

function dirOf(rel: string): string {
  const d = path.posix.dirname(rel);
  return d === '.' ? '' : d;
}

export function joinRel(dir: string, rel: string): string {
  return path.posix.normalize(dir ? `${dir}/${rel}` : rel).replace(/^\.\//, '');
}

function readJson(ws: Workspace, rel: string): Record<string, unknown> | undefined {
  const text = ws.text(rel);
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every package.json of the workspace that defines `script`, the shallowest first. */
export function findScripts(ws: Workspace, script: string): ScriptLocation[] {
  const out: ScriptLocation[] = [];
  // By name, not through a glob: this runs on every analysis, and matching a glob against each of 10,000 paths took 5 ms.
  for (const f of ws.files) {
    if (f.path !== 'package.json' && !f.path.endsWith('/package.json')) continue;
    if (!ws.grep(f.path, /"scripts"\s*:/)) continue;
    const scripts = readJson(ws, f.path)?.scripts;
    if (!scripts || typeof scripts !== 'object') continue;
    const text = (scripts as Record<string, unknown>)[script];
    if (typeof text === 'string') out.push({ packageJson: f.path, dir: dirOf(f.path), text });
  }
  return out.sort((a, b) => a.packageJson.split('/').length - b.packageJson.split('/').length || a.packageJson.localeCompare(b.packageJson));
}

const LOCKFILES: [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * The package manager of a package: its `packageManager` field, else the first
 * lockfile found from its folder up to the workspace root, else npm.
 */
export function packageManagerFor(ws: Workspace, packageJson: string): PackageManager {
  const field = readJson(ws, packageJson)?.packageManager;
  if (typeof field === 'string') {
    const name = field.split('@')[0];
    if (name === 'pnpm' || name === 'yarn' || name === 'npm') return name;
  }
  let dir = dirOf(packageJson);
  for (;;) {
    for (const [file, pm] of LOCKFILES) if (fs.existsSync(ws.abs(joinRel(dir, file)))) return pm;
    if (!dir) return 'npm';
    dir = dirOf(dir);
  }
}

/** The argv that runs a package.json script through its package manager. */
export function scriptArgv(pm: PackageManager, script: string): string[] {
  return [pm, 'run', script];
}

/**
 * Splits a package.json script into words the way a POSIX shell would for
 * simple commands (quotes, backslashes), stopping at the first operator.
 * Only used to read the generator's input and output; nothing is executed from it.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else if (c === '&' || c === '|' || c === ';') {
      break;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

export interface GeneratorArgs {
  /** The document the generator reads: a path (relative to the command's folder) or a URL. */
  input?: string;
  /** The file it writes, relative to the command's folder. */
  output?: string;
}

const OUTPUT_FLAGS = ['-o', '--output'];

/** Reads `openapi-typescript <input> -o <output>` (also through npx/pnpm dlx) from a command's words. */
export function generatorArgs(words: string[]): GeneratorArgs {
  const at = words.findIndex((w) => /(^|[/\\])openapi-typescript(\.cmd|\.js)?$/.test(w));
  const rest = at >= 0 ? words.slice(at + 1) : words.slice(1);
  const out: GeneratorArgs = {};
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    const eq = OUTPUT_FLAGS.find((f) => w.startsWith(f + '='));
    if (eq) out.output = w.slice(eq.length + 1);
    else if (OUTPUT_FLAGS.includes(w)) out.output = rest[++i];
    else if (w.startsWith('-')) continue;
    else if (at >= 0 && out.input === undefined) out.input = w;
  }
  return out;
}

/**
 * Where the Python package of `module` lives: the folder that holds
 * `a/b/c.py` (or `a/b/c/__init__.py`) for `a.b.c`. Configured source roots win.
 */
export function pythonSourceRoot(ws: Workspace, module: string, sourceRoots: string[] = []): string | undefined {
  const rel = module.split('.').join('/');
  const candidates = [`${rel}.py`, `${rel}/__init__.py`];
  for (const root of sourceRoots) {
    const r = root.replace(/\/+$/, '').replace(/^\.\/?/, '');
    if (candidates.some((c) => ws.has(joinRel(r, c)))) return r;
  }
  const hits: string[] = [];
  for (const f of ws.files) {
    if (f.language !== 'python') continue;
    const c = candidates.find((x) => f.path === x || f.path.endsWith('/' + x));
    if (c) hits.push(f.path.slice(0, f.path.length - c.length).replace(/\/$/, ''));
  }
  return hits.sort((a, b) => a.length - b.length)[0];
}
