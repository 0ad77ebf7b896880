import picomatch from 'picomatch';
import type { DiscoveredFile } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import { linkFile, type LinkedUnit } from './link';
import { scanPython } from './python';
import type { Resolver, ResolveDeps } from './resolve';
import type { FileScan } from './scan';
import type { CacheSettings } from './settings';
import { scanTypeScript } from './typescript';

/** One file's units with names resolved, and what that resolution read. */
export interface FileLink {
  file: string;
  scan: FileScan;
  units: LinkedUnit[];
  /** Content hashes of the files it read (undefined: absent). */
  deps: Map<string, string | undefined>;
  /** File-list version, when module paths were resolved. */
  fileSet?: number;
  /** Workspace generation, when a workspace-wide search ran. */
  generation?: number;
  /** One of the files it read is re-read from disk on every use (large files): check the hashes each time. */
  volatile: boolean;
}

/** Larger files keep no text in the workspace, so their hash can change without an update. */
const LARGE = 64 * 1024;

/** What is known of one version of a file (a new `DiscoveredFile` on each change). */
interface Probe {
  entry: DiscoveredFile;
  /** Python or TypeScript outside the ignored globs. */
  candidate: boolean;
  hint?: boolean;
  mention?: { re: RegExp; hit: boolean };
  /** Its scan when it has units; null when it has none or cannot be read. */
  scan?: FileScan | null;
}

/**
 * Everything the cache analyzer keeps between runs over one workspace with one
 * configuration: per-file text tests, scans (by content hash) and resolved
 * units (until a file they read changes).
 */
export class FileMemo {
  private readonly ignored: (path: string) => boolean;
  private readonly ignoredByPath = new Map<string, boolean>();
  private readonly probes = new Map<string, Probe>();
  private readonly scans = new Map<string, { hash: string; scan: FileScan }>();
  private readonly links = new Map<string, FileLink>();
  /** Files whose resolved units read a given file. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Links to check against the hashes of what they read before reuse. */
  private readonly stale = new Set<string>();
  /** Links valid for one workspace generation only, or reading large files: checked on every run. */
  private readonly fragile = new Set<string>();
  /** Files linked again since the last completed run. */
  private readonly relinked = new Set<string>();
  private seen?: { generation: number; files: DiscoveredFile[] };
  private fileSetVersion = 0;
  /** Paths changed since the last completed run. */
  private readonly pending = new Set<string>();
  private positions?: Map<string, number>;
  private mention?: { text: string; re: RegExp };

  constructor(
    readonly key: string,
    private readonly settings: CacheSettings,
  ) {
    this.ignored = picomatch(settings.ignore, { dot: true });
  }

  /** Takes in what changed in the workspace since the last run: call first in every run. */
  begin(ws: Workspace): void {
    const prev = this.seen;
    if (prev?.generation === ws.generation) return;
    const version = this.fileSetVersion;
    this.seen = { generation: ws.generation, files: ws.files.slice() };
    const changed = new Set<string>();
    if (prev && prev.files.length === ws.files.length && prev.files.every((f, i) => f.path === ws.files[i].path)) {
      prev.files.forEach((f, i) => {
        if (f !== ws.files[i]) changed.add(f.path);
      });
    } else {
      const before = new Map((prev?.files ?? []).map((f) => [f.path, f]));
      for (const f of ws.files) if (before.get(f.path) !== f) changed.add(f.path);
      const now = new Set(ws.files.map((f) => f.path));
      for (const path of before.keys()) if (!now.has(path)) changed.add(path);
      this.fileSetVersion++;
    }
    for (const path of changed) {
      if (this.links.has(path)) this.stale.add(path);
      this.pending.add(path);
      for (const d of this.dependents.get(path) ?? []) this.stale.add(d);
    }
    if (version !== this.fileSetVersion) this.positions = undefined;
  }

  /** Paths changed since the last completed run (see `commit`). */
  changes(): ReadonlySet<string> {
    return this.pending;
  }

  /** The list of paths as of the last `begin`: changes only when a file appears or disappears. */
  get fileSet(): number {
    return this.fileSetVersion;
  }

  /** Marks the run complete: later runs see only what changes from now on. */
  commit(): void {
    this.pending.clear();
    this.relinked.clear();
  }

  /** Files whose resolved units may differ from those of the last completed run (when the file list is the same). */
  suspects(): Set<string> {
    return new Set([...this.stale, ...this.fragile, ...this.relinked]);
  }

  /** A path's index in the workspace's file list. */
  position(ws: Workspace, path: string): number {
    this.positions ??= new Map(ws.files.map((f, i) => [f.path, i]));
    return this.positions.get(path) ?? -1;
  }

  /** Whether the file's hash may change without an update (large files keep no text in the workspace). */
  isVolatile(f: DiscoveredFile): boolean {
    return f.size > LARGE;
  }

