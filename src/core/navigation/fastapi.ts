import { lastSegment } from '../parsing/expr';
import type { Decorator, PyFacts, PyFunction } from '../parsing/facts';
import { escapeRegExp } from './deprecationText';
import { handlerServices } from './handlerServices';
import { PyInterpreter } from './pyEval';
import { Args, Scope, UNKNOWN, type CallSiteInfo, type ClassValue, type FrameworkObject, type FunctionValue, type ModuleState, type Value } from './pyValues';
import type { PyModuleIndex } from './pyModules';
import { RouteRecords, type RouteRecord } from './routeRecords';

export type { RouteRecord } from './routeRecords';

/**
 * FastAPI's own rules, applied to the values the interpreter follows:
 * `APIRouter(prefix=…)`, `add_api_route` (path = router prefix + path),
 * `include_router` (copies the routes present at that moment, joining
 * `router prefix + include prefix + route path` as plain strings, with
 * FastAPI's checks on prefixes and empty paths).
 */

export interface RouterObject extends FrameworkObject {
  tag: 'fastapi';
  id: number;
  kind: 'app' | 'router';
  prefix: string;
  deprecated: boolean;
  routes: RouteRecord[];
  file: string;
  line: number;
  labels: string[];
  /** The module whose top-level code made it ('' for none). */
  creator: string;
  includedBy: Set<string>;
}

export interface FastApiApp {
  name: string;
  obj: RouterObject;
}

export interface FastApiHost {
  index: PyModuleIndex;
  facts(file: string): { facts?: PyFacts; hash?: string };
  mayRoute(file: string): boolean;
  isService(file: string, className: string): boolean;
  classSuffixes: readonly string[];
}

const METHOD_DECORATORS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'trace']);
const APP_CLASSES = new Set(['fastapi.FastAPI', 'fastapi.applications.FastAPI']);
const ROUTER_CLASSES = new Set(['fastapi.APIRouter', 'fastapi.routing.APIRouter']);

/**
 * Per function and the scope it runs in: a module that runs again (its file or
 * a module it imports changed) has a new scope, and an interpreter a new one
 * for each module. Handler links also note the classes they looked up, with
 * whether each was a service: they hold while every answer is the same.
 */
const handlerMemo = new WeakMap<PyFunction, { scope: Scope; looked: [file: string, name: string, service: boolean][]; services: string[] }>();
const factoryMemo = new WeakMap<PyFunction, { scope: Scope; value: boolean }>();

function isRouter(v: Value | undefined): v is Value & { kind: 'object'; obj: RouterObject } {
  return v?.kind === 'object' && v.obj.tag === 'fastapi';
}

/**
 * Kept between analysis runs: modules whose file and imports did not change
 * keep their namespace and the routers they built (see `forget`), so a save
 * runs only the modules that depend on the saved file.
 */
export class FastApiInterpreter extends PyInterpreter {
  objects: RouterObject[] = [];
  /** Notes made outside any module's top-level code. */
  readonly looseNotes: ModuleState['notes'] = [];
  private nextId = 1;
  private readonly records = new RouteRecords();
  /** Module states whose functions were checked for uncalled app factories (kept modules are not checked again). */
  private readonly factoryChecked = new WeakSet<ModuleState>();
  private readonly appNames = new WeakMap<ModuleState, { version: number; names: string[] }>();

  private readonly suffixPattern: RegExp;

  /** The host of the current run (its fact lookup and service index change between runs). */
  constructor(public host: FastApiHost) {
    super(host.index);
    const alternatives = host.classSuffixes.map(escapeRegExp).join('|');
    this.suffixPattern = alternatives ? new RegExp(`(?:${alternatives})$`) : /(?!)/;
  }

  protected facts(file: string): { facts?: PyFacts; hash?: string } {
    return this.host.facts(file);
  }

  protected mayRoute(file: string): boolean {
    return this.host.mayRoute(file);
  }

  protected note(file: string, line: number, message: string): void {
    const notes = this.current?.notes ?? this.looseNotes;
    if (!notes.some((n) => n.file === file && n.line === line && n.message === message)) notes.push({ file, line, message });
  }

  override forget(files: ReadonlySet<string>): void {
    super.forget(files);
    this.records.forget(files);
    this.objects = this.objects.filter((o) => !files.has(o.creator));
    for (const o of this.objects) for (const f of files) o.includedBy.delete(f);
  }

  private get module(): string {
    return this.current?.file ?? '';
  }

