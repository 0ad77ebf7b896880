import fs = require('node:fs');
import path = require('node:path');

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `node_modules/.bin` folders from `cwd` up to `root` (inclusive), nearest first. */
export function binDirs(cwd: string, root: string): string[] {
  const out: string[] = [];
  let dir = path.resolve(cwd);
  const top = path.resolve(root);
  for (;;) {
    const bin = path.join(dir, 'node_modules', '.bin');
    if (fs.existsSync(bin)) out.push(bin);
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) break;
    dir = path.dirname(dir);
  }
  return out;
}

/**
 * Finds the program of an argv: a path (relative to `cwd`) as is, else a name in
 * the given folders then on PATH (with PATHEXT on Windows). Undefined when absent.
 */
export function which(name: string, cwd: string, extraDirs: string[] = [], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exts = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').map((e) => e.toLowerCase())] : [''];
  if (name.includes('/') || (process.platform === 'win32' && name.includes('\\'))) {
    const abs = path.resolve(cwd, name);
    return exts.map((e) => abs + e).find(isExecutable);
  }
  const dirs = [...extraDirs, ...(env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const hit = exts.map((e) => path.join(dir, name + e)).find(isExecutable);
    if (hit) return hit;
  }
  return undefined;
}
