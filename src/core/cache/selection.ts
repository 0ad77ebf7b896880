import type { DiscoveredFile } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';

/** A test on one file: a boolean when it is known, a promise when it needs a parse. */
export type FileTest = (f: DiscoveredFile) => boolean | Promise<boolean>;

/** Paths of the files that pass a test, in workspace order, by testing every file. */
export async function selectAll(ws: Workspace, test: FileTest, signal: () => void): Promise<readonly string[]> {
  const out: string[] = [];
  for (const f of ws.files) {
    signal();
    let ok = test(f);
    if (ok !== true && ok !== false) ok = await ok;
    if (ok) out.push(f.path);
  }
  return out;
}

/**
 * The same selection with some paths tested again (the file list itself being
 * unchanged): the same array when nothing moved in or out.
 */
export async function reselect(ws: Workspace, list: readonly string[], paths: Iterable<string>, position: (path: string) => number, test: FileTest, signal: () => void): Promise<readonly string[]> {
  let out: string[] | undefined;
  for (const path of paths) {
    signal();
    const f = ws.file(path);
    let ok = f ? test(f) : false;
    if (ok !== true && ok !== false) ok = await ok;
    const cur = out ?? list;
    const at = lowerBound(cur, position(path), position);
    if (ok === (cur[at] === path)) continue;
    out ??= list.slice();
    if (ok) out.splice(at, 0, path);
    else out.splice(at, 1);
  }
  return out ?? list;
}

/** Whether a path is in a selection. */
export function selected(list: readonly string[], path: string, position: (path: string) => number): boolean {
  return list[lowerBound(list, position(path), position)] === path;
}

function lowerBound(list: readonly string[], at: number, position: (path: string) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (position(list[mid]) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
