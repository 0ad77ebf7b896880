import { positional, strValue, type Arg, type Expr } from '../parsing/expr';
import type { TsClass, TsFacts } from '../parsing/facts';
import type { Workspace } from '../workspace/workspace';
import { basename, dirname } from './pyModules';
import { projectDir, type TsResolver } from './tsResolve';
import type { Framework } from './types';

/** A route found in TypeScript: NestJS controllers, Next.js route handlers, Express routers. */
export interface TsRoute {
  method: string;
  path: string;
  file: string;
  line: number;
  framework: Framework;
  handler: string | null;
  app: string | null;
  prefix: string;
  deprecated: boolean;
  services: string[];
}

export interface TsRouteContext {
  ws: Workspace;
  resolver: TsResolver;
  facts(file: string): Promise<TsFacts | undefined>;
  /** `file#Class` when the class is an indexed service. */
  serviceKey(file: string, className: string): string | undefined;
}

const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Options: 'OPTIONS', Head: 'HEAD', All: 'ALL', Search: 'SEARCH' };
const NEXT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** `/a/b`: segments joined with single slashes; `/` for nothing. */
export function joinUrl(...parts: string[]): string {
  const segs = parts.flatMap((p) => p.split('/')).filter(Boolean);
  return '/' + segs.join('/');
}

function strings(e: Expr | undefined): string[] | undefined {
  if (!e) return undefined;
  if (e.kind === 'str' && !e.template) return [e.value];
  if (e.kind === 'seq' && e.items.every((i) => i.kind === 'str' && !i.template)) return e.items.map((i) => (i as { value: string }).value);
  if (e.kind === 'dict') {
    const path = e.entries.find((x) => x.key.kind === 'str' && x.key.value === 'path')?.value;
    return path ? strings(path) : [''];
  }
  return undefined;
}

function argPaths(args: readonly Arg[]): string[] | undefined {
  return args.length === 0 ? [''] : strings(positional(args, 0));
}

// ------------------------------------------------------------------ NestJS

/** `app.setGlobalPrefix('api')` anywhere in the project (usually main.ts). */
export async function nestGlobalPrefixes(ctx: TsRouteContext, files: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of files) {
    const f = await ctx.facts(file);
    if (!f) continue;
    const calls = [...f.calls, ...f.functions.flatMap((fn) => fn.calls)];
    const c = calls.find((x) => x.callee.endsWith('.setGlobalPrefix'));
    const prefix = c && strValue(positional(c.args, 0));
    if (prefix !== undefined) out.set(projectDir(ctx.ws, file), prefix);
  }
  return out;
}

export async function nestRoutes(ctx: TsRouteContext, file: string, globalPrefix: string): Promise<TsRoute[]> {
  const f = await ctx.facts(file);
  if (!f) return [];
  const out: TsRoute[] = [];
  const app = projectDir(ctx.ws, file) || '.';
  for (const cls of f.classes) {
    const ctrl = cls.decorators.find((d) => d.name === 'Controller');
    if (!ctrl) continue;
    const bases = argPaths(ctrl.args) ?? [''];
    const injected = await injectedServices(ctx, file, f, cls);
    for (const m of cls.methods) {
      for (const d of m.decorators) {
        const method = NEST_METHODS[d.name];
        if (!method || !d.called) continue;
        const own = argPaths(d.args);
        if (!own) continue;
        const swagger = m.decorators.find((x) => x.name === 'ApiOperation');
        const swaggerDeprecated = swagger?.args[0]?.value.kind === 'dict' && swagger.args[0].value.entries.some((e) => e.key.kind === 'str' && e.key.value === 'deprecated' && e.value.kind === 'bool' && e.value.value);
        const services = [...new Set(m.calls.flatMap((c) => injected.filter((i) => c.callee.startsWith(`this.${i.param}.`)).map((i) => i.key)))].sort();
        for (const base of bases) {
          for (const p of own) {
            const prefix = joinUrl(globalPrefix, base);
            out.push({
              method,
              path: joinUrl(globalPrefix, base, p),
              file,
              line: d.range.start.line + 1,
              framework: 'nestjs',
              handler: `${cls.name}.${m.name}`,
              app,
              prefix: prefix === '/' ? '' : prefix,
              deprecated: m.jsdoc?.deprecated !== undefined || cls.jsdoc?.deprecated !== undefined || !!swaggerDeprecated,
              services,
            });
          }
        }
      }
    }
  }
  return out;
}

