import type * as TS from 'typescript';
import { loadTs } from '../../parsing/typescript';

/** One declared type or property of a generated file. */
export interface Member {
  /** `['components', 'schemas', 'Invoice', 'total_cents']`. */
  path: string[];
  kind: 'type' | 'property';
  optional: boolean;
  /** The type as printed without comments; `{}` for an object literal whose members are listed separately. */
  type: string;
  /** Offset of the declaring node (interface, alias, property signature, enum member). */
  pos: number;
  /** 0-based line of the declaration. */
  line: number;
}

export type Model = Map<string, Member>;

/** Separator of path segments in model keys (segments may hold `.` and `/`). */
export const SEP = '\u0000';
export const keyOf = (segments: string[]): string => segments.join(SEP);

/**
 * The declarations of a generated types file as a flat map: every top-level
 * interface, type alias and enum, and every property of the object types
 * nested inside them. Works on any generator's output; openapi-typescript's
 * `paths`/`components`/`operations` become ordinary nested paths.
 */
export function declarationModel(text: string, fileName = 'generated.ts'): Model {
  const ts = loadTs();
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const printer = ts.createPrinter({ removeComments: true, omitTrailingSemicolon: true });
  const model: Model = new Map();
  const print = (n: TS.Node) => printer.printNode(ts.EmitHint.Unspecified, n, sf).replace(/\s+/g, ' ').trim();
  const lineOf = (n: TS.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
  const put = (m: Member) => model.set(keyOf(m.path), m);

  const nameOf = (name: TS.PropertyName | TS.BindingName): string | undefined => {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
    if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
    return undefined;
  };

  const members = (list: readonly TS.TypeElement[], parent: string[]) => {
    for (const el of list) {
      if (ts.isPropertySignature(el) || ts.isMethodSignature(el)) {
        const name = nameOf(el.name);
        if (name === undefined) continue;
        const path = [...parent, name];
        const typeNode = ts.isPropertySignature(el) ? el.type : undefined;
        const literal = typeNode ? objectLiteral(typeNode) : undefined;
        put({ path, kind: 'property', optional: !!el.questionToken, type: literal ? literal.shape : typeNode ? print(typeNode) : print(el), pos: el.getStart(sf), line: lineOf(el) });
        if (literal) members(literal.node.members, literal.arrayDepth ? [...path, '[]'.repeat(literal.arrayDepth)] : path);
      } else if (ts.isIndexSignatureDeclaration(el)) {
        const param = el.parameters[0];
        const path = [...parent, `[${param?.type ? print(param.type) : 'key'}]`];
        const literal = objectLiteral(el.type);
        put({ path, kind: 'property', optional: false, type: literal ? literal.shape : print(el.type), pos: el.getStart(sf), line: lineOf(el) });
        if (literal) members(literal.node.members, path);
      }
    }
  };

  /** `{…}`, `{…}[]`, `({…})[][]`: the literal and how many array levels wrap it. */
  const objectLiteral = (node: TS.TypeNode): { node: TS.TypeLiteralNode; arrayDepth: number; shape: string } | undefined => {
    let n = node;
    let depth = 0;
    for (;;) {
      if (ts.isParenthesizedTypeNode(n)) n = n.type;
      else if (ts.isArrayTypeNode(n)) {
        depth++;
        n = n.elementType;
      } else break;
    }
    return ts.isTypeLiteralNode(n) ? { node: n, arrayDepth: depth, shape: '{}' + '[]'.repeat(depth) } : undefined;
  };

  for (const s of sf.statements) {
    if (ts.isInterfaceDeclaration(s)) {
      put({ path: [s.name.text], kind: 'type', optional: false, type: '{}', pos: s.getStart(sf), line: lineOf(s) });
      members(s.members, [s.name.text]);
    } else if (ts.isTypeAliasDeclaration(s)) {
      const literal = objectLiteral(s.type);
      put({ path: [s.name.text], kind: 'type', optional: false, type: literal ? literal.shape : print(s.type), pos: s.getStart(sf), line: lineOf(s) });
      if (literal) members(literal.node.members, literal.arrayDepth ? [s.name.text, '[]'.repeat(literal.arrayDepth)] : [s.name.text]);
    } else if (ts.isEnumDeclaration(s)) {
      put({ path: [s.name.text], kind: 'type', optional: false, type: 'enum', pos: s.getStart(sf), line: lineOf(s) });
      for (const m of s.members) {
        const name = nameOf(m.name);
        if (name !== undefined) put({ path: [s.name.text, name], kind: 'property', optional: false, type: m.initializer ? print(m.initializer) : '', pos: m.getStart(sf), line: lineOf(m) });
      }
    }
  }
  return model;
}

/** Everything under a path, as text: two members with the same shape have the same signature. */
export function signature(model: Model, path: string[]): string {
  const prefix = keyOf(path) + SEP;
  const own = model.get(keyOf(path));
  const parts = [...model.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, m]) => `${k.slice(prefix.length)}${m.optional ? '?' : ''}:${m.type}`)
    .sort();
  return `${own?.optional ? '?' : ''}${own?.type ?? ''}|${parts.join(';')}`;
}
