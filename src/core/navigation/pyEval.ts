import type { Arg, Expr } from '../parsing/expr';
import type { Decorator, PyFacts, PyFunction, PyParam } from '../parsing/facts';
import { ModuleTies } from './moduleTies';
import { PyModuleIndex, type PyTarget } from './pyModules';
import { functionStatements, moduleStatements, type Stmt } from './pyStatements';
import { Args, Scope, UNKNOWN, type CallSiteInfo, type ClassValue, type FunctionValue, type ModuleState, type Value } from './pyValues';

/**
 * A small abstract interpreter over Python facts: just enough of Python's
 * import and call semantics to follow how an application is assembled across
 * modules. Values it cannot know are `unknown`; it never runs user code.
 */
const MAX_DEPTH = 24;
const MAX_STEPS = 200_000;

export abstract class PyInterpreter {
  private readonly modules = new Map<string, ModuleState>();
  private depth = 0;
  private steps = 0;
  /** Functions called so far, with the modules whose top-level code called them. */
  readonly invoked = new Map<PyFunction, Set<string>>();
  /** The module whose top-level code is running: creations and mutations are put down to it. */
  protected current: ModuleState | undefined;
  /** Which modules must run again when one does; subclasses add their own ties. */
  protected readonly ties = new ModuleTies();

  constructor(protected readonly index: PyModuleIndex) {}

  /** Facts of a workspace Python file, and the content hash they come from. */
  protected abstract facts(file: string): { facts?: PyFacts; hash?: string };
  /** Whether a file can register routes or build routers (executed eagerly, functions called). */
  protected abstract mayRoute(file: string): boolean;
  /** A call on a framework object (`router.include_router(...)`). */
  protected abstract objectCall(self: Value & { kind: 'object' }, method: string, args: Args, site: CallSiteInfo): Value;
  /** A call of something outside the workspace (`fastapi.APIRouter(...)`). */
  protected abstract externalCall(name: string, args: Args, site: CallSiteInfo): Value;
  /** A call of a workspace class; undefined lets the evaluator return `unknown`. */
  protected abstract classCall(cls: ClassValue, args: Args, site: CallSiteInfo): Value | undefined;
  /** `super().__init__(...)` inside a method of `owner`, with `self` bound. */
  protected abstract superInit(self: Value, owner: ClassValue | undefined, args: Args, site: CallSiteInfo): void;
  /** A decorator `@receiver.attr(...)` applied to a function. */
  protected abstract decorate(receiver: Value, attr: string, decorator: Decorator, fn: FunctionValue, site: CallSiteInfo): void;
  protected abstract note(file: string, line: number, message: string): void;

  get budgetExceeded(): boolean {
    return this.steps > MAX_STEPS;
  }

  executedModules(): ModuleState[] {
    return [...this.modules.values()];
  }

  moduleState(file: string): ModuleState | undefined {
    return this.modules.get(file);
  }

  /** Starts a run over the modules kept from the previous one. */
  beginRun(): void {
    this.steps = 0;
    this.depth = 0;
  }

  /** The modules in `changed` and every module tied to one of them (importers, see `ties`), transitively. */
  affected(changed: Iterable<string>): Set<string> {
    return this.ties.affected(changed);
  }

  /**
   * Drops the state of modules that must run again (a set closed under
   * `affected`); subclasses drop what those modules made. Their ties go too:
   * they are made again when the modules run again.
   */
  forget(files: ReadonlySet<string>): void {
    for (const f of files) {
      this.modules.delete(f);
      this.ties.drop(f);
    }
    for (const [fn, callers] of this.invoked) {
      for (const f of files) callers.delete(f);
      if (callers.size === 0) this.invoked.delete(fn);
    }
  }