/** Constructor parameters whose names match an imported (or local) service class: `billingService` → BillingService. */
async function injectedServices(ctx: TsRouteContext, file: string, f: TsFacts, cls: TsClass): Promise<{ param: string; key: string }[]> {
  const ctor = cls.methods.find((m) => m.name === 'constructor');
  if (!ctor) return [];
  const candidates = new Map<string, string>();
  for (const c of f.classes) {
    const key = ctx.serviceKey(file, c.name);
    if (key) candidates.set(c.name.toLowerCase(), key);
  }
  for (const imp of f.imports) {
    const target = ctx.resolver.resolve(file, imp.from);
    if (!target) continue;
    for (const n of imp.named) {
      const key = ctx.serviceKey(target, n.name);
      if (key) candidates.set((n.alias ?? n.name).toLowerCase(), key);
    }
  }
  return ctor.params.flatMap((p) => {
    const key = candidates.get(p.toLowerCase());
    return key ? [{ param: p, key }] : [];
  });
}

// ------------------------------------------------------------------ Next.js

/** The routing folder (`app` or `pages`) of a Next.js project: at the project root or in its `src/`. */
function nextRoot(ws: Workspace, file: string, kind: 'app' | 'pages'): string | undefined {
  const parts = file.split('/');
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] !== kind) continue;
    const parent = parts.slice(0, i).join('/');
    const project = basename(parent) === 'src' ? dirname(parent) : parent;
    if (ws.has(project ? `${project}/package.json` : 'package.json')) return parts.slice(0, i + 1).join('/');
  }
  return undefined;
}

/** App Router: `app/**\/route.ts`. Folders give the path; `(group)` and `@slot` folders are dropped; `[id]` stays as Next.js writes it. */
export function isNextRouteFile(ws: Workspace, file: string): boolean {
  return /(^|\/)route\.(ts|tsx|js|jsx|mjs|mts)$/.test(file) && nextRoot(ws, file, 'app') !== undefined;
}

export function isNextApiFile(ws: Workspace, file: string): boolean {
  if (!/\.(ts|tsx|js|jsx|mjs|mts)$/.test(file) || /\.d\.ts$/.test(file)) return false;
  const root = nextRoot(ws, file, 'pages');
  return root !== undefined && file.startsWith(root + '/api/');
}

export function nextAppPath(ws: Workspace, file: string): string | undefined {
  const root = nextRoot(ws, file, 'app');
  if (!root) return undefined;
  const segs = dirname(file).slice(root.length).split('/').filter(Boolean);
  if (segs.some((s) => s.startsWith('_'))) return undefined;
  return joinUrl(...segs.filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@')));
}

export function nextPagesPath(ws: Workspace, file: string): string | undefined {
  const root = nextRoot(ws, file, 'pages');
  if (!root) return undefined;
  const rel = file.slice(root.length + 1).replace(/\.(ts|tsx|js|jsx|mjs|mts)$/, '');
  return joinUrl(...rel.split('/').filter((s) => s !== 'index'));
}

export async function nextRoutes(ctx: TsRouteContext, file: string): Promise<TsRoute[]> {
  const f = await ctx.facts(file);
  if (!f) return [];
  const app = projectDir(ctx.ws, file) || '.';
  if (isNextRouteFile(ctx.ws, file)) {
    const path = nextAppPath(ctx.ws, file);
    if (path === undefined) return [];
    return f.exports
      .filter((e) => NEXT_METHODS.includes(e.name))
      .map((e) => ({
        method: e.name,
        path,
        file,
        line: e.range.start.line + 1,
        framework: 'nextjs' as const,
        handler: e.local ?? e.name,
        app,
        prefix: '',
        deprecated: e.jsdoc?.deprecated !== undefined,
        services: [],
      }));
  }
  const path = nextPagesPath(ctx.ws, file);
  const def = f.exports.find((e) => e.name === 'default');
  if (path === undefined || !def) return [];
  return [{ method: 'ALL', path, file, line: def.range.start.line + 1, framework: 'nextjs-pages', handler: def.local ?? 'default', app, prefix: '', deprecated: def.jsdoc?.deprecated !== undefined, services: [] }];
}

// ------------------------------------------------------------------ Express

const EXPRESS_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'all'];

