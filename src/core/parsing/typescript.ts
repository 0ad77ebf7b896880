import type * as TS from 'typescript';
import type { Range } from '../findings';
import { tsMorph } from '../vendor';
import type { Arg, CallSite, Expr } from './expr';
import type { Decorator, JsDocInfo, TsClass, TsExport, TsFacts, TsFunction, TsImport } from './facts';

/** ts-morph's own TypeScript, loaded on first use so that activation stays cheap. */
export function loadTs(): typeof TS {
  return tsMorph().ts as unknown as typeof TS;
}

const MAX_EXPR_DEPTH = 12;

export function extractTypeScript(source: string, fileName = 'file.ts'): TsFacts {
  const ts = loadTs();
  const kind = /\.(tsx|jsx)$/i.test(fileName) ? ts.ScriptKind.TSX : /\.(m|c)?js$/i.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  return new Extractor(ts, sf).run();
}

class Extractor {
  private readonly facts: TsFacts;

  constructor(
    private readonly ts: typeof TS,
    private readonly sf: TS.SourceFile,
  ) {
    this.facts = {
      language: 'typescript',
      imports: [],
      exports: [],
      functions: [],
      classes: [],
      enums: [],
      variables: [],
      calls: [],
      leadingComments: [],
      errors: [],
      lineCount: sf.getLineStarts().length,
    };
  }

