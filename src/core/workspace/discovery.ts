import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export type Language = 'python' | 'typescript' | 'other';

export interface DiscoveredFile {
  /** Root-relative, `/`-separated. */
  path: string;
  size: number;
  mtimeMs: number;
  language: Language;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface DiscoveryOptions {
  exclude?: string[];
  maxFileSizeKb?: number;
  /** Force the non-git walk (tests). */
  noGit?: boolean;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  skipped: SkippedFile[];
  method: 'git' | 'walk';
}

/** Folders that are never source, whatever .gitignore says. */
export const DEFAULT_EXCLUDES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/__pycache__/**',
  '**/.venv/**',
  '**/venv/**',
  '**/.tox/**',
  '**/.mypy_cache/**',
  '**/.pytest_cache/**',
  '**/.next/**',
  '**/.vscode-test/**',
];

export const DEFAULT_MAX_FILE_KB = 1024;

export function languageOf(file: string): Language {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.py' || ext === '.pyi') return 'python';
  if (/^\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(ext) && !file.endsWith('.d.ts')) return 'typescript';
  return 'other';
}

export async function discover(root: string, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const listed = (!options.noGit && (await gitList(root))) || undefined;
  const method = listed ? 'git' : 'walk';
  const candidates = listed ?? (await walk(root));
  const excluded = picomatch([...DEFAULT_EXCLUDES, ...(options.exclude ?? [])], { dot: true });
  const maxBytes = (options.maxFileSizeKb ?? DEFAULT_MAX_FILE_KB) * 1024;
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];
  await forEachLimit(candidates, 64, async (rel) => {
    if (excluded(rel)) return;
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(path.join(root, rel)); // follows a file symlink; directories are never walked through links
    } catch (err) {
      skipped.push({ path: rel, reason: `unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    if (!st.isFile()) return;
    if (st.size > maxBytes) {
      skipped.push({ path: rel, reason: `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(st.size / 1024)} KB)` });
      return;
    }
    files.push({ path: rel, size: st.size, mtimeMs: st.mtimeMs, language: languageOf(rel) });
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { files, skipped, method };
}

/** `git ls-files -co --exclude-standard` below root; undefined when root is not inside a work tree. */
function gitList(root: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'],
      { cwd: root, maxBuffer: 256 * 1024 * 1024, timeout: 30_000, windowsHide: true },
      (err, stdout) => {
        if (err) return resolve(undefined);
        const seen = new Set<string>();
        for (const p of stdout.split('\0')) if (p) seen.add(p);
        resolve([...seen]);
      },
    );
  });
}

/** A walk without git: fast-glob without following symlinks, honouring nested .gitignore files. */
async function walk(root: string): Promise<string[]> {
  // Symbolic links are listed (not followed) so that a link to a file counts; a link to a folder is dropped later.
  const entries = (
    await fg('**/*', {
      cwd: root,
      dot: true,
      onlyFiles: false,
      markDirectories: true,
      followSymbolicLinks: false,
      suppressErrors: true,
      ignore: DEFAULT_EXCLUDES,
    })
  ).filter((e) => !e.endsWith('/'));
  const ignoreFiles = entries.filter((e) => e === '.gitignore' || e.endsWith('/.gitignore'));
  const rules = new Map<string, Ignore>();
  for (const f of ignoreFiles) {
    try {
      rules.set(path.posix.dirname(f), ignore().add(fs.readFileSync(path.join(root, f), 'utf8')));
    } catch {
      /* unreadable .gitignore: nothing to honour */
    }
  }
  if (rules.size === 0) return entries;
  return entries.filter((rel) => !isIgnored(rel, rules));
}

function isIgnored(rel: string, rules: Map<string, Ignore>): boolean {
  // Each .gitignore applies to paths below its folder, relative to that folder.
  let dir = path.posix.dirname(rel);
  for (;;) {
    const ig = rules.get(dir);
    if (ig) {
      const sub = dir === '.' ? rel : rel.slice(dir.length + 1);
      if (ig.ignores(sub)) return true;
      // A parent folder of the file may be ignored as a directory pattern (`build/`).
      const parts = sub.split('/');
      for (let i = 1; i < parts.length; i++) if (ig.ignores(parts.slice(0, i).join('/') + '/')) return true;
    }
    if (dir === '.') return false;
    const up = path.posix.dirname(dir);
    dir = up === dir ? '.' : up;
  }
}

export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
