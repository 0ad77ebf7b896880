import fs = require('node:fs');
import path = require('node:path');
import type { Finding } from '../findings';
import type { Facts, PyFacts, TsFacts } from '../parsing/facts';
import { extractPython } from '../parsing/python';
import { extractTypeScript } from '../parsing/typescript';
import { loadConfig, type CodenavConfig } from './config';
import { discover, languageOf, underRoot, type DiscoveredFile, type DiscoveryResult, type SkippedFile } from './discovery';
import { contentHash, FactCache } from './factCache';

export interface WorkspaceOptions {
  /** Config file path (relative to root or absolute); default `.codenav.yaml`. */
  configPath?: string;
  /** Shared between workspace folders so identical content is parsed once. */
  cache?: FactCache;
  noGit?: boolean;
  /** Only files this takes are in the workspace (see `DiscoveryOptions.only`). */
  only?: (rel: string) => boolean;
}

interface Version {
  /** See `Workspace.stamp`. */
  stamp: number;
  /** The content hash; for text kept in memory, worked out on first use. */
  hash?: string;
  text?: string;
  binary: boolean;
}

/** Texts up to this many characters are kept in memory; longer ones are read again when needed. */
const KEEP_TEXT = 64 * 1024;

/** Stamps are unique across every workspace of the process, so caches may share them. */
let lastStamp = 0;

/** What makes a file binary: a NUL in its first 8 KB. */
const BINARY_PROBE = 8192;

/** Read options as an object: given the string 'utf8', Node copies its defaults into a new object on every read. */
const UTF8 = { encoding: 'utf8', flag: 'r' } as const;

/**
 * Whether a file read as UTF-8 is binary: a NUL within its first 8 KB, counted in the file's bytes.
 * A character stands for at most 3 bytes of the file, and text before the NUL re-encodes to its
 * bytes unless invalid UTF-8 was replaced there (U+FFFD may stand for fewer bytes than it takes):
 * then the file's own bytes are read (the rare case of invalid UTF-8 and a NUL in one file).
 */
function looksBinary(text: string, file: string): boolean {
  const nul = text.indexOf('\0');
  if (nul < 0) return false;
  if (nul < BINARY_PROBE / 3) return true;
  const before = text.slice(0, nul);
  if (!before.includes('\uFFFD')) return Buffer.byteLength(before) < BINARY_PROBE;
  return fs.readFileSync(file).subarray(0, BINARY_PROBE).includes(0);
}

/** What `Workspace.update` found: the file changed, appeared, disappeared, or is none the workspace lists. */
export type UpdateKind = 'changed' | 'created' | 'deleted' | 'ignored';

/**
 * One analysed root: its config, its files, and their facts on demand. Plain
 * data only; the extension keeps one per workspace folder, the CLI one per run.
 */
export class Workspace {
  readonly cache: FactCache;
  config: CodenavConfig = {};
  configFile?: string;
  configFindings: Finding[] = [];
  files: DiscoveredFile[] = [];
  skipped: SkippedFile[] = [];
  discoveryMethod: DiscoveryResult['method'] = 'walk';
  /** Problems met while reading or parsing files (binary, parse budget …), by path. */
  readonly problems = new Map<string, string>();
  /** Bumped on every change, so analyzers can memoise per generation (see `changedSince`). */
  generation = 0;
  /** The generation of the last reload, of the last file created or deleted since, and of each file's last update. */
  private reloadedAt = 0;
  private listChangedAt = 0;
  private readonly updatedAt = new Map<string, number>();
  /** The read sets of the `recordReads` calls under way. */
  private readonly recorders = new Set<Set<string>>();

  private byPath = new Map<string, DiscoveredFile>();
  private versions = new Map<string, Version>();
  /** The last version of files changed since, kept until they are read again: unchanged content keeps its stamp. */
  private readonly before = new Map<string, Version>();
  /** Per file: pattern → hit, so dropping one file's memo on save costs nothing. */
  private readonly grepMemo = new Map<string, Map<string, boolean>>();

  private constructor(
    readonly root: string,
    private readonly options: WorkspaceOptions,
  ) {
    this.cache = options.cache ?? new FactCache();
  }