  private create(kind: RouterObject['kind'], site: CallSiteInfo): RouterObject {
    const obj: RouterObject = {
      tag: 'fastapi',
      id: this.nextId++,
      kind,
      prefix: '',
      deprecated: false,
      routes: [],
      file: site.file,
      line: site.range.start.line + 1,
      labels: [],
      creator: this.module,
      includedBy: new Set(),
    };
    this.objects.push(obj);
    return obj;
  }

  protected externalCall(name: string, args: Args, site: CallSiteInfo): Value {
    const kind = APP_CLASSES.has(name) ? 'app' : ROUTER_CLASSES.has(name) ? 'router' : undefined;
    if (!kind) return UNKNOWN;
    const obj = this.create(kind, site);
    this.configure(obj, args, site);
    return { kind: 'object', obj };
  }

  /** The FastAPI class a workspace class derives from, if any. */
  private frameworkBase(cls: ClassValue, depth = 0): RouterObject['kind'] | undefined {
    if (depth > 6) return undefined;
    for (const base of cls.cls.bases) {
      const v = this.evalRef(base.replace(/\[.*$/, ''), cls.scope);
      if (v.kind === 'external' && APP_CLASSES.has(v.name)) return 'app';
      if (v.kind === 'external' && ROUTER_CLASSES.has(v.name)) return 'router';
      if (v.kind === 'class') {
        const k = this.frameworkBase(v, depth + 1);
        if (k) return k;
      }
    }
    return undefined;
  }

  /** `__init__` of the class or of the nearest workspace base class that defines one. */
  private initOf(cls: ClassValue, depth = 0): FunctionValue | undefined {
    if (depth > 6) return undefined;
    const own = cls.cls.methods.find((m) => m.name === '__init__');
    if (own) return { kind: 'function', fn: own, scope: cls.scope, file: cls.file, owner: cls.cls.name };
    for (const base of cls.cls.bases) {
      const v = this.evalRef(base.replace(/\[.*$/, ''), cls.scope);
      if (v.kind === 'class') {
        const init = this.initOf(v, depth + 1);
        if (init) return init;
      }
    }
    return undefined;
  }

  protected classCall(cls: ClassValue, args: Args, site: CallSiteInfo): Value | undefined {
    const kind = this.frameworkBase(cls);
    if (!kind) return undefined;
    const obj = this.create(kind, site);
    const self: Value = { kind: 'object', obj, cls };
    const init = this.initOf(cls);
    if (init) this.invoke(init, args, self);
    else this.configure(obj, args, site);
    return self;
  }

  protected superInit(self: Value, owner: ClassValue | undefined, args: Args, site: CallSiteInfo): void {
    if (!isRouter(self)) return;
    if (owner) {
      for (const base of owner.cls.bases) {
        const v = this.evalRef(base.replace(/\[.*$/, ''), owner.scope);
        if (v.kind !== 'class') continue;
        const init = this.initOf(v);
        if (init) return void (this.invoke(init, args, self));
      }
    }
    this.configure(self.obj, args, site);
  }

  /** Constructor keywords FastAPI keeps: `prefix` (checked as FastAPI checks it) and `deprecated`. */
  private configure(obj: RouterObject, args: Args, site: CallSiteInfo): void {
    const line = site.range.start.line + 1;
    const prefix = args.value(-1, 'prefix');
    if (prefix?.kind === 'str') {
      if (prefix.value && !prefix.value.startsWith('/')) this.note(site.file, line, `FastAPI rejects the prefix "${prefix.value}": a path prefix must start with '/'`);
      else if (prefix.value.endsWith('/')) this.note(site.file, line, `FastAPI rejects the prefix "${prefix.value}": a path prefix must not end with '/'`);
      obj.prefix = prefix.value;
    } else if (prefix && prefix.kind !== 'none') this.note(site.file, line, 'the router prefix is computed at run time; its routes are listed without it');
    if (args.bool('deprecated')) obj.deprecated = true;
  }

  protected override objectAttr(v: Value & { kind: 'object' }, attr: string): Value {
    return isRouter(v) && v.obj.kind === 'app' && attr === 'router' ? v : UNKNOWN;
  }

  protected decorate(receiver: Value, attr: string, d: Decorator, fn: FunctionValue, site: CallSiteInfo): void {
    if (!isRouter(receiver) || (!METHOD_DECORATORS.has(attr) && attr !== 'api_route')) return;
    const args = new Args(d.args, fn.scope, this);
    const methods = attr === 'api_route' ? this.methodList(args) : [attr.toUpperCase()];
    this.addRoute(receiver.obj, args, methods, fn, site);
  }

  private methodList(args: Args): string[] {
    const v = args.value(-1, 'methods');
    if (!v || v.kind === 'none') return ['GET'];
    if (v.kind === 'seq' && v.items.every((x) => x.kind === 'str')) return v.items.map((x) => (x as { value: string }).value.toUpperCase());
    return [];
  }

  private addRoute(obj: RouterObject, args: Args, methods: string[], endpoint: Value, site: CallSiteInfo): void {
    const line = site.range.start.line + 1;
    const path = args.str(0, 'path');
    if (path === undefined) return this.note(site.file, line, 'the route path is computed at run time; the route is not listed');
    if (methods.length === 0) return this.note(site.file, line, 'the route methods are computed at run time; the route is not listed');
    const fv = endpoint.kind === 'function' ? endpoint : endpoint.kind === 'bound' ? endpoint.fn : undefined;
    this.mutate(obj);
    obj.routes.push(this.records.keep(this.module, {
      methods: [...new Set(methods)].sort(),
      path: obj.prefix + path,
      ownPath: path,
      file: site.file,
      line,
      handler: fv ? (fv.owner ? `${fv.owner}.${fv.fn.name}` : fv.fn.name) : null,
      deprecated: (args.bool('deprecated')) || obj.deprecated,
      services: fv ? this.servicesOf(fv) : [],
    }));
  }

  /** Adding routes to another module's router ties the two modules together (being included only reads a router). */
  private mutate(obj: RouterObject): void {
    this.ties.tie(obj.creator, this.module);
    this.ties.tie(this.module, obj.creator);
  }

  protected objectCall(self: Value & { kind: 'object' }, method: string, args: Args, site: CallSiteInfo): Value {
    if (!isRouter(self)) return UNKNOWN;
    if (method === 'include_router') this.includeRouter(self.obj, args, site);
    else if (method === 'add_api_route') {
      const endpoint = (args.value(1, 'endpoint')) ?? UNKNOWN;
      const explicit = args.value(-1, 'methods');
      this.addRoute(self.obj, args, explicit ? this.methodList(args) : ['GET'], endpoint, site);
    }
    return { kind: 'none' };
  }

  private includeRouter(parent: RouterObject, args: Args, site: CallSiteInfo): void {
    const line = site.range.start.line + 1;
    const child = args.value(0, 'router');
    if (!isRouter(child)) return this.note(site.file, line, 'include_router: the router could not be resolved statically; its routes are not listed');
    const prefixValue = args.value(-1, 'prefix');
    if (prefixValue && prefixValue.kind !== 'str' && prefixValue.kind !== 'none')
      return this.note(site.file, line, 'include_router: the prefix is computed at run time; the routes are not listed');
    const prefix = prefixValue?.kind === 'str' ? prefixValue.value : '';
    if (prefix && !prefix.startsWith('/')) return this.note(site.file, line, `FastAPI rejects the prefix "${prefix}": a path prefix must start with '/'`);
    if (prefix.endsWith('/')) return this.note(site.file, line, `FastAPI rejects the prefix "${prefix}": a path prefix must not end with '/', as the routes will start with '/'`);
    if (!prefix) {
      const empty = child.obj.routes.find((r) => r.path === '');
      if (empty) return this.note(site.file, line, `FastAPI raises "Prefix and path cannot be both empty" for ${empty.handler ?? 'a route'} (${empty.file}:${empty.line})`);
    }
    if (child.obj === parent) return this.note(site.file, line, 'include_router: a router cannot include itself');
    const deprecated = args.bool('deprecated');
    child.obj.includedBy.add(this.module);
    this.mutate(parent);
    const at = `${site.file}:${line}:${site.range.start.character}`;
    for (const r of this.records.include(child.obj.routes, parent.prefix + prefix, deprecated || parent.deprecated, at)) parent.routes.push(r);
  }

  /**
   * Services a handler uses, kept for the module run it belongs to (a handler
   * added to two routers is looked at once) while the classes it looked up are
   * services or not as before. The module adding the route is tied to each of
   * those classes (`file#Class`): when one becomes or stops being a service,
   * that module runs again.
   */
  private servicesOf(fv: FunctionValue): string[] {
    let hit = handlerMemo.get(fv.fn);
    if (!hit || hit.scope !== fv.scope || hit.looked.some(([file, name, was]) => this.host.isService(file, name) !== was)) {
      const looked: [string, string, boolean][] = [];
      const isService = (file: string, name: string) => {
        const yes = this.host.isService(file, name);
        looked.push([file, name, yes]);
        return yes;
      };
      const services = [...handlerServices(fv, { evalRef: (path, scope) => this.evalRef(path, scope), isService, suffix: this.suffixPattern })].sort();
      handlerMemo.set(fv.fn, (hit = { scope: fv.scope, looked, services }));
    }
    for (const [file, name] of hit.looked) this.ties.tie(`${file}#${name}`, this.module);
    return hit.services;
  }

  /** Runs every module that can build routers, then calls app factories nobody called. */
  runAll(files: readonly string[]): void {
    this.beginRun();
    try {
      this.runModules(files);
    } finally {
      this.records.endRun();
    }
  }

  private runModules(files: readonly string[]): void {
    for (const f of files) {
      if (this.budgetExceeded) break;
      this.execModule(f);
    }
    for (const ms of this.executedModules()) {
      if (!ms.facts || !this.mayRoute(ms.file) || this.budgetExceeded || this.factoryChecked.has(ms)) continue;
      this.factoryChecked.add(ms);
      for (const fn of ms.facts.functions) {
        if (this.invoked.has(fn) || !(this.buildsApp(fn, ms.scope))) continue;
        const v = this.invokeAs(ms, { kind: 'function', fn, scope: ms.scope, file: ms.file }, new Args([], ms.scope, this));
        const label = `${ms.name}:${fn.name}()`;
        if (isRouter(v) && v.obj.kind === 'app' && !v.obj.labels.includes(label)) v.obj.labels.push(label);
      }
    }
  }

  private buildsApp(fn: PyFunction, scope: Scope): boolean {
    const hit = factoryMemo.get(fn);
    if (hit && hit.scope === scope) return hit.value;
    const value = this.computeBuildsApp(fn, scope);
    factoryMemo.set(fn, { scope, value });
    return value;
  }

  private computeBuildsApp(fn: PyFunction, scope: Scope): boolean {
    for (const c of fn.calls) {
      if (!/^[A-Za-z_][\w.]*$/.test(c.callee) || !/^[A-Z]/.test(lastSegment(c.callee))) continue;
      const v = this.evalRef(c.callee, scope);
      if (v.kind === 'external' && APP_CLASSES.has(v.name)) return true;
      if (v.kind === 'class' && (this.frameworkBase(v)) === 'app') return true;
    }
    return false;
  }

  /** Names a module binds to apps, sorted; kept per module state while its scope has not changed. */
  private appNamesOf(ms: ModuleState): string[] {
    const hit = this.appNames.get(ms);
    if (hit && hit.version === ms.scope.version) return hit.names;
    const names: string[] = [];
    for (const name of ms.scope.ownNames()) {
      const v = ms.scope.peek(name);
      if (isRouter(v) && v.obj.kind === 'app') names.push(name);
    }
    names.sort();
    this.appNames.set(ms, { version: ms.scope.version, names });
    return names;
  }

  /** Apps by the module-level names they are bound to (`acme.platform.main:app`), in a stable order. */
  apps(): FastApiApp[] {
    const assigned = new Map<RouterObject, string[]>();
    const imported = new Map<RouterObject, string[]>();
    const modules = this.executedModules().filter((ms) => this.appNamesOf(ms).length > 0);
    for (const ms of modules.sort((a, b) => (a.file < b.file ? -1 : 1))) {
      for (const name of this.appNamesOf(ms)) {
        const obj = (ms.scope.peek(name) as Value & { obj: RouterObject }).obj;
        const bucket = ms.facts?.assignments.some((a) => a.targets.includes(name)) ? assigned : imported;
        const list = bucket.get(obj);
        if (list) list.push(`${ms.name}:${name}`);
        else bucket.set(obj, [`${ms.name}:${name}`]);
      }
    }
    return this.objects
      .filter((o) => o.kind === 'app')
      .map((obj) => ({ name: [...(assigned.get(obj) ?? []), ...obj.labels, ...(imported.get(obj) ?? [])][0], obj }))
      .filter((a): a is FastApiApp => a.name !== undefined)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Routers with routes that nothing includes. */
  orphanRouters(): RouterObject[] {
    return this.objects.filter((o) => o.kind === 'router' && o.includedBy.size === 0 && o.routes.length > 0);
  }
}