  /** Runs a module once (as an import would) and returns its namespace. */
  execModule(file: string): ModuleState | undefined {
    const existing = this.modules.get(file);
    if (existing) return existing;
    const state: ModuleState = { file, name: this.index.moduleName(file), scope: undefined as unknown as Scope, status: 'running', notes: [] };
    state.scope = new Scope(state);
    this.modules.set(file, state);
    const { facts, hash } = this.facts(file);
    state.facts = facts;
    state.hash = hash;
    if (facts) {
      state.scope.set('__name__', { kind: 'str', value: state.name });
      const outer = this.current;
      this.current = state;
      try {
        this.run(moduleStatements(facts), state.scope, file, this.mayRoute(file), undefined);
      } finally {
        this.current = outer;
      }
    }
    state.status = 'done';
    return state;
  }

  /** Runs a function with its effects put down to `module` (app factories nobody calls). */
  protected invokeAs(module: ModuleState, fv: FunctionValue, args: Args): Value {
    const outer = this.current;
    this.current = module;
    try {
      return this.invoke(fv, args);
    } finally {
      this.current = outer;
    }
  }

  /** Runs statements; returns the first known `return` value. */
  private run(stmts: Stmt[], scope: Scope, file: string, eager: boolean, facts: PyFacts | undefined): Value {
    let result: Value = UNKNOWN;
    const mod = scope.module;
    for (const s of stmts) {
      if (++this.steps > MAX_STEPS) return result;
      switch (s.kind) {
        case 'import':
          this.bindImport(mod?.facts ?? facts, s.index, scope, file);
          break;
        case 'assign': {
          const value = s.value;
          if (!value) break;
          if (s.targets.length !== 1 || !/^\w+$/.test(s.targets[0])) {
            if (eager) this.evalExpr(value, scope);
            break;
          }
          if (eager) scope.set(s.targets[0], this.evalExpr(value, scope));
          else scope.setLazy(s.targets[0], () => this.evalExpr(value, scope));
          break;
        }
        case 'call':
          if (eager) this.evalCall(s.callee, s.args, scope, { file, range: s.at });
          break;
        case 'def': {
          const fv: FunctionValue = { kind: 'function', fn: s.fn, scope, file };
          scope.set(s.fn.name, fv);
          if (eager) this.applyDecorators(fv, file);
          break;
        }
        case 'class': {
          const cv: ClassValue = { kind: 'class', cls: s.cls, scope, file };
          scope.set(s.cls.name, cv);
          if (eager) for (const m of s.cls.methods) this.applyDecorators({ kind: 'function', fn: m, scope, file, owner: s.cls.name }, file);
          break;
        }
        case 'return':
          if (result.kind === 'unknown') result = this.evalExpr(s.value, scope);
          break;
      }
    }
    return result;
  }

  private applyDecorators(fv: FunctionValue, file: string): void {
    const decorators = fv.fn.decorators;
    for (let i = decorators.length - 1; i >= 0; i--) {
      const d = decorators[i];
      const dot = d.name.lastIndexOf('.');
      if (!d.called || dot < 0) continue;
      const receiver = this.evalRef(d.name.slice(0, dot), fv.scope);
      if (receiver.kind === 'unknown') continue;
      this.decorate(receiver, d.name.slice(dot + 1), d, fv, { file, range: d.range });
    }
  }

  private bindImport(facts: PyFacts | undefined, index: number, scope: Scope, file: string): void {
    const imp = facts?.imports[index];
    if (!imp) return;
    const depend = (t: PyTarget | undefined) => {
      const f = t && PyModuleIndex.fileOf(t);
      // When the imported module runs again, so must this one.
      if (f && scope.module) this.ties.tie(f, scope.module.file);
    };
    if (imp.kind === 'import') {
      const target = this.index.resolveAbsolute(file, imp.module);
      depend(target);
      if (target) this.eagerly(target);
      if (imp.alias) scope.set(imp.alias, target ? { kind: 'module', target } : { kind: 'external', name: imp.module });
      else {
        const head = imp.module.split('.')[0];
        const top = target ? this.index.resolveAbsolute(file, head) : undefined;
        depend(top);
        scope.set(head, top ? { kind: 'module', target: top } : { kind: 'external', name: head });
      }
      return;
    }
    const target = this.index.resolveImport(file, imp.level, imp.module);
    depend(target);
    if (target) this.eagerly(target);
    for (const n of imp.names) {
      if (target && n.name !== '*') depend(this.index.child(target, n.name));
      if (n.name === '*') {
        const f = target && PyModuleIndex.fileOf(target);
        const ms = f ? this.execModule(f) : undefined;
        for (const name of ms?.scope.ownNames() ?? []) if (!name.startsWith('_')) scope.setLazy(name, () => (ms!.scope.get(name)) ?? UNKNOWN);
        continue;
      }
      const local = n.alias ?? n.name;
      if (!target) scope.set(local, imp.level === 0 ? { kind: 'external', name: `${imp.module}.${n.name}` } : UNKNOWN);
      else scope.setLazy(local, () => this.moduleAttr(target, n.name));
    }
  }

