import type { Node } from 'web-tree-sitter';
import type { Range } from '../findings';
import type { CallSite } from './expr';
import type { Assignment, Comment, Decorator, PyClass, PyFacts, PyFunction, PyImport, PyParam } from './facts';
import { argsOf, dotted, named, rangeOf, stringValue, toExpr } from './pythonExpr';
import { parsePythonTree } from './treeSitter';

export { dotted, rangeOf, stringValue, toExpr } from './pythonExpr';

/** Parses Python source and returns plain facts. The syntax tree is freed before returning. */
export async function extractPython(source: string): Promise<PyFacts> {
  const tree = await parsePythonTree(source);
  try {
    return moduleFacts(tree.rootNode, source);
  } finally {
    tree.delete();
  }
}

function moduleFacts(root: Node, source: string): PyFacts {
  const facts: PyFacts = {
    language: 'python',
    leadingComments: [],
    comments: [],
    imports: [],
    assignments: [],
    functions: [],
    classes: [],
    calls: [],
    errors: [],
    lineCount: source.length === 0 ? 0 : source.split('\n').length,
  };
  const children = named(root);
  facts.docstring = docstringOf(children);
  for (const c of children) {
    if (c.type !== 'comment') break;
    facts.leadingComments.push(commentText(c));
  }
  collectComments(root, facts.comments);
  if (root.hasError) collectErrors(root, facts.errors);
  walkStatements(children, facts);
  return facts;
}

/** Module-level statements, descending into `if`/`try`/`with` blocks (conditional imports and definitions). */
function walkStatements(stmts: Node[], facts: PyFacts): void {
  let pendingComments: string[] = [];
  for (const s of stmts) {
    const type = s.type;
    if (type === 'comment') {
      pendingComments.push(commentText(s));
      continue;
    }
    const comments = pendingComments;
    pendingComments = [];
    switch (type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        facts.imports.push(...importFacts(s));
        break;
      case 'function_definition':
        facts.functions.push(functionFacts(s, []));
        break;
      case 'class_definition':
        facts.classes.push(classFacts(s, [], comments));
        break;
      case 'decorated_definition': {
        const def = s.childForFieldName('definition');
        const decorators = named(s).filter((c) => c.type === 'decorator').map(decoratorFacts);
        if (def?.type === 'function_definition') facts.functions.push(functionFacts(def, decorators, s));
        else if (def?.type === 'class_definition') facts.classes.push(classFacts(def, decorators, comments, s));
        break;
      }
      case 'expression_statement':
        for (const e of named(s)) {
          if (e.type === 'assignment') facts.assignments.push(assignmentFacts(e));
          else collectCalls(e, facts.calls);
        }
        break;
      case 'block':
        walkStatements(named(s), facts);
        break;
      default:
        if (/^(if|try|with|for|while)_statement$|_clause$/.test(type)) {
          for (const c of named(s)) {
            const kind = c.type;
            if (kind === 'block' || kind.endsWith('_clause')) walkStatements([c], facts);
            else if (kind !== 'comment') collectCalls(c, facts.calls);
          }
        }
    }
  }
}

function importFacts(s: Node): PyImport[] {
  const range = rangeOf(s);
  if (s.type === 'import_statement') {
    return named(s).map((n) => {
      const nameNode = n.type === 'aliased_import' ? n.childForFieldName('name')! : n;
      const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : undefined;
      return { kind: 'import', module: nameNode.text, level: 0, names: [], alias, range, moduleRange: rangeOf(nameNode) };
    });
  }
  const moduleNode = s.childForFieldName('module_name');
  let module = '';
  let level = 0;
  if (s.type === 'future_import_statement') module = '__future__';
  else if (moduleNode?.type === 'relative_import') {
    const prefix = named(moduleNode).find((c) => c.type === 'import_prefix');
    level = prefix ? prefix.text.length : 0;
    module = named(moduleNode).find((c) => c.type === 'dotted_name')?.text ?? '';
  } else if (moduleNode) module = moduleNode.text;
  const names: PyImport['names'] = [];
  for (const c of named(s)) {
    if (c === moduleNode || c.id === moduleNode?.id) continue;
    if (c.type === 'wildcard_import') names.push({ name: '*', range: rangeOf(c) });
    else if (c.type === 'dotted_name') names.push({ name: c.text, range: rangeOf(c) });
    else if (c.type === 'aliased_import')
      names.push({ name: c.childForFieldName('name')!.text, alias: c.childForFieldName('alias')?.text, range: rangeOf(c) });
  }
  return [{ kind: 'from', module, level, names, range, moduleRange: moduleNode ? rangeOf(moduleNode) : range }];
}

