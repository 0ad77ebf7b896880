import type { Range } from '../findings';
import type { Arg, Expr } from '../parsing/expr';
import type { PyClass, PyFacts, PyFunction } from '../parsing/facts';
import type { PyTarget } from './pyModules';

/*
 * What the interpreter (pyEval.ts) knows about Python values, scopes and
 * argument lists.
 */

/** An object a framework layer builds (a FastAPI router); the evaluator only carries it around. */
export interface FrameworkObject {
  readonly tag: string;
}

export type Value =
  | { kind: 'unknown' }
  | { kind: 'str'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'seq'; items: Value[] }
  | { kind: 'module'; target: PyTarget }
  | { kind: 'external'; name: string }
  | { kind: 'object'; obj: FrameworkObject; cls?: ClassValue }
  | ClassValue
  | FunctionValue
  | { kind: 'bound'; self: Value; fn: FunctionValue }
  | { kind: 'kwargs'; map: Map<string, Value> };

export interface ClassValue {
  kind: 'class';
  cls: PyClass;
  scope: Scope;
  file: string;
}

export interface FunctionValue {
  kind: 'function';
  fn: PyFunction;
  scope: Scope;
  file: string;
  /** Class name for methods. */
  owner?: string;
}

export const UNKNOWN: Value = { kind: 'unknown' };

interface Slot {
  value?: Value;
  force?: () => Value;
  /** Being resolved right now (a module importing its own submodule: `from . import x`). */
  forcing?: boolean;
}

export interface ModuleState {
  file: string;
  name: string;
  scope: Scope;
  status: 'running' | 'done';
  facts?: PyFacts;
  /** Content hash of the file it ran from; undefined when its facts were not read yet. */
  hash?: string;
  /** What the framework layer noted while this module's top-level code ran. */
  notes: { file: string; line: number; message: string }[];
}

export class Scope {
  private readonly vars = new Map<string, Slot>();
  /** Bumped whenever a name is bound or a lazy value becomes known, so derived lookups can be kept. */
  version = 0;
  constructor(
    readonly module: ModuleState | undefined,
    readonly parent?: Scope,
  ) {}

  set(name: string, value: Value): void {
    this.vars.set(name, { value });
    this.version++;
  }

  setLazy(name: string, force: () => Value): void {
    this.vars.set(name, { force });
    this.version++;
  }

  /** The value of a name of this scope if it is already known, without forcing a lazy import. */
  peek(name: string): Value | undefined {
    return this.vars.get(name)?.value;
  }

  /** A name bound in this scope and not in the middle of its own resolution. */
  hasOwn(name: string): boolean {
    const slot = this.vars.get(name);
    return !!slot && !slot.forcing;
  }

  ownNames(): string[] {
    return [...this.vars.keys()];
  }

  get(name: string): Value | undefined {
    const slot = this.vars.get(name);
    if (slot) {
      if (!slot.value && slot.force) {
        const force = slot.force;
        slot.force = undefined;
        slot.value = UNKNOWN;
        slot.forcing = true;
        try {
          slot.value = force();
        } finally {
          slot.forcing = false;
          this.version++;
        }
      }
      return slot.value ?? UNKNOWN;
    }
    return this.parent ? this.parent.get(name) : undefined;
  }
}

/** One evaluated argument list, evaluated on demand. */
/** The part of the interpreter that arguments need. */
export interface Evaluator {
  evalExpr(e: Expr, scope: Scope): Value;
  evalRef(path: string, scope: Scope): Value;
}

export class Args {
  constructor(
    readonly args: readonly Arg[],
    readonly scope: Scope,
    private readonly interp: Evaluator,
  ) {}

  expr(index: number, name?: string): Expr | undefined {
    if (name) {
      const k = this.args.find((a) => a.name === name);
      if (k) return k.value;
    }
    return this.args.filter((a) => !a.name && !a.spread)[index]?.value;
  }

  value(index: number, name?: string): Value | undefined {
    const e = this.expr(index, name);
    if (e) return this.interp.evalExpr(e, this.scope);
    if (name) return (this.spreadKwargs()).get(name);
    return undefined;
  }

  str(index: number, name?: string): string | undefined {
    const v = this.value(index, name);
    return v?.kind === 'str' ? v.value : undefined;
  }

  bool(name: string): boolean {
    const v = this.value(-1, name);
    return v?.kind === 'bool' && v.value;
  }

  /** `**kwargs` spreads that hold known keyword values. */
  spreadKwargs(): Map<string, Value> {
    const out = new Map<string, Value>();
    for (const a of this.args) {
      if (!a.spread || a.value.kind !== 'other' || !a.value.text.startsWith('**')) continue;
      const v = this.interp.evalRef(a.value.text.slice(2), this.scope);
      if (v.kind === 'kwargs') for (const [k, x] of v.map) out.set(k, x);
    }
    return out;
  }
}

export interface CallSiteInfo {
  file: string;
  range: Range;
}

