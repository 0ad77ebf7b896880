import { isDeepStrictEqual } from 'node:util';
import type { Finding } from '../findings';
import type { DiscoveredFile } from '../workspace/discovery';
import type { Workspace } from '../workspace/workspace';
import type { Assembly } from './assemble';
import type { DeprecationIndex } from './deprecations';
import type { FastApiInterpreter } from './fastapi';
import type { PackagePlan } from './packages';
import type { PyModuleIndex } from './pyModules';
import type { PyRoutesResult } from './pythonRoutes';
import type { RawService } from './entries';
import type { FileEntry } from './scan';
import type { TsRoute } from './tsRoutes';
import type { TsResolver } from './tsResolve';
import type { NavigationData, NavigationProblem } from './types';

export interface UsageMemo {
  hash: string;
  /** `NavigationMemo.usageVersion` when the file was checked. */
  signature: number;
  /** Other files the check read, with their hashes then. */
  deps: [file: string, hash: string][];
  findings: Finding[];
}

/**
 * State kept between runs on one workspace. Each stage keeps what it built
 * together with what it read, and hands back the same objects while those are
 * unchanged, so the stages after it (and the Services view) can tell "nothing
 * changed" by identity instead of walking the whole index again.
 */
export class NavigationMemo {
  signature = '';

  // The scan (scan.ts).
  readonly files = new Map<string, FileEntry>();
  /** The workspace's file record each file was last checked against: the same record means the same content. */
  readonly checked = new Map<string, DiscoveredFile>();
  /** The workspace's file list as last scanned. */
  seen: readonly DiscoveredFile[] = [];
  /** Bumped when a file appears or disappears, or a file's pre-filter flags or summary change (not for other edits). */
  scanVersion = 0;
  /** Bumped when a file appears or disappears. */
  fileSet = 0;
  /** Bumped when a file appears or disappears, or a file's route pre-filter flags (`route`, `express`, `globalPrefix`) change. */
  routeFlags = 0;
  /** Counts the scans that found a change; `touched` lists the files the last of them found changed, added or removed. */
  scanRun = 0;
  touched: readonly string[] = [];
  /** The file lists of the scan, kept while no file appears or disappears. */
  lists?: { python: string[]; typescript: string[] };

  // What the stages derive from the scan (build.ts, tsResolve.ts, pyModules.ts, deprecations.ts).
  /** Service classes by `file#Class` (from the files and service lists in `owners`), what is derived from them, and the Python route files. */
  services?: { scanVersion: number; routeFlags: number; owners: unknown[]; raw: Map<string, RawService>; tsVersion: number; tsSignature: string; routeFiles: string[] };
  resolver?: { signature: string; value: TsResolver };
  tsConfigs?: { fileSet: number; paths: string[] };
  pyIndex?: { fileSet: number; roots: string; value: PyModuleIndex };
  /** Files with deprecation markers and their summaries, for one `scanVersion`. */
  marked?: { scanVersion: number; value: readonly unknown[] };
  deprecations?: { signature: string; marked: readonly unknown[]; index: PyModuleIndex; resolver: TsResolver; deps: Map<string, string>; value: DeprecationIndex; problems: NavigationProblem[] };

  // Routes (pythonRoutes.ts, tsIndex.ts).
  /** Numbers the module index (file set): route rows are kept per route while it stays. */
  epochIndex?: PyModuleIndex;
  epoch = 0;
  /** The FastAPI interpreter, kept while the file set and the router modules are the same; `services` and `scanRun` are what it is up to date with. */
  interpreter?: { interp: FastApiInterpreter; index: PyModuleIndex; services: ReadonlyMap<string, unknown>; routeFiles: readonly string[]; scanRun: number; result?: PyRoutesResult };
  /** Route-file candidates of the TypeScript files, for one `routeFlags` version. */
  tsFiles?: { routeFlags: number; files: readonly string[]; controllers: string[]; next: string[]; express: string[]; globalPrefix: string[]; projects: string; projectsVersion: number };
  /** TypeScript routes of one file, by a key of its hash and what else they depend on, and the classes it looked up (`file#Class`, whether a service). */
  readonly tsRoutes = new Map<string, { key: string; resolver: TsResolver; looked: [string, boolean][]; routes: TsRoute[] }>();
  /** The TypeScript route list, kept while every file's part is the same array; `scanRun` is the scan it is up to date with. */
  tsParts?: { candidates: NonNullable<NavigationMemo['tsFiles']>; resolver: TsResolver; servicesVersion: number; scanRun: number; parts: TsRoute[][]; value: TsRoute[] };

  // Rows (assemble.ts, packages.ts).
  packageFiles?: { paths: string[]; dirs: string; value: Map<string, string[]> };
  packagePlan?: { key: string; index: PyModuleIndex; value: PackagePlan };
  assembly?: Assembly;

  // Deprecated usages (usage.ts).
  readonly usage = new Map<string, UsageMemo>();
  /** File → the files whose usage check read it. */
  readonly usageDependents = new Map<string, Set<string>>();
  usagePrefilter?: { deprecations: DeprecationIndex; pre: RegExp | undefined };
  /** What every check depends on (see `usageVersion`), and its version. */
  usageSignature: readonly unknown[] = [];
  usageVersion = 0;
  /** The last usage findings (kept while no file's findings changed), and the scan run they are up to date with. */
  usageOut?: { python: readonly string[]; typescript: readonly string[]; version: number; scanRun: number; value: Finding[] };

  /** The whole result, for a run in which nothing it reads has changed; `unsorted` is the findings before sorting. */
  last?: { key: string; value: { data: NavigationData; findings: Finding[] }; unsorted: Finding[] };
  lastResolver?: TsResolver;
}

const memos = new WeakMap<Workspace, NavigationMemo>();

export function memoFor(ws: Workspace, signature: string): NavigationMemo {
  let m = memos.get(ws);
  if (!m || m.signature !== signature) {
    m = new NavigationMemo();
    m.signature = signature;
    memos.set(ws, m);
  }
  return m;
}

/** `prev` when `next` has the same content (so identity keeps meaning "unchanged"), else `next`. */
export function keep<T>(prev: T | undefined, next: T): T {
  return prev !== undefined && isDeepStrictEqual(prev, next) ? prev : next;
}

/** Same length and the same element objects. */
export function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
