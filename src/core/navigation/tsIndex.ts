import type { Workspace } from '../workspace/workspace';
import type { FileEntry, NavigationMemo } from './scan';
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
}

/**
 * Routes of NestJS controllers, Next.js route handlers and Express routers.
 * Controllers and route handlers are memoised per file (by content hash and,
 * for controllers, the global prefix and the service set they link to).
 */
export async function typescriptRoutes(input: TsIndexInput): Promise<TsRoute[]> {
  const { ws, entries, memo } = input;
  const ctx: TsRouteContext = {
    ws,
    resolver: input.resolver,
    facts: (file) => ws.typescript(file),
    serviceKey: (file, name) => (input.serviceKeys.has(`${file}#${name}`) ? `${file}#${name}` : undefined),
  };
  const servicesSig = [...input.serviceKeys.keys()].filter((k) => /\.[mc]?[jt]sx?#/.test(k)).sort().join('\n');
  const cached = async (file: string, extra: string, compute: () => Promise<TsRoute[]>): Promise<TsRoute[]> => {
    const key = `${entries.get(file)?.hash ?? ''}\0${extra}`;
    const hit = memo.tsRoutes.get(file);
    if (hit && hit.key === key) return hit.routes;
    const routes = await compute();
    memo.tsRoutes.set(file, { key, routes });
    return routes;
  };
  const live = new Set<string>();
  const prefixes = await nestGlobalPrefixes(ctx, input.files.filter((f) => entries.get(f)?.globalPrefix));
  const parts: TsRoute[][] = [];
  for (const f of input.files.filter((x) => entries.get(x)?.route)) {
    live.add(f);
    const prefix = prefixes.get(projectDir(ws, f)) ?? '';
    parts.push(await cached(f, `${prefix}\0${servicesSig}`, () => nestRoutes(ctx, f, prefix)));
  }
  for (const f of input.files) {
    if (!/(^|\/)(route\.[mc]?[jt]sx?|pages\/api\/.*)$/.test(f) || !(isNextRouteFile(ws, f) || isNextApiFile(ws, f))) continue;
    live.add(f);
    parts.push(await cached(f, 'next', () => nextRoutes(ctx, f)));
  }
  const expressFiles = input.files.filter((f) => entries.get(f)?.express);
  const expressKey = expressFiles.map((f) => `${f}:${entries.get(f)?.hash}`).join('\n');
  parts.push(await cached(EXPRESS_KEY, expressKey, () => expressRoutes(ctx, expressFiles)));
  live.add(EXPRESS_KEY);
  for (const key of [...memo.tsRoutes.keys()]) if (!live.has(key)) memo.tsRoutes.delete(key);
  const prev = memo.tsParts;
  if (prev && prev.parts.length === parts.length && prev.parts.every((p, i) => p === parts[i])) return prev.value;
  const isNext = (r: TsRoute) => r.framework === 'nextjs' || r.framework === 'nextjs-pages';
  const all = parts.flat();
  const next = all.filter(isNext).sort((a, b) => cmpStr(a.path, b.path) || cmpStr(a.method, b.method));
  const value = [...all.filter((r) => r.framework === 'nestjs'), ...next, ...all.filter((r) => r.framework === 'express')];
  memo.tsParts = { parts, value };
  return value;
}

/** The memo slot of the Express routes, which span files. */
const EXPRESS_KEY = '\0express';