  static async open(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
    const ws = new Workspace(path.resolve(root), options);
    await ws.reload();
    return ws;
  }

  /** Re-reads the config and the file list. Facts stay cached by content. */
  async reload(): Promise<void> {
    const loaded = loadConfig(this.root, this.options.configPath);
    this.config = loaded.config;
    this.configFile = loaded.file;
    this.configFindings = loaded.findings;
    const found = await discover(this.root, { exclude: this.config.exclude, maxFileSizeKb: this.config.maxFileSizeKb, noGit: this.options.noGit, only: this.options.only });
    this.files = found.files;
    this.skipped = found.skipped;
    this.discoveryMethod = found.method;
    this.byPath = new Map(found.files.map((f) => [f.path, f]));
    for (const [rel, v] of this.versions) if (this.byPath.has(rel)) this.before.set(rel, v);
    for (const rel of this.before.keys()) if (!this.byPath.has(rel)) this.before.delete(rel);
    this.versions.clear();
    this.grepMemo.clear();
    this.problems.clear();
    this.generation++;
    this.reloadedAt = this.generation;
    this.updatedAt.clear();
  }

  /**
   * Runs `work` and returns the files whose content it asked for (text, stamp, hash,
   * grep, facts), readable or not. Reads by other work running meanwhile are included
   * too: the set may be larger than needed, never smaller.
   */
  async recordReads<T>(work: () => Promise<T>): Promise<{ result: T; reads: Set<string> }> {
    const reads = new Set<string>();
    this.recorders.add(reads);
    try {
      return { result: await work(), reads };
    } finally {
      this.recorders.delete(reads);
    }
  }

  /**
   * Whether work that started at `generation` and read `reads` (see `recordReads`)
   * may see something else now: the workspace was reloaded (config and file list),
   * a file was created or deleted, or one of `reads` changed.
   */
  changedSince(generation: number, reads: ReadonlySet<string>): boolean {
    if (this.reloadedAt > generation || this.listChangedAt > generation) return true;
    for (const [rel, at] of this.updatedAt) if (at > generation && reads.has(rel)) return true;
    return false;
  }

  rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  abs(rel: string): string {
    return underRoot(this.root, rel);
  }

  has(rel: string): boolean {
    return this.byPath.has(rel);
  }

  file(rel: string): DiscoveredFile | undefined {
    return this.byPath.get(rel);
  }

  /**
   * A file changed, appeared or disappeared on disk. Only that file's memo is
   * dropped; its facts are re-parsed on next use only if its content changed.
   */
  async update(rel: string): Promise<UpdateKind> {
    let kind: UpdateKind | undefined;
    try {
      return (kind = await this.updateFile(rel));
    } finally {
      // After the file list changed too: a run that began meanwhile is not taken as current.
      // An update that failed midway counts as a change of the file list.
      const at = ++this.generation;
      this.updatedAt.set(rel, at);
      if (kind !== 'changed' && kind !== 'ignored') this.listChangedAt = at;
    }
  }

  private async updateFile(rel: string): Promise<UpdateKind> {
    this.generation++;
    const last = this.versions.get(rel);
    if (last) this.before.set(rel, last);
    this.versions.delete(rel);
    this.grepMemo.delete(rel);
    this.problems.delete(rel);
    let st: fs.Stats | undefined;
    try {
      st = await fs.promises.stat(this.abs(rel));
    } catch {
      st = undefined;
    }
    const existed = this.byPath.has(rel);
    if (!st?.isFile()) {
      this.before.delete(rel);
      if (!existed) return 'ignored';
      this.byPath.delete(rel);
      this.files = this.files.filter((f) => f.path !== rel);
      return 'deleted';
    }
    const entry: DiscoveredFile = { path: rel, size: st.size, mtimeMs: st.mtimeMs, language: languageOf(rel) };
    this.byPath.set(rel, entry);
    if (existed) this.files = this.files.map((f) => (f.path === rel ? entry : f));
    else {
      this.files.push(entry);
      this.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    }
    return existed ? 'changed' : 'created';
  }

  /** The file's text, or undefined when it is binary or unreadable (the reason lands in `problems`). */
  text(rel: string): string | undefined {
    return this.version(rel)?.text;
  }

