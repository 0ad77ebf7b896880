import type { Range } from '../findings';
import type { Arg, CallSite, Expr } from './expr';

/** One decorator as written: `@router.get("/x", deprecated=True)`. */
export interface Decorator {
  /** Dotted name without arguments: `router.get`, `functools.lru_cache`, `Controller`. */
  name: string;
  /** True when the decorator is called (`@cached(...)`, not `@cached`). */
  called: boolean;
  args: Arg[];
  range: Range;
}

export interface Assignment {
  /** Target names. `a, b = …` gives two; `self.x = …` gives `self.x`. */
  targets: string[];
  /** Type annotation text, if any (`Union[str, None]`). */
  annotation?: string;
  /** Absent for a bare annotation (`x: int`). */
  value?: Expr;
  range: Range;
}

// ---------------------------------------------------------------- Python

export interface PyImport {
  /** `import a.b as c` -> kind 'import', module 'a.b', alias 'c'. */
  kind: 'import' | 'from';
  /** Dotted module, without leading dots. Empty for `from . import x`. */
  module: string;
  /** Number of leading dots of a relative import; 0 for absolute. */
  level: number;
  /** `from m import a as b` -> [{name:'a', alias:'b'}]; `*` is a name too. Empty for `import`. */
  names: { name: string; alias?: string; range: Range }[];
  alias?: string;
  range: Range;
  /** Range of the module name as written (for rewrite fixes). */
  moduleRange: Range;
}

export interface PyFunction {
  name: string;
  async: boolean;
  range: Range;
  nameRange: Range;
  decorators: Decorator[];
  /** Parameter names, in order, `self` included. */
  params: string[];
  docstring?: string;
  /** The body holds only `pass`, `...` and/or a docstring. */
  emptyBody: boolean;
  /** Every call in the body (nested calls included, nested defs excluded). */
  calls: CallSite[];
  /** Assignments in the body, at any depth of control flow (nested defs excluded). */
  assignments: Assignment[];
  /** String literals in the body (for SQL detection and the like). */
  strings: { value: string; range: Range }[];
  /** Functions defined inside this one (factory functions define routes this way). */
  nested: PyFunction[];
  /** Parameters with annotation text and default value, in order (`self` included). */
  paramDetails?: PyParam[];
  /** Values of the `return` statements of the body (nested defs excluded). */
  returns?: { value: Expr; range: Range }[];
}

export interface PyParam {
  name: string;
  annotation?: string;
  default?: Expr;
  /** `*args` / `**kwargs`. */
  star?: '*' | '**';
}

export interface PyClass {
  name: string;
  range: Range;
  nameRange: Range;
  /** Base classes as written: `APIRouter`, `fastapi.APIRouter`, `Generic[T]`. */
  bases: string[];
  decorators: Decorator[];
  docstring?: string;
  /** Comments directly above the class (or its decorators), text without `#`. */
  leadingComments: string[];
  methods: PyFunction[];
  /** Class-level assignments. */
  assignments: Assignment[];
}

export interface Comment {
  text: string;
  range: Range;
}

export interface PyFacts {
  language: 'python';
  docstring?: string;
  /** Comments before the first statement, text without `#`. */
  leadingComments: string[];
  comments: Comment[];
  imports: PyImport[];
  /** Module-level assignments (inside `if`/`try` blocks too). */
  assignments: Assignment[];
  functions: PyFunction[];
  classes: PyClass[];
  /** Calls at module level, outside any def or class (`app.include_router(…)`, `warnings.warn(…)`). */
  calls: CallSite[];
  /** Ranges where the parser recovered from a syntax error. */
  errors: Range[];
  lineCount: number;
}

// ---------------------------------------------------------------- TypeScript

export interface TsImport {
  /** The module specifier as written: `./api`, `@/shared/types/api`. */
  from: string;
  default?: string;
  namespace?: string;
  named: { name: string; alias?: string; range: Range }[];
  typeOnly: boolean;
  range: Range;
  specifierRange: Range;
}

export interface JsDocInfo {
  deprecated?: string; // the text after @deprecated ('' when bare)
  text?: string;
}

export interface TsFunction {
  name: string;
  exported: boolean;
  async: boolean;
  range: Range;
  nameRange: Range;
  decorators: Decorator[];
  params: string[];
  jsdoc?: JsDocInfo;
  /** Every call in the body (nested functions included). */
  calls: CallSite[];
  strings: { value: string; range: Range }[];
}

export interface TsClass {
  name: string;
  exported: boolean;
  range: Range;
  nameRange: Range;
  decorators: Decorator[];
  heritage: string[];
  jsdoc?: JsDocInfo;
  methods: TsFunction[];
}

export interface TsEnum {
  name: string;
  exported: boolean;
  range: Range;
  /** Member values when they are literals; `undefined` otherwise. */
  members: { name: string; value?: string | number; range: Range }[];
}

export interface TsVariable {
  name: string;
  exported: boolean;
  kind: 'const' | 'let' | 'var';
  init?: Expr;
  range: Range;
  jsdoc?: JsDocInfo;
}

export interface TsExport {
  /** Exported name (after `as`). `default` for a default export. */
  name: string;
  /** `export { a } from './x'` re-exports carry the module. */
  from?: string;
  /** The local name when it differs. */
  local?: string;
  range: Range;
  jsdoc?: JsDocInfo;
}

export interface TsFacts {
  language: 'typescript';
  imports: TsImport[];
  exports: TsExport[];
  functions: TsFunction[];
  classes: TsClass[];
  enums: TsEnum[];
  variables: TsVariable[];
  /** Calls at module level, outside functions and classes (`app.use('/x', router)`). */
  calls: CallSite[];
  /** `@deprecated` in a file-level JSDoc comment before the first statement. */
  fileJsdoc?: JsDocInfo;
  leadingComments: string[];
  errors: Range[];
  lineCount: number;
}

export type Facts = PyFacts | TsFacts;
