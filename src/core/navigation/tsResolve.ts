import { loadTs } from '../parsing/typescript';
import type { Workspace } from '../workspace/workspace';
import { basename, dirname, join } from './pyModules';
import type { NavigationMemo } from './memo';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface TsConfigPaths {
  baseDir: string;
  paths: [pattern: string, targets: string[]][];
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/**
 * Resolves TypeScript import specifiers to workspace files: relative paths and
 * `compilerOptions.paths` / `baseUrl` of the nearest tsconfig.json or jsconfig.json.
 * Package imports (node_modules) resolve to nothing.
 */
export class TsResolver {
  private readonly configs = new Map<string, TsConfigPaths | null>();

  constructor(private readonly ws: Workspace) {}

  resolve(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.')) return this.file(normalize(join(dirname(fromFile), specifier)));
    const cfg = this.configFor(dirname(fromFile));
    if (!cfg) return undefined;
    for (const [pattern, targets] of cfg.paths) {
      const star = pattern.indexOf('*');
      let rest: string | undefined;
      if (star < 0) rest = pattern === specifier ? '' : undefined;
      else if (specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)))
        rest = specifier.slice(star, specifier.length - (pattern.length - star - 1));
      if (rest === undefined) continue;
      for (const t of targets) {
        const hit = this.file(normalize(join(cfg.baseDir, t.replace('*', rest))));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  private file(base: string): string | undefined {
    if (this.ws.has(base) && EXTENSIONS.some((e) => base.endsWith(e))) return base;
    const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
    for (const e of EXTENSIONS) if (this.ws.has(stem + e)) return stem + e;
    for (const e of EXTENSIONS) if (this.ws.has(`${base}/index${e}`)) return `${base}/index${e}`;
    return undefined;
  }

  /** The nearest tsconfig/jsconfig with `paths` or `baseUrl`, walking up from `dir`. */
  private configFor(dir: string): TsConfigPaths | null {
    const memo = this.configs.get(dir);
    if (memo !== undefined) return memo;
    let found: TsConfigPaths | null = null;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = join(dir, name);
      if (!this.ws.has(file)) continue;
      found = this.read(file, dir);
      if (found) break;
    }
    if (!found && dir) found = this.configFor(dirname(dir));
    this.configs.set(dir, found);
    return found;
  }

  private read(file: string, dir: string): TsConfigPaths | null {
    const text = this.ws.text(file);
    if (!text) return null;
    const parsed = loadTs().parseConfigFileTextToJson(file, text);
    const options = (parsed.config as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined)?.compilerOptions;
    if (!options || (!options.paths && !options.baseUrl)) return null;
    const baseDir = normalize(join(dir, options.baseUrl ?? '.'));
    const paths = Object.entries(options.paths ?? {}).filter((e): e is [string, string[]] => Array.isArray(e[1]));
    if (options.baseUrl) paths.push(['*', ['*']]);
    return { baseDir, paths };
  }
}

/** The folder of the nearest package.json above a file (the project), or ''. */
export function projectDir(ws: Workspace, file: string): string {
  for (let d = dirname(file); ; d = dirname(d)) {
    if (ws.has(join(d, 'package.json'))) return d;
    if (!d) return '';
  }
}

/** The resolver of the previous run while no tsconfig.json / jsconfig.json changed (the list of them is kept per file set version). */
export function resolverFor(ws: Workspace, memo: NavigationMemo, fileSet: number): TsResolver {
  let configs = memo.tsConfigs;
  if (configs?.fileSet !== fileSet) {
    const paths = ws.files.filter((f) => f.path.endsWith('config.json') && /^(ts|js)config\.json$/.test(basename(f.path))).map((f) => f.path);
    memo.tsConfigs = configs = { fileSet, paths };
  }
  const signature = configs.paths.map((p) => `${p}:${ws.hash(p)}`).join('\n');
  if (memo.resolver?.signature !== signature) memo.resolver = { signature, value: new TsResolver(ws) };
  return memo.resolver.value;
}
