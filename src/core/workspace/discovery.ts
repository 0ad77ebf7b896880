import fs = require('node:fs');
import path = require('node:path');
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { childProcess } from '../vendor';
import { inGitWorkTree } from './gitWorkTree';

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
  /** Only files this takes are listed (and stat'ed): a command that reads a few kinds of file skips the rest. */
  only?: (rel: string) => boolean;
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

/** Files stat-ed between two turns of the event loop. */
const STAT_BATCH = 500;

/** Resolves on the event loop's next turn: long synchronous listing and stat loops let other work run between batches. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Matches a root-relative path that is not already normal (`.`/`..` segments, `//`, a leading or trailing `/`, a backslash). */
const NOT_NORMAL = /(?:^|\/)\.\.?(?:\/|$)|\/\/|^\/|\/$|\\/;

/** The absolute path of a root-relative `/`-separated path; a normal one (every discovered path) is joined without re-normalising. */
export function underRoot(root: string, rel: string): string {
  if (!rel || NOT_NORMAL.test(rel)) return path.join(root, ...rel.split('/'));
  const tail = path.sep === '/' ? rel : rel.split('/').join(path.sep);
  return root.endsWith(path.sep) ? root + tail : root + path.sep + tail;
}

export function languageOf(file: string): Language {
  if (file.endsWith('.py')) return 'python';
  const ext = path.extname(file).toLowerCase();
  if (ext === '.py' || ext === '.pyi') return 'python';
  if (/^\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(ext) && !file.endsWith('.d.ts')) return 'typescript';
  return 'other';
}

export async function discover(root: string, options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const listed = (!options.noGit && inGitWorkTree(root) && (await gitList(root))) || undefined;
  const method = listed ? 'git' : 'walk';
  const candidates = listed ?? (await walk(root));
  const excluded = excluder(options.exclude ?? []);
  const maxBytes = (options.maxFileSizeKb ?? DEFAULT_MAX_FILE_KB) * 1024;
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];
  // Synchronous stats in batches: far cheaper than one promise per file, and the event loop still turns between batches.
  for (let from = 0; from < candidates.length; from += STAT_BATCH) {
    if (from > 0) await nextTurn();
    for (const rel of candidates.slice(from, from + STAT_BATCH)) {
      if (excluded(rel) || (options.only && !options.only(rel))) continue;
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(underRoot(root, rel)); // follows a file symlink; directories are never walked through links
      } catch (err) {
        skipped.push({ path: rel, reason: `unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        continue;
      }
      if (!st.isFile()) continue;
      if (st.size > maxBytes) {
        skipped.push({ path: rel, reason: `larger than ${Math.round(maxBytes / 1024)} KB (${Math.round(st.size / 1024)} KB)` });
        continue;
      }
      files.push({ path: rel, size: st.size, mtimeMs: st.mtimeMs, language: languageOf(rel) });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { files, skipped, method };
}

/** Folder names of the default excludes, each written as a glob for any path below that folder. */
const EXCLUDED_FOLDERS = new Set(DEFAULT_EXCLUDES.map((g) => g.slice(3, -3)));

/**
 * Whether a path is excluded: by a folder of the defaults (a set lookup per
 * folder, the common case), else by the configured globs.
 */
export function excluder(globs: string[]): (rel: string) => boolean {
  const configured = globs.length ? picomatch(globs, { dot: true }) : undefined;
  return (rel) => {
    // Any segment counts, the last one too: the globs also match the folder's own path.
    for (let from = 0; from <= rel.length; ) {
      let slash = rel.indexOf('/', from);
      if (slash < 0) slash = rel.length;
      if (EXCLUDED_FOLDERS.has(rel.slice(from, slash))) return true;
      from = slash + 1;
    }
    return configured ? configured(rel) : false;
  };
}

/** `git ls-files -co --exclude-standard` below root; undefined when root is not inside a work tree. */
function gitList(root: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    childProcess().execFile(
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

/**
 * A walk without git, folder by folder. Symbolic links are listed, never
 * followed: a link to a file counts (its stat follows it), a link to a folder
 * is dropped later, so a link loop cannot trap the walk. Folders of the default
 * excludes and folders a .gitignore ignores are not entered (git cannot
 * re-include a file below an ignored folder either); each .gitignore applies
 * below its own folder. Folders are listed synchronously, as files are
 * stat-ed: the event loop turns after every `STAT_BATCH` entries, and a run that
 * lists a few folders starts no thread for the file system.
 */
async function walk(root: string): Promise<string[]> {
  const found: string[] = [];
  const rules = new Map<string, Ignore>();
  const pending = ['.'];
  for (let listed = 0; pending.length; ) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir === '.' ? root : path.join(root, dir), { withFileTypes: true });
    } catch {
      continue; // unreadable or vanished folder: nothing to list
    }
    listed += entries.length;
    if (listed >= STAT_BATCH) {
      listed = 0;
      await nextTurn();
    }
    const ignoreFile = entries.find((e) => e.name === '.gitignore' && !e.isDirectory());
    if (ignoreFile) {
      try {
        rules.set(dir, ignore().add(fs.readFileSync(path.join(root, dir, '.gitignore'), 'utf8')));
      } catch {
        /* unreadable .gitignore: nothing to honour */
      }
    }
    for (const e of entries) {
      const rel = dir === '.' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!EXCLUDED_FOLDERS.has(e.name) && !(rules.size && isIgnored(rel, rules, true))) pending.push(rel);
      } else if ((e.isFile() || e.isSymbolicLink()) && !(rules.size && isIgnored(rel, rules, false))) found.push(rel);
    }
  }
  return found;
}

/** Whether a .gitignore of the path's folder or of a folder above ignores it (its folders are already known not to be). */
function isIgnored(rel: string, rules: Map<string, Ignore>, isDir: boolean): boolean {
  for (let dir = path.posix.dirname(rel); ; ) {
    const ig = rules.get(dir);
    if (ig) {
      const sub = dir === '.' ? rel : rel.slice(dir.length + 1);
      if (ig.ignores(isDir ? sub + '/' : sub)) return true;
    }
    if (dir === '.') return false;
    dir = path.posix.dirname(dir);
  }
}
