import fs = require('node:fs');
import path = require('node:path');
import type * as TS from 'typescript';
import type { Range } from '../../findings';
import { tsMorph } from '../../vendor';
import type { ContractChange } from './diff';
import { keyOf, type Model } from './model';

export interface UseSite {
  file: string;
  range: Range;
  change: ContractChange;
}

export interface UsesInput {
  /** Absolute workspace root. */
  root: string;
  /** Workspace-relative path of the generated module. */
  generated: string;
  /** Its text before the change: uses are resolved against the declarations they were written for. */
  oldText: string;
  oldModel: Model;
  changes: ContractChange[];
  /** Workspace-relative files that import the generated module (directly or through a wrapper). */
  importers: string[];
}

type TsMorph = typeof import('ts-morph');

/**
 * A URL as a comparable shape: parameters (`{invoice_id}`, `${id}`) become
 * `{}`, the query is dropped, and a base URL or query placed by a substitution
 * at either end (`${BASE}/api/x${suffix}`) is ignored.
 */
export function urlShape(url: string): string {
  let s = url.split('?')[0].replace(/\{[^{}]*\}/g, '{}');
  if (s.startsWith('{}/')) s = s.slice(2);
  if (s.endsWith('{}') && !s.endsWith('/{}')) s = s.slice(0, -2);
  return s;
}

function nearestTsconfig(root: string, fromAbs: string): string | undefined {
  let dir = path.dirname(fromAbs);
  for (;;) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) return undefined;
    dir = path.dirname(dir);
  }
}

function compilerOptions(morph: TsMorph, root: string, near: string): TS.CompilerOptions {
  const ts = morph.ts;
  const config = nearestTsconfig(root, near);
  let options: TS.CompilerOptions = {};
  if (config) {
    const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (parsed) options = parsed.options;
  }
  // Only the files handed in are loaded: no node_modules, no @types, a small lib.
  return { ...options, noResolve: true, types: [], lib: ['lib.es2022.d.ts'], noEmit: true, allowJs: true, skipLibCheck: true, jsx: options.jsx ?? ts.JsxEmit.Preserve };
}

/**
 * Finds each use of a changed member in the importing files. A ts-morph
 * Project is opened over those files only, with the generated module's OLD
 * text in memory (the new one may no longer declare what the code uses);
 * every property access, element access, destructuring, object literal,
 * indexed access type and type reference is resolved to its declaration, and
 * kept when that declaration is a changed member. Removed paths are also
 * found as string literals (`client.GET("/api/v1/…")`).
 */
export function findUses(input: UsesInput): UseSite[] {
  if (!input.changes.length || !input.importers.length) return [];
  const morph = tsMorph();
  const ts = morph.ts;
  const root = path.resolve(input.root);
  const genAbs = path.join(root, ...input.generated.split('/'));
  const project = new morph.Project({
    compilerOptions: compilerOptions(morph, root, path.join(root, ...input.importers[0].split('/'))),
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  const generated = project.createSourceFile(genAbs, input.oldText, { overwrite: true }).compilerNode;
  const files = input.importers.flatMap((rel) => {
    const sf = project.addSourceFileAtPathIfExists(path.join(root, ...rel.split('/')));
    return sf ? [{ rel, sf: sf.compilerNode }] : [];
  });
  const checker = project.getTypeChecker().compilerObject;

  const keyAt = new Map<number, string>();
  for (const [k, m] of input.oldModel) keyAt.set(m.pos, k);
  const changeOf = new Map(input.changes.map((c) => [keyOf(c.path), c]));
  const pathLiteral = new Map<string, ContractChange>();
  for (const c of input.changes) if (c.path[0] === 'paths' && c.path.length === 2 && c.kind !== 'type') pathLiteral.set(urlShape(c.path[1]), c);

  const changeForSymbol = (symbol: TS.Symbol | undefined): ContractChange | undefined => {
    if (!symbol) return undefined;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const d of target.declarations ?? []) {
      if (d.getSourceFile() !== generated) continue;
      const key = keyAt.get(d.getStart(generated));
      const change = key !== undefined ? changeOf.get(key) : undefined;
      if (change) return change;
    }
    return undefined;
  };
  const propertyOf = (type: TS.Type | undefined, name: string) => (type ? checker.getPropertyOfType(checker.getNonNullableType(type), name) : undefined);
  const nameText = (n: TS.Node | undefined) => (n && (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) ? n.text : undefined);

  const sites: UseSite[] = [];
  for (const { rel, sf } of files) {
    const seen = new Set<number>();
    const hit = (node: TS.Node, change: ContractChange | undefined) => {
      if (!change || seen.has(node.getStart(sf))) return;
      seen.add(node.getStart(sf));
      const s = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      const e = sf.getLineAndCharacterOfPosition(node.getEnd());
      sites.push({ file: rel, range: { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } }, change });
    };
    const visit = (node: TS.Node): void => {
      const parent = node.parent;
      if (ts.isIdentifier(node) || ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (!(parent && (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)))) {
          hit(node, changeForSymbol(checker.getSymbolAtLocation(node)));
          if (!ts.isIdentifier(node)) hit(node, pathLiteral.get(urlShape(node.text)));
        }
      } else if (ts.isTemplateExpression(node)) {
        hit(node, pathLiteral.get(urlShape(node.head.text + node.templateSpans.map((sp) => '{}' + sp.literal.text).join(''))));
      } else if (ts.isBindingElement(node) && !node.propertyName && ts.isObjectBindingPattern(node.parent) && ts.isIdentifier(node.name)) {
        hit(node.name, changeForSymbol(propertyOf(checker.getTypeAtLocation(node.parent), node.name.text)));
      } else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isObjectLiteralExpression(node.parent)) {
        const name = nameText(node.name);
        if (name !== undefined) hit(node.name, changeForSymbol(propertyOf(checker.getContextualType(node.parent), name)));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return sites.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