  private eagerly(target: PyTarget): void {
    const f = PyModuleIndex.fileOf(target);
    if (f && this.mayRoute(f)) this.execModule(f);
  }

  moduleAttr(target: PyTarget, name: string): Value {
    const file = PyModuleIndex.fileOf(target);
    if (file) {
      const ms = this.execModule(file);
      if (ms?.scope.hasOwn(name)) return (ms.scope.get(name)) ?? UNKNOWN;
    }
    const child = this.index.child(target, name);
    if (child) {
      this.eagerly(child);
      return { kind: 'module', target: child };
    }
    return UNKNOWN;
  }

  getAttr(v: Value, attr: string): Value {
    switch (v.kind) {
      case 'module':
        return this.moduleAttr(v.target, attr);
      case 'external':
        return { kind: 'external', name: `${v.name}.${attr}` };
      case 'class': {
        const m = v.cls.methods.find((x) => x.name === attr);
        return m ? { kind: 'function', fn: m, scope: v.scope, file: v.file, owner: v.cls.name } : UNKNOWN;
      }
      case 'object': {
        const m = v.cls?.cls.methods.find((x) => x.name === attr);
        return m && v.cls ? { kind: 'bound', self: v, fn: { kind: 'function', fn: m, scope: v.cls.scope, file: v.cls.file, owner: v.cls.cls.name } } : this.objectAttr(v, attr);
      }
      default:
        return UNKNOWN;
    }
  }

  /** An attribute of a framework object (`app.router`); `unknown` by default. */
  protected objectAttr(_v: Value & { kind: 'object' }, _attr: string): Value {
    return UNKNOWN;
  }

  evalRef(path: string, scope: Scope): Value {
    if (path.includes('(')) return UNKNOWN;
    const [head, ...rest] = path.split('.');
    let v: Value = (scope.get(head)) ?? UNKNOWN;
    for (const attr of rest) {
      if (v.kind === 'unknown') return v;
      v = this.getAttr(v, attr);
    }
    return v;
  }

  evalExpr(e: Expr, scope: Scope): Value {
    switch (e.kind) {
      case 'str':
        return e.template ? this.template(e.value, scope) : { kind: 'str', value: e.value };
      case 'bool':
        return { kind: 'bool', value: e.value };
      case 'none':
        return { kind: 'none' };
      case 'ref':
        return this.evalRef(e.path, scope);
      case 'seq':
        return { kind: 'seq', items: e.items.map((x) => this.evalExpr(x, scope)) };
      case 'call':
        return this.evalCall(e.callee, e.args, scope, { file: scope.module?.file ?? '', range: e.range });
      default:
        return UNKNOWN;
    }
  }

  /** An f-string whose placeholders are names bound to known strings. */
  private template(value: string, scope: Scope): Value {
    let out = '';
    let last = 0;
    for (const m of value.matchAll(/\{([^{}]*)\}/g)) {
      if (!/^[A-Za-z_][\w.]*$/.test(m[1])) return UNKNOWN;
      const v = this.evalRef(m[1], scope);
      if (v.kind !== 'str') return UNKNOWN;
      out += value.slice(last, m.index) + v.value;
      last = m.index! + m[0].length;
    }
    return { kind: 'str', value: out + value.slice(last) };
  }