  private probe(f: DiscoveredFile): Probe {
    let p = this.probes.get(f.path);
    if (p?.entry !== f) {
      let ignored = this.ignoredByPath.get(f.path);
      if (ignored === undefined) this.ignoredByPath.set(f.path, (ignored = this.ignored(f.path)));
      this.probes.set(f.path, (p = { entry: f, candidate: (f.language === 'python' || f.language === 'typescript') && !ignored }));
    }
    return p;
  }

  /** Python and TypeScript outside the ignored globs. */
  isCandidate(f: DiscoveredFile): boolean {
    return this.probe(f).candidate;
  }

  /** `ws.grep` with the hint regex, remembered for this version of the file. */
  hints(ws: Workspace, f: DiscoveredFile, re: RegExp): boolean {
    const p = this.probe(f);
    return (p.hint ??= ws.grep(f.path, re));
  }

  /** `ws.grep` with a regex of the entity names, remembered for this version of the file and this regex object. */
  mentions(ws: Workspace, f: DiscoveredFile, re: RegExp): boolean {
    const p = this.probe(f);
    if (p.mention?.re !== re) p.mention = { re, hit: ws.grep(f.path, re) };
    return p.mention.hit;
  }

  /** The regex that finds files naming one of the entities (the same object while the entities stay the same). */
  mentionOf(entities: readonly string[]): RegExp {
    const text = entities.map((e) => e.replace(/[^a-z0-9]/g, '')).join('|');
    if (this.mention?.text !== text) this.mention = { text, re: new RegExp(`(${text})`, 'i') };
    return this.mention.re;
  }

  /** The scan of this version of the file when it has units, else undefined; undefined in `known` when it is not known yet. */
  scanned(f: DiscoveredFile): { known: boolean; scan?: FileScan } {
    const p = this.probe(f);
    if (p.scan === undefined || f.size > LARGE) return { known: false };
    return { known: true, scan: p.scan ?? undefined };
  }

  /** The scan `scanned`/`scanUnits` last found for this version of the file. */
  current(f: DiscoveredFile): FileScan | undefined {
    return this.probe(f).scan ?? undefined;
  }

  /** Scans the file (once per content) and remembers the outcome for this version of it. */
  async scanUnits(ws: Workspace, f: DiscoveredFile): Promise<FileScan | undefined> {
    const scan = await this.scan(ws, f.path);
    const p = this.probe(f);
    p.scan = scan?.units.length ? scan : null;
    return p.scan ?? undefined;
  }

  /** The file's cache facts, parsed once per content. */
  async scan(ws: Workspace, rel: string): Promise<FileScan | undefined> {
    const hash = ws.hash(rel);
    if (!hash) return undefined;
    const hit = this.scans.get(rel);
    if (hit && hit.hash === hash) return hit.scan;
    const facts = await ws.facts(rel);
    if (!facts) return undefined;
    const scan = facts.language === 'python' ? scanPython(rel, facts, this.settings) : scanTypeScript(rel, facts, this.settings);
    this.scans.set(rel, { hash, scan });
    return scan;
  }

  /** The file's resolved units when what they were resolved from is unchanged. */
  linked(ws: Workspace, scan: FileScan): FileLink | undefined {
    const link = this.links.get(scan.file);
    if (!link || link.scan !== scan) return undefined;
    if (link.generation !== undefined && link.generation !== ws.generation) return undefined;
    if (link.fileSet !== undefined && link.fileSet !== this.fileSetVersion) return undefined;
    if (link.volatile || this.stale.has(link.file)) {
      for (const [file, hash] of link.deps) if (ws.hash(file) !== hash) return undefined;
      this.stale.delete(link.file);
    }
    return link;
  }

  /** Resolves the file's units, recording what they were resolved from. */
  async link(ws: Workspace, scan: FileScan, resolver: Resolver): Promise<FileLink> {
    const deps: ResolveDeps = { files: new Set([scan.file]), fileSet: false, global: false };
    resolver.track(deps);
    let units: LinkedUnit[];
    try {
      units = await linkFile(scan, resolver);
    } finally {
      resolver.track(undefined);
    }
    for (const file of this.links.get(scan.file)?.deps.keys() ?? []) this.dependents.get(file)?.delete(scan.file);
    for (const file of deps.files) {
      const set = this.dependents.get(file);
      if (set) set.add(scan.file);
      else this.dependents.set(file, new Set([scan.file]));
    }
    const link: FileLink = {
      file: scan.file,
      scan,
      units,
      deps: new Map([...deps.files].map((f) => [f, ws.hash(f)])),
      ...(deps.fileSet ? { fileSet: this.fileSetVersion } : {}),
      ...(deps.global ? { generation: ws.generation } : {}),
      volatile: [...deps.files].some((f) => (ws.file(f)?.size ?? 0) > LARGE),
    };
    this.links.set(scan.file, link);
    this.stale.delete(scan.file);
    this.relinked.add(scan.file);
    if (link.generation !== undefined || link.volatile) this.fragile.add(scan.file);
    else this.fragile.delete(scan.file);
    return link;
  }
}
