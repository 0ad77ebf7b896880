import type { Workspace } from '../workspace/workspace';
import { keep, sameList, type NavigationMemo } from './memo';
import type { FileEntry } from './scan';
import { expressRoutes, isNextApiFile, isNextRouteFile, nestGlobalPrefixes, nestRoutes, nextRoutes, type TsRoute, type TsRouteContext } from './tsRoutes';
import { projectDir, type TsResolver } from './tsResolve';
import { cmpStr } from './types';

export interface TsIndexInput {
  ws: Workspace;
  resolver: TsResolver;
  memo: NavigationMemo;
  files: readonly string[];
  entries: Map<string, FileEntry>;
  /** `file#Class` of every indexed service. */
  serviceKeys: ReadonlyMap<string, unknown>;
  /** Changes whenever the TypeScript services change (then each file checks the classes it looked up). */
  servicesVersion: number;
  /** `ScanResult.routeFlags`. */
  routeFlags: number;
}

/** Fingerprints of the set of projects (package.json files), unique across workspaces. */
let projectSets = 0;

/** The files that can declare routes, by kind; the same lists while the route flags version stays. */
function candidates(input: TsIndexInput): NonNullable<NavigationMemo['tsFiles']> {
  const { ws, entries, memo } = input;
  const prev = memo.tsFiles;
  if (prev?.routeFlags === input.routeFlags && prev.files === input.files) return prev;
  const flagged = (flag: 'route' | 'express' | 'globalPrefix') => input.files.filter((f) => entries.get(f)?.[flag]);
  const next = input.files.filter((f) => /(^|\/)(route\.[mc]?[jt]sx?|pages\/api\/.*)$/.test(f) && (isNextRouteFile(ws, f) || isNextApiFile(ws, f)));
  const projects = ws.files.filter((f) => /(^|\/)package\.json$/.test(f.path)).map((f) => f.path).join('\n');
  const value = { routeFlags: input.routeFlags, files: input.files, controllers: flagged('route'), next, express: flagged('express'), globalPrefix: flagged('globalPrefix'), projects, projectsVersion: prev?.projects === projects ? prev.projectsVersion : ++projectSets };
  const same = prev && prev.files === value.files && prev.projects === projects && (['controllers', 'next', 'express', 'globalPrefix'] as const).every((k) => sameList(prev[k], value[k]));
  if (!same) return (memo.tsFiles = value);
  prev.routeFlags = input.routeFlags;
  return prev;
}

/**
 * Routes of NestJS controllers, Next.js route handlers and Express routers.
 * Controllers and route handlers are memoised per file (by content hash and,
 * for controllers, the global prefix and the service classes they looked up);
 * a file whose routes come out the same keeps its previous list, and the whole
 * list is kept while every file's list is. After a scan that touched no
 * candidate file, nothing is looked at.
 */
export async function typescriptRoutes(input: TsIndexInput): Promise<TsRoute[]> {
  const { ws, entries, memo } = input;
  const ctx: TsRouteContext = {
    ws,
    resolver: input.resolver,
    facts: (file) => ws.typescript(file),
    serviceKey: (file, name) => (input.serviceKeys.has(`${file}#${name}`) ? `${file}#${name}` : undefined),
  };
  const files = candidates(input);
  const prev = memo.tsParts;
  if (prev && prev.candidates === files && prev.resolver === input.resolver && prev.servicesVersion === input.servicesVersion && prev.scanRun >= memo.scanRun - 1) {
    // Each file's routes depend on its own text, the file set, the services and the resolver: only a touched candidate can change them.
    const all = [files.controllers, files.next, files.express, files.globalPrefix];
    if (prev.scanRun === memo.scanRun || !memo.touched.some((f) => entries.get(f)?.language === 'typescript' && all.some((list) => list.includes(f)))) {
      prev.scanRun = memo.scanRun;
      return prev.value;
    }
  }
  // A file's routes are kept while its key holds and the classes it looked up are services or not as before.
  const cached = async (file: string, extra: string, compute: (ctx: TsRouteContext) => Promise<TsRoute[]>): Promise<TsRoute[]> => {
    const key = `${entries.get(file)?.hash ?? ''}\0${extra}\0${files.projectsVersion}`;
    const hit = memo.tsRoutes.get(file);
    if (hit && hit.key === key && hit.resolver === input.resolver && hit.looked.every(([k, was]) => input.serviceKeys.has(k) === was)) return hit.routes;
    const looked: [string, boolean][] = [];
    const serviceKey = (f: string, name: string) => {
      const k = `${f}#${name}`;
      const yes = input.serviceKeys.has(k);
      looked.push([k, yes]);
      return yes ? k : undefined;
    };
    const routes = keep(hit?.routes, await compute({ ...ctx, serviceKey }));
    memo.tsRoutes.set(file, { key, resolver: input.resolver, looked, routes });
    return routes;
  };
  const live = new Set<string>();
  const prefixes = await nestGlobalPrefixes(ctx, files.globalPrefix);
  const parts: TsRoute[][] = [];
  for (const f of files.controllers) {
    live.add(f);
    const prefix = prefixes.get(projectDir(ws, f)) ?? '';
    parts.push(await cached(f, prefix, (c) => nestRoutes(c, f, prefix)));
  }
  for (const f of files.next) {
    live.add(f);
    parts.push(await cached(f, 'next', (c) => nextRoutes(c, f)));
  }
  const expressKey = files.express.map((f) => `${f}:${entries.get(f)?.hash}`).join('\n');
  parts.push(await cached(EXPRESS_KEY, expressKey, (c) => expressRoutes(c, files.express)));
  live.add(EXPRESS_KEY);
  if (memo.tsRoutes.size > live.size) for (const key of [...memo.tsRoutes.keys()]) if (!live.has(key)) memo.tsRoutes.delete(key);
  const base = { candidates: files, resolver: input.resolver, servicesVersion: input.servicesVersion, scanRun: memo.scanRun };
  if (prev && sameList(prev.parts, parts)) {
    memo.tsParts = { ...prev, ...base };
    return prev.value;
  }
  const isNext = (r: TsRoute) => r.framework === 'nextjs' || r.framework === 'nextjs-pages';
  const all = parts.flat();
  const next = all.filter(isNext).sort((a, b) => cmpStr(a.path, b.path) || cmpStr(a.method, b.method));
  const value = [...all.filter((r) => r.framework === 'nestjs'), ...next, ...all.filter((r) => r.framework === 'express')];
  memo.tsParts = { ...base, parts, value };
  return value;
}

/** The memo slot of the Express routes, which span files. */
const EXPRESS_KEY = '\0express';