  run(): TsFacts {
    const { ts, sf, facts } = this;
    const diags = (sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    for (const d of diags.slice(0, 50)) facts.errors.push(this.span(d.start, d.start + d.length));
    const first = sf.statements[0];
    if (first) {
      for (const c of ts.getLeadingCommentRanges(sf.text, first.getFullStart()) ?? []) {
        const text = sf.text.slice(c.pos, c.end);
        facts.leadingComments.push(text.replace(/^\/\/\s?|^\/\*+\s?|\s*\*\/$/g, ''));
        if (text.startsWith('/**') && /@deprecated\b/.test(text) && sf.statements.length > 0) {
          facts.fileJsdoc = { deprecated: (/@deprecated\b\s*([^\n*]*)/.exec(text)?.[1] ?? '').trim(), text };
        }
      }
    }
    for (const s of sf.statements) this.statement(s);
    return facts;
  }

  private statement(s: TS.Statement): void {
    const { ts, facts } = this;
    const exported = this.isExported(s);
    if (ts.isImportDeclaration(s)) facts.imports.push(this.importFacts(s));
    else if (ts.isExportDeclaration(s)) this.exportDeclaration(s);
    else if (ts.isExportAssignment(s)) facts.exports.push({ name: 'default', range: this.range(s), local: s.expression.getText(this.sf) });
    else if (ts.isFunctionDeclaration(s) && s.name) {
      facts.functions.push(this.fn(s, s.name.text, exported));
      if (exported) facts.exports.push(this.exp(this.isDefault(s) ? 'default' : s.name.text, s, s.name.text));
    } else if (ts.isClassDeclaration(s)) {
      const c = this.classFacts(s, exported);
      facts.classes.push(c);
      if (exported) facts.exports.push(this.exp(this.isDefault(s) ? 'default' : c.name, s, c.name));
    } else if (ts.isEnumDeclaration(s)) {
      facts.enums.push({
        name: s.name.text,
        exported,
        range: this.range(s),
        members: s.members.map((m) => ({ name: m.name.getText(this.sf), value: this.literal(m.initializer), range: this.range(m) })),
      });
      if (exported) facts.exports.push(this.exp(s.name.text, s));
    } else if (ts.isVariableStatement(s)) this.variables(s, exported);
    else if ((ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && exported) facts.exports.push(this.exp(s.name.text, s));
    else if (ts.isModuleDeclaration(s) && s.body && ts.isModuleBlock(s.body)) for (const inner of s.body.statements) this.statement(inner);
    else this.collectCalls(s, facts.calls);
  }

  private variables(s: TS.VariableStatement, exported: boolean): void {
    const { ts } = this;
    const flags = s.declarationList.flags;
    const kind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'var';
    const jsdoc = this.jsdoc(s);
    for (const d of s.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) continue;
      const name = d.name.text;
      const init = d.initializer;
      this.facts.variables.push({ name, exported, kind, init: init ? this.expr(init, 0) : undefined, range: this.range(d), jsdoc });
      if (exported) this.facts.exports.push({ name, range: this.range(d), jsdoc });
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
        this.facts.functions.push({ ...this.fn(init, name, exported), range: this.range(s), nameRange: this.range(d.name), jsdoc });
      } else if (init) {
        this.collectCalls(init, this.facts.calls);
        // `export const PUT = withErrorHandling(async (req) => { … })`: the wrapped handler is a function too.
        const wrapped = ts.isCallExpression(init) ? init.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a)) : undefined;
        if (wrapped) this.facts.functions.push({ ...this.fn(wrapped as TS.ArrowFunction, name, exported), range: this.range(s), nameRange: this.range(d.name), jsdoc });
      }
    }
  }

  private importFacts(s: TS.ImportDeclaration): TsImport {
    const { ts } = this;
    const spec = s.moduleSpecifier as TS.StringLiteral;
    const imp: TsImport = { from: spec.text, named: [], typeOnly: !!s.importClause?.isTypeOnly, range: this.range(s), specifierRange: this.range(spec) };
    const clause = s.importClause;
    if (clause?.name) imp.default = clause.name.text;
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) imp.namespace = bindings.name.text;
    else if (bindings)
      for (const el of bindings.elements)
        imp.named.push({ name: (el.propertyName ?? el.name).getText(this.sf), alias: el.propertyName ? el.name.text : undefined, range: this.range(el) });
    return imp;
  }

  private exportDeclaration(s: TS.ExportDeclaration): void {
    const { ts } = this;
    const from = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : undefined;
    if (!s.exportClause) this.facts.exports.push({ name: '*', from, range: this.range(s) });
    else if (ts.isNamespaceExport(s.exportClause)) this.facts.exports.push({ name: s.exportClause.name.getText(this.sf), from, range: this.range(s) });
    else
      for (const el of s.exportClause.elements)
        this.facts.exports.push({ name: el.name.getText(this.sf), from, local: el.propertyName?.getText(this.sf), range: this.range(el), jsdoc: this.jsdoc(el) });
  }

  private classFacts(s: TS.ClassDeclaration, exported: boolean): TsClass {
    const { ts } = this;
    const name = s.name?.text ?? 'default';
    const methods: TsFunction[] = [];
    for (const m of s.members) {
      if ((ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m)) && (m.name || ts.isConstructorDeclaration(m))) {
        methods.push(this.fn(m, ts.isConstructorDeclaration(m) ? 'constructor' : m.name!.getText(this.sf), false));
      } else if (ts.isPropertyDeclaration(m) && m.initializer && (ts.isArrowFunction(m.initializer) || ts.isFunctionExpression(m.initializer))) {
        methods.push({ ...this.fn(m.initializer, m.name.getText(this.sf), false), decorators: this.decorators(m), range: this.range(m), nameRange: this.range(m.name) });
      }
    }
    return {
      name,
      exported,
      range: this.range(s),
      nameRange: s.name ? this.range(s.name) : this.range(s),
      decorators: this.decorators(s),
      heritage: (s.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(this.sf))),
      jsdoc: this.jsdoc(s),
      methods,
    };
  }

  private fn(node: TS.SignatureDeclaration & { body?: TS.Node }, name: string, exported: boolean): TsFunction {
    const { ts } = this;
    const mods = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
    const f: TsFunction = {
      name,
      exported,
      async: mods.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword),
      range: this.range(node),
      nameRange: node.name ? this.range(node.name) : this.range(node),
      decorators: this.decorators(node),
      params: node.parameters.map((p) => p.name.getText(this.sf)),
      jsdoc: this.jsdoc(node),
      calls: [],
      strings: [],
    };
    if (node.body) {
      this.collectCalls(node.body, f.calls);
      const visit = (n: TS.Node): void => {
        if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) f.strings.push({ value: n.text, range: this.range(n) });
        else if (ts.isTemplateExpression(n)) f.strings.push({ value: this.template(n), range: this.range(n) });
        ts.forEachChild(n, visit);
      };
      visit(node.body);
    }
    return f;
  }

  private decorators(node: TS.Node): Decorator[] {
    const { ts } = this;
    if (!ts.canHaveDecorators(node)) return [];
    return (ts.getDecorators(node) ?? []).map((d) => {
      const e = d.expression;
      if (ts.isCallExpression(e)) return { name: this.callee(e.expression), called: true, args: this.args(e.arguments), range: this.range(d) };
      return { name: this.callee(e), called: false, args: [], range: this.range(d) };
    });
  }

  private collectCalls(n: TS.Node, out: CallSite[]): void {
    const { ts } = this;
    const visit = (c: TS.Node): void => {
      if (ts.isCallExpression(c)) out.push({ callee: this.callee(c.expression), args: this.args(c.arguments), range: this.range(c) });
      ts.forEachChild(c, visit);
    };
    visit(n);
  }

  /** `a.b.c`, `this.cache.del`; calls inside a chain become `f()`; `await`/`!` are looked through. */
  private callee(e: TS.Expression): string {
    const { ts } = this;
    if (ts.isIdentifier(e)) return e.text;
    if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isPropertyAccessExpression(e)) return `${this.callee(e.expression)}.${e.name.text}`;
    if (ts.isCallExpression(e)) return `${this.callee(e.expression)}()`;
    if (ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) return this.callee(e.expression);
    if (ts.isElementAccessExpression(e) && ts.isStringLiteral(e.argumentExpression)) return `${this.callee(e.expression)}.${e.argumentExpression.text}`;
    return e.getText(this.sf).replace(/\s+/g, '');
  }

  private args(list: readonly TS.Expression[]): Arg[] {
    return list.map((a) => (this.ts.isSpreadElement(a) ? { value: this.expr(a.expression, 0), spread: true } : { value: this.expr(a, 0) }));
  }

  private expr(e: TS.Expression, depth: number): Expr {
    const { ts } = this;
    const range = this.range(e);
    if (depth > MAX_EXPR_DEPTH) return this.other(e);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { kind: 'str', value: e.text, range };
    if (ts.isTemplateExpression(e)) return { kind: 'str', value: this.template(e), template: true, range };
    if (ts.isNumericLiteral(e)) return { kind: 'num', value: Number(e.text), text: e.getText(this.sf), range };
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'bool', value: e.kind === ts.SyntaxKind.TrueKeyword, range };
    if (e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined')) return { kind: 'none', range };
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) return { kind: 'ref', path: this.callee(e), range };
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e))
      return this.expr(e.expression, depth + 1);
    if (ts.isArrayLiteralExpression(e)) return { kind: 'seq', seq: 'array', items: e.elements.map((x) => this.expr(x, depth + 1)), range };
    if (ts.isObjectLiteralExpression(e)) {
      const entries: { key: Expr; value: Expr }[] = [];
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p)) entries.push({ key: this.propertyKey(p.name), value: this.expr(p.initializer, depth + 1) });
        else if (ts.isShorthandPropertyAssignment(p)) entries.push({ key: this.propertyKey(p.name), value: { kind: 'ref', path: p.name.text, range: this.range(p) } });
      }
      return { kind: 'dict', entries, range };
    }
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) return { kind: 'call', callee: this.callee(e.expression), args: this.args(e.arguments ?? []), range };
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand))
      return { kind: 'num', value: -Number(e.operand.text), text: e.getText(this.sf), range };
    return this.other(e);
  }

  private propertyKey(name: TS.PropertyName): Expr {
    const { ts } = this;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return { kind: 'str', value: name.text, range: this.range(name) };
    return this.other(name);
  }

  private template(e: TS.TemplateExpression): string {
    return e.head.text + e.templateSpans.map((s) => `{${s.expression.getText(this.sf)}}${s.literal.text}`).join('');
  }

  private literal(e: TS.Expression | undefined): string | number | undefined {
    if (!e) return undefined;
    const x = this.expr(e, 0);
    return x.kind === 'str' || x.kind === 'num' ? x.value : undefined;
  }

  private other(n: TS.Node): Expr {
    const text = n.getText(this.sf);
    return { kind: 'other', text: text.length > 200 ? text.slice(0, 200) + '…' : text, range: this.range(n) };
  }

  private jsdoc(n: TS.Node): JsDocInfo | undefined {
    const { ts } = this;
    const docs = (n as { jsDoc?: TS.JSDoc[] }).jsDoc;
    if (!docs?.length) return undefined;
    const info: JsDocInfo = {};
    for (const d of docs) {
      if (typeof d.comment === 'string') info.text = d.comment;
      for (const t of d.tags ?? []) {
        if (t.tagName.text === 'deprecated') info.deprecated = ts.getTextOfJSDocComment(t.comment) ?? '';
      }
    }
    return info;
  }

  private exp(name: string, node: TS.Node, local?: string): TsExport {
    return { name, range: this.range(node), jsdoc: this.jsdoc(node), ...(local && local !== name ? { local } : {}) };
  }

  private isExported(s: TS.Node): boolean {
    const { ts } = this;
    return ts.canHaveModifiers(s) && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  }

  private isDefault(s: TS.Node): boolean {
    const { ts } = this;
    return ts.canHaveModifiers(s) && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  }

  private range(n: TS.Node): Range {
    return this.span(n.getStart(this.sf), n.getEnd());
  }

  private span(start: number, end: number): Range {
    const s = this.sf.getLineAndCharacterOfPosition(start);
    const e = this.sf.getLineAndCharacterOfPosition(end);
    return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
  }
}