  evalCall(callee: string, args: readonly Arg[], scope: Scope, site: CallSiteInfo): Value {
    const a = new Args(args, scope, this);
    if (callee === 'super().__init__') {
      const self = scope.get('self');
      const owner = this.ownerClass(scope);
      if (self) this.superInit(self, owner, a, site);
      return { kind: 'none' };
    }
    const dot = callee.lastIndexOf('.');
    if (dot > 0) {
      const receiver = this.evalRef(callee.slice(0, dot), scope);
      if (receiver.kind === 'object') {
        const method = this.getAttr(receiver, callee.slice(dot + 1));
        if (method.kind === 'bound') return this.callValue(method, a, site);
        return this.objectCall(receiver, callee.slice(dot + 1), a, site);
      }
      if (receiver.kind === 'unknown') return UNKNOWN;
      return this.callValue(this.getAttr(receiver, callee.slice(dot + 1)), a, site);
    }
    return this.callValue((scope.get(callee)) ?? UNKNOWN, a, site);
  }

  private ownerClass(scope: Scope): ClassValue | undefined {
    const owner = scope.get('__class__');
    return owner?.kind === 'class' ? owner : undefined;
  }

  callValue(fn: Value, args: Args, site: CallSiteInfo): Value {
    switch (fn.kind) {
      case 'external':
        return this.externalCall(fn.name, args, site);
      case 'class':
        return (this.classCall(fn, args, site)) ?? UNKNOWN;
      case 'function':
        return this.invoke(fn, args);
      case 'bound':
        return this.invoke(fn.fn, args, fn.self);
      default:
        return UNKNOWN;
    }
  }

  /** Calls a workspace function (only in files that can build routers; elsewhere the result is unknown). */
  invoke(fv: FunctionValue, args: Args, self?: Value): Value {
    if (!this.mayRoute(fv.file) || this.depth >= MAX_DEPTH) return UNKNOWN;
    const callers = this.invoked.get(fv.fn) ?? new Set<string>();
    callers.add(this.current?.file ?? '');
    this.invoked.set(fv.fn, callers);
    const frame = new Scope(fv.scope.module, fv.scope);
    this.bindParams(fv, args, frame, self);
    if (fv.owner) {
      const owner = fv.scope.get(fv.owner);
      if (owner) frame.set('__class__', owner);
    }
    this.depth++;
    try {
      return this.run(functionStatements(fv.fn), frame, fv.file, true, undefined);
    } finally {
      this.depth--;
    }
  }

  private bindParams(fv: FunctionValue, args: Args, frame: Scope, self?: Value): void {
    const params: PyParam[] = fv.fn.paramDetails ?? fv.fn.params.map((name) => ({ name }));
    const positional = args.args.filter((a) => !a.name && !a.spread);
    const keywords = new Map<string, Expr>();
    for (const a of args.args) if (a.name) keywords.set(a.name, a.value);
    const spread = args.spreadKwargs();
    let pi = 0;
    const used = new Set<string>();
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (i === 0 && self && fv.owner) {
        frame.set(p.name, self);
        continue;
      }
      if (p.star === '*') {
        frame.set(p.name, UNKNOWN);
        pi = positional.length;
        continue;
      }
      if (p.star === '**') {
        const rest = new Map<string, Value>();
        for (const [k, e] of keywords) if (!used.has(k)) rest.set(k, this.evalExpr(e, args.scope));
        for (const [k, v] of spread) if (!used.has(k)) rest.set(k, v);
        frame.set(p.name, { kind: 'kwargs', map: rest });
        continue;
      }
      used.add(p.name);
      if (pi < positional.length) frame.set(p.name, this.evalExpr(positional[pi++].value, args.scope));
      else if (keywords.has(p.name)) frame.set(p.name, this.evalExpr(keywords.get(p.name)!, args.scope));
      else if (spread.has(p.name)) frame.set(p.name, spread.get(p.name)!);
      else if (p.default) frame.set(p.name, this.evalExpr(p.default, fv.scope));
      else frame.set(p.name, UNKNOWN);
    }
  }
}