function decoratorFacts(d: Node): Decorator {
  const e = named(d).find((c) => c.type !== 'comment');
  if (e?.type === 'call') {
    const fn = e.childForFieldName('function')!;
    return { name: dotted(fn), called: true, args: argsOf(e.childForFieldName('arguments')), range: rangeOf(d) };
  }
  return { name: e ? dotted(e) : '', called: false, args: [], range: rangeOf(d) };
}

function functionFacts(def: Node, decorators: Decorator[], outer: Node = def): PyFunction {
  const nameNode = def.childForFieldName('name')!;
  const params = def.childForFieldName('parameters');
  const body = def.childForFieldName('body');
  const stmts = body ? named(body) : [];
  const paramNodes = params ? named(params) : [];
  const fn: PyFunction = {
    name: nameNode.text,
    // The grammar puts `async` first: reading one child is cheaper than materialising all of them.
    async: def.firstChild?.type === 'async',
    range: withoutCarriageReturn(outer),
    nameRange: rangeOf(nameNode),
    decorators,
    params: paramNodes.map(paramName).filter((p): p is string => !!p),
    docstring: docstringOf(stmts),
    emptyBody: stmts.every((s) => s.type === 'pass_statement' || s.type === 'comment' || isDocOrEllipsis(s)),
    calls: [],
    assignments: [],
    strings: [],
    nested: [],
    paramDetails: paramNodes.map(paramDetail).filter((p): p is PyParam => !!p),
    returns: [],
  };
  if (body) scanBody(body, fn);
  return fn;
}

function paramDetail(p: Node): PyParam | undefined {
  if (p.type === 'identifier') return { name: p.text };
  if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
    const id = named(p).find((c) => c.type === 'identifier');
    return id ? { name: id.text, star: p.type === 'list_splat_pattern' ? '*' : '**' } : undefined;
  }
  const splat = named(p).find((c) => c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern');
  const name = splat ? named(splat).find((c) => c.type === 'identifier')?.text : paramName(p);
  if (!name) return undefined;
  const type = p.childForFieldName('type');
  const value = p.childForFieldName('value');
  return {
    name,
    ...(type ? { annotation: type.text } : {}),
    ...(value ? { default: toExpr(value, 0) } : {}),
    ...(splat ? { star: splat.type === 'list_splat_pattern' ? ('*' as const) : ('**' as const) } : {}),
  };
}

function paramName(p: Node): string | undefined {
  if (p.type === 'identifier') return p.text;
  const n = p.childForFieldName('name') ?? named(p).find((c) => c.type === 'identifier');
  return n?.text;
}

const BODY_TYPES = ['function_definition', 'decorated_definition', 'class_definition', 'assignment', 'return_statement', 'call', 'string'];

/**
 * Collects calls, assignments, returns and strings of a body, stopping at nested defs and classes.
 * The traversal runs inside tree-sitter (`descendantsOfType`), so only the nodes kept here are
 * materialised as JS objects; nodes inside a nested def, a class or a string are skipped by offset.
 */
function scanBody(body: Node, fn: PyFunction): void {
  let skipUntil = -1;
  for (const c of body.descendantsOfType(BODY_TYPES)) {
    if (!c || c.startIndex < skipUntil) continue;
    switch (c.type) {
      case 'function_definition':
        fn.nested.push(functionFacts(c, []));
        skipUntil = c.endIndex;
        break;
      case 'decorated_definition': {
        const def = c.childForFieldName('definition');
        if (def?.type === 'function_definition') fn.nested.push(functionFacts(def, named(c).filter((d) => d.type === 'decorator').map(decoratorFacts), c));
        skipUntil = c.endIndex;
        break;
      }
      case 'class_definition':
        skipUntil = c.endIndex;
        break;
      case 'assignment':
        fn.assignments.push(assignmentFacts(c));
        break;
      case 'return_statement': {
        const e = named(c).find((x) => x.type !== 'comment');
        if (e) fn.returns?.push({ value: toExpr(e, 0), range: rangeOf(c) });
        break;
      }
      case 'call':
        fn.calls.push(callFacts(c));
        break;
      case 'string':
        fn.strings.push({ value: stringValue(c).value, range: rangeOf(c) });
        skipUntil = c.endIndex;
        break;
    }
  }
}