interface ExpressNode {
  key: string;
  kind: 'app' | 'router';
  file: string;
  line: number;
  routes: { method: string; path: string; line: number }[];
  mounts: { prefix: string; target: string }[];
}

/** Static Express apps and routers: `Router()`, `router.get('/x', …)`, `app.use('/api', router)`, across ESM imports. */
export async function expressRoutes(ctx: TsRouteContext, files: readonly string[]): Promise<TsRoute[]> {
  const nodes = new Map<string, ExpressNode>();
  const refs = new Map<string, (name: string) => string | undefined>();
  const pending: { file: string; args: readonly Arg[]; owner: string }[] = [];
  for (const file of files) {
    const f = await ctx.facts(file);
    if (!f) continue;
    const local = new Map<string, string>();
    for (const v of f.variables) {
      if (v.init?.kind !== 'call') continue;
      const kind = v.init.callee === 'express' ? 'app' : v.init.callee === 'Router' || v.init.callee === 'express.Router' ? 'router' : undefined;
      if (!kind) continue;
      const key = `${file}#${v.name}`;
      nodes.set(key, { key, kind, file, line: v.range.start.line + 1, routes: [], mounts: [] });
      local.set(v.name, key);
    }
    const resolveName = (name: string): string | undefined => {
      if (local.has(name)) return local.get(name);
      for (const imp of f.imports) {
        const target = ctx.resolver.resolve(file, imp.from);
        if (!target) continue;
        if (imp.default === name) return `${target}#@default`;
        const n = imp.named.find((x) => (x.alias ?? x.name) === name);
        if (n) return `${target}#@${n.name}`;
      }
      return undefined;
    };
    for (const e of f.exports) if (e.local && local.has(e.local)) local.set(`@${e.name}`, local.get(e.local)!);
    for (const e of f.exports) if (!e.local && local.has(e.name)) local.set(`@${e.name}`, local.get(e.name)!);
    for (const c of f.calls) {
      const dot = c.callee.lastIndexOf('.');
      const owner = local.get(c.callee.slice(0, dot));
      if (!owner) continue;
      const method = c.callee.slice(dot + 1);
      const path = strValue(positional(c.args, 0));
      if (EXPRESS_METHODS.includes(method) && path !== undefined) nodes.get(owner)!.routes.push({ method: method.toUpperCase(), path, line: c.range.start.line + 1 });
      else if (method === 'use') pending.push({ file, args: c.args, owner });
    }
    refs.set(file, (name) => (name.startsWith('@') ? local.get(name) : resolveName(name)));
  }
  const lookup = (key: string): string | undefined => {
    if (nodes.has(key)) return key;
    const [file, name] = [key.slice(0, key.lastIndexOf('#')), key.slice(key.lastIndexOf('#') + 1)];
    return refs.get(file)?.(name);
  };
  for (const p of pending) {
    const first = positional(p.args, 0);
    const prefix = first?.kind === 'str' ? first.value : '';
    for (const a of p.args.filter((x) => !x.name && !x.spread && x.value.kind === 'ref')) {
      const key = refs.get(p.file)?.((a.value as { path: string }).path);
      const target = key && lookup(key);
      if (target && nodes.has(target)) nodes.get(p.owner)!.mounts.push({ prefix, target });
    }
  }
  const mounted = new Set([...nodes.values()].flatMap((n) => n.mounts.map((m) => m.target)));
  const tops = [...nodes.values()].filter((n) => n.kind === 'app' || !mounted.has(n.key));
  const out: TsRoute[] = [];
  const walk = (node: ExpressNode, prefix: string, app: string | null, seen: Set<string>) => {
    if (seen.has(node.key)) return;
    seen.add(node.key);
    for (const r of node.routes) {
      out.push({ method: r.method, path: joinUrl(prefix, r.path), file: node.file, line: r.line, framework: 'express', handler: null, app, prefix, deprecated: false, services: [] });
    }
    for (const m of node.mounts) walk(nodes.get(m.target)!, joinUrl(prefix, m.prefix) === '/' ? '' : joinUrl(prefix, m.prefix), app, new Set(seen));
  };
  for (const top of tops) walk(top, '', top.kind === 'app' ? top.key.replace('#', ':') : null, new Set());
  return out;
}