  /** Content hash of the file as last read, for caches shared between files and folders. */
  hash(rel: string): string | undefined {
    const v = this.version(rel);
    return v && (v.hash ??= contentHash(v.text!));
  }

  /**
   * A number that stays the same while the file's content does and changes
   * with it (a file saved unchanged keeps it), unique in the process: the
   * cheap key for memos of one file's derived data. No hash is worked out.
   */
  stamp(rel: string): number | undefined {
    return this.version(rel)?.stamp;
  }

  /** Cheap text pre-filter, memoised per file version. */
  grep(rel: string, re: RegExp): boolean {
    const key = `${re.source}\0${re.flags}`;
    let memo = this.grepMemo.get(rel);
    const known = memo?.get(key);
    if (known !== undefined) return known;
    const text = this.text(rel);
    re.lastIndex = 0;
    const hit = text !== undefined && re.test(text);
    if (!memo) this.grepMemo.set(rel, (memo = new Map()));
    memo.set(key, hit);
    return hit;
  }

  async facts(rel: string): Promise<Facts | undefined> {
    const f = this.byPath.get(rel);
    if (!f || f.language === 'other') return undefined;
    const v = this.version(rel);
    if (!v || v.binary || v.text === undefined) return undefined;
    // From the version in hand: asking `hash(rel)` would read a large file a second time.
    const hash = (v.hash ??= contentHash(v.text));
    const cached = this.cache.get(hash);
    if (cached) return cached;
    try {
      const facts = f.language === 'python' ? await extractPython(v.text) : extractTypeScript(v.text, rel);
      this.cache.set(hash, facts);
      return facts;
    } catch (err) {
      this.problems.set(rel, `not parsed: ${(err as Error).message}`);
      return undefined;
    }
  }

  async python(rel: string): Promise<PyFacts | undefined> {
    const f = await this.facts(rel);
    return f?.language === 'python' ? f : undefined;
  }

  async typescript(rel: string): Promise<TsFacts | undefined> {
    const f = await this.facts(rel);
    return f?.language === 'typescript' ? f : undefined;
  }

  private version(rel: string): Version | undefined {
    if (this.recorders.size) for (const reads of this.recorders) reads.add(rel);
    const memo = this.versions.get(rel);
    if (memo && (memo.binary || memo.text !== undefined)) return memo;
    if (!this.byPath.has(rel)) return undefined;
    const before = memo ?? this.before.get(rel);
    this.before.delete(rel);
    let read: Omit<Version, 'stamp'>;
    try {
      // Read straight into a string (Node's native path, about twice as fast as a Buffer then a
      // decode). Invalid UTF-8 decodes to U+FFFD rather than failing: the rest still counts.
      const file = this.abs(rel);
      const text = fs.readFileSync(file, UTF8);
      if (looksBinary(text, file)) {
        this.problems.set(rel, 'binary file');
        // Hashed byte for byte: decoding would merge binaries that differ in their invalid sequences.
        read = { hash: contentHash(fs.readFileSync(file).toString('latin1')), binary: true };
      } else read = { text, hash: text.length > KEEP_TEXT ? contentHash(text) : undefined, binary: false };
    } catch (err) {
      this.problems.set(rel, `unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return undefined;
    }
    const same = !!before && sameContent(before, read);
    const stamp = same ? before.stamp : ++lastStamp;
    if (read.text !== undefined && read.text.length > KEEP_TEXT) {
      // Large files keep their hash, not their text.
      this.versions.set(rel, { stamp, hash: read.hash, binary: false });
      return { stamp, ...read };
    }
    const v = same && before.text !== undefined ? before : { stamp, ...read };
    this.versions.set(rel, v);
    return v;
  }
}

/** Whether a file read again holds what it held: the texts compared when both are in memory, else the hashes. */
function sameContent(before: Version, read: Omit<Version, 'stamp'>): boolean {
  if (before.binary !== read.binary) return false;
  if (before.text !== undefined && read.text !== undefined) return before.text === read.text;
  before.hash ??= contentHash(before.text!);
  read.hash ??= contentHash(read.text!);
  return before.hash === read.hash;
}