function classFacts(def: Node, decorators: Decorator[], leadingComments: string[], outer: Node = def): PyClass {
  const nameNode = def.childForFieldName('name')!;
  const supers = def.childForFieldName('superclasses');
  const body = def.childForFieldName('body');
  const stmts = body ? named(body) : [];
  const cls: PyClass = {
    name: nameNode.text,
    range: rangeOf(outer),
    nameRange: rangeOf(nameNode),
    bases: supers ? named(supers).filter((b) => b.type !== 'keyword_argument' && b.type !== 'comment').map((b) => b.text) : [],
    decorators,
    docstring: docstringOf(stmts),
    leadingComments,
    methods: [],
    assignments: [],
  };
  for (const s of stmts) {
    const type = s.type;
    if (type === 'function_definition') cls.methods.push(functionFacts(s, []));
    else if (type === 'decorated_definition') {
      const def2 = s.childForFieldName('definition');
      if (def2?.type === 'function_definition')
        cls.methods.push(functionFacts(def2, named(s).filter((d) => d.type === 'decorator').map(decoratorFacts), s));
    } else if (type === 'expression_statement') {
      for (const e of named(s)) if (e.type === 'assignment') cls.assignments.push(assignmentFacts(e));
    }
  }
  return cls;
}

function assignmentFacts(a: Node): Assignment {
  const left = a.childForFieldName('left');
  const type = a.childForFieldName('type');
  let right = a.childForFieldName('right');
  // Chained `a = b = value`: the right side is itself an assignment.
  const targets = left ? targetNames(left) : [];
  while (right?.type === 'assignment') {
    const l = right.childForFieldName('left');
    if (l) targets.push(...targetNames(l));
    right = right.childForFieldName('right');
  }
  return { targets, annotation: type?.text, value: right ? toExpr(right, 0) : undefined, range: rangeOf(a) };
}

function targetNames(n: Node): string[] {
  if (n.type === 'pattern_list' || n.type === 'tuple_pattern' || n.type === 'list_pattern') return named(n).flatMap(targetNames);
  return [n.text];
}

function callFacts(c: Node): CallSite {
  return { callee: dotted(c.childForFieldName('function')!), args: argsOf(c.childForFieldName('arguments')), range: rangeOf(c) };
}

function collectCalls(n: Node, out: CallSite[]): void {
  if (n.type === 'call') out.push(callFacts(n));
  if (n.type === 'lambda' || n.namedChildCount === 0) return;
  let skipUntil = -1;
  for (const c of n.descendantsOfType(['call', 'lambda'])) {
    if (!c || c.startIndex < skipUntil || c.id === n.id) continue;
    if (c.type === 'lambda') skipUntil = c.endIndex;
    else out.push(callFacts(c));
  }
}

function isDocOrEllipsis(s: Node): boolean {
  if (s.type !== 'expression_statement') return false;
  const e = named(s)[0];
  return !!e && (e.type === 'string' || e.type === 'concatenated_string' || e.type === 'ellipsis');
}

function docstringOf(stmts: Node[]): string | undefined {
  const first = stmts.find((s) => s.type !== 'comment');
  if (first?.type !== 'expression_statement') return undefined;
  const e = named(first)[0];
  if (!e || (e.type !== 'string' && e.type !== 'concatenated_string')) return undefined;
  return stringValue(e).value;
}

function commentText(c: Node): string {
  return c.text.replace(/^#\s?/, '');
}

function collectComments(root: Node, out: Comment[]): void {
  for (const c of root.descendantsOfType('comment')) if (c) out.push({ text: commentText(c).replace(/\r$/, ''), range: withoutCarriageReturn(c) });
}

/**
 * The grammar ends a comment at `\n`, so on a `\r\n` line the `\r` belongs
 * to it, and to a function that ends with that comment: the range without it.
 */
function withoutCarriageReturn(n: Node): Range {
  const range = rangeOf(n);
  let last = n;
  while (last.lastChild) last = last.lastChild;
  if (last.type === 'comment' && last.text.endsWith('\r')) range.end = { line: range.end.line, character: range.end.character - 1 };
  return range;
}

function collectErrors(n: Node, out: Range[]): void {
  if (out.length >= 50) return;
  if (n.isError || n.isMissing) {
    out.push(rangeOf(n));
    return;
  }
  for (const c of n.children) if (c && (c.hasError || c.isMissing)) collectErrors(c, out);
}
