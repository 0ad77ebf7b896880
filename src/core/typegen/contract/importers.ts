import path = require('node:path');
import type { Workspace } from '../../workspace/workspace';

const EXT = /\.(d\.)?([cm]?[jt]sx?)$/;
const stripExt = (p: string) => p.replace(EXT, '');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Does the module specifier `spec`, written in `from`, name one of the
 * modules in `targets` (workspace-relative paths without extension)?
 * Relative specifiers are resolved; others (`@/types/api`, `~/types/api`,
 * `@acme/web/types/api`) match when their trailing segments (two at least)
 * end a target's path, which covers the usual path aliases without reading
 * every tsconfig.
 */
export function resolvesTo(from: string, spec: string, targets: ReadonlySet<string>): string | undefined {
  if (spec.startsWith('.')) {
    const base = stripExt(path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)));
    return [base, `${base}/index`].find((c) => targets.has(c));
  }
  const segs = stripExt(spec).split('/');
  for (let k = 0; segs.length - k >= 2; k++) {
    const rest = segs.slice(k).join('/');
    for (const t of targets) if (t === rest || t.endsWith('/' + rest)) return t;
  }
  return undefined;
}

/**
 * The TypeScript files that import the generated module, and (for `depth` 2)
 * the files that import those: wrappers such as `lib/api.ts` that re-export
 * the generated types. Uses only the cheap per-file import facts.
 */
export async function importersOf(ws: Workspace, generated: string, depth = 2, limit = 400): Promise<string[]> {
  const found = new Set<string>();
  let targets = new Set([stripExt(generated)]);
  for (let level = 0; level < depth && targets.size && found.size < limit; level++) {
    const stems = [...targets].map((t) => escape(path.posix.basename(t)));
    const pre = new RegExp(`['"][^'"\\n]*(${stems.join('|')})(\\.[cm]?[jt]sx?)?['"]`);
    const next = new Set<string>();
    for (const f of ws.files) {
      if (f.language !== 'typescript' || f.path === generated || found.has(f.path)) continue;
      if (!ws.grep(f.path, pre)) continue;
      const facts = await ws.typescript(f.path);
      if (!facts) continue;
      const specs = [...facts.imports.map((i) => i.from), ...facts.exports.flatMap((e) => (e.from ? [e.from] : []))];
      if (specs.some((s) => resolvesTo(f.path, s, targets))) {
        found.add(f.path);
        next.add(stripExt(f.path));
        if (found.size >= limit) break;
      }
    }
    targets = next;
  }
  return [...found].sort();
}
