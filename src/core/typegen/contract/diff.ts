import { keyOf, SEP, signature, type Member, type Model } from './model';

export type ChangeKind = 'removed' | 'renamed' | 'optional' | 'type';

/** One change of the generated declarations that can break code written against the old ones. */
export interface ContractChange {
  kind: ChangeKind;
  path: string[];
  /** `Invoice.total_cents`, `GET /api/v1/invoices`. */
  display: string;
  /** The new name of a renamed member. */
  renamedTo?: string;
  /** Old and new type text of a type change. */
  from?: string;
  to?: string;
  /** Where the member is declared after the change (renamed, optional, type), 0-based. */
  newLine?: number;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** A member path as people read it: schema names without `components.schemas`, operations as `GET /path`. */
export function displayPath(path: string[]): string {
  const join = (segs: string[]) => segs.join('.').replace(/\.(\[\])/g, '$1');
  const [root, ...rest] = path;
  if (root === 'components' && rest[0] === 'schemas' && rest.length > 1) return join(rest.slice(1));
  if (root === 'paths' && rest.length) {
    const [url, method, ...more] = rest;
    if (method && HTTP_METHODS.has(method)) return `${method.toUpperCase()} ${url}${more.length ? ' ' + join(more) : ''}`;
    return `${url}${method ? ' ' + join([method, ...more]) : ''}`;
  }
  if (root === 'operations' && rest.length) return `operation ${join(rest)}`;
  return join(path);
}

function topMost(keys: Set<string>): string[] {
  return [...keys].filter((k) => {
    const segs = k.split(SEP);
    for (let i = 1; i < segs.length; i++) if (keys.has(segs.slice(0, i).join(SEP))) return false;
    return true;
  });
}

const parentKey = (m: Member) => keyOf(m.path.slice(0, -1));

function tokens(name: string): Set<string> {
  return new Set(
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  );
}

/**
 * Same-typed scalars are common (two `number` fields), so a scalar counts as
 * renamed only when the names also share most of their words; object types
 * with the same members are renames whatever their names.
 */
function plausibleRename(a: Member, b: Member): boolean {
  if (a.type.startsWith('{}') || a.kind === 'type') return true;
  const x = tokens(a.path[a.path.length - 1]);
  const y = tokens(b.path[b.path.length - 1]);
  const shared = [...x].filter((t) => y.has(t)).length;
  return shared / new Set([...x, ...y]).size >= 0.5;
}

/**
 * What changed between two generated files, limited to what can break their
 * users: removed or renamed types and properties (the top-most one only),
 * properties that became optional or changed type, operations that became `never`.
 */
export function diffModels(before: Model, after: Model): ContractChange[] {
  const removed = topMost(new Set([...before.keys()].filter((k) => !after.has(k))));
  const added = topMost(new Set([...after.keys()].filter((k) => !before.has(k))));
  const changes: ContractChange[] = [];

  const addedByParent = new Map<string, Member[]>();
  for (const k of added) {
    const m = after.get(k)!;
    addedByParent.set(parentKey(m), [...(addedByParent.get(parentKey(m)) ?? []), m]);
  }
  const renameOf = new Map<string, Member>();
  const claims = new Map<string, number>();
  for (const k of removed) {
    const m = before.get(k)!;
    const sig = signature(before, m.path);
    const same = (addedByParent.get(parentKey(m)) ?? []).filter((a) => signature(after, a.path) === sig && plausibleRename(m, a));
    if (same.length === 1) {
      renameOf.set(k, same[0]);
      const ak = keyOf(same[0].path);
      claims.set(ak, (claims.get(ak) ?? 0) + 1);
    }
  }
  for (const k of removed) {
    const m = before.get(k)!;
    const to = renameOf.get(k);
    if (to && claims.get(keyOf(to.path)) === 1)
      changes.push({ kind: 'renamed', path: m.path, display: displayPath(m.path), renamedTo: to.path[to.path.length - 1], newLine: to.line });
    else changes.push({ kind: 'removed', path: m.path, display: displayPath(m.path) });
  }

  for (const [k, old] of before) {
    const now = after.get(k);
    if (!now) continue;
    if (now.type === 'never' && old.type !== 'never') {
      changes.push({ kind: 'removed', path: old.path, display: displayPath(old.path) });
      continue;
    }
    if (old.type !== now.type) {
      changes.push({ kind: 'type', path: old.path, display: displayPath(old.path), from: old.type, to: now.type, newLine: now.line });
      continue;
    }
    if (!old.optional && now.optional) changes.push({ kind: 'optional', path: old.path, display: displayPath(old.path), newLine: now.line });
  }
  return changes.sort((a, b) => a.display.localeCompare(b.display));
}

const clip = (s: string) => (s.length > 60 ? s.slice(0, 57) + '…' : s);

/** "`Invoice.total_cents` was removed from the API types". */
export function changePhrase(c: ContractChange): string {
  const name = `\`${c.display}\``;
  switch (c.kind) {
    case 'removed':
      return `${name} was removed from the API types`;
    case 'renamed':
      return `${name} was renamed to \`${c.renamedTo}\` in the API types`;
    case 'optional':
      return `${name} became optional in the API types`;
    case 'type':
      return `${name} changed from \`${clip(c.from ?? '')}\` to \`${clip(c.to ?? '')}\` in the API types`;
  }
}

/** "by the change to billing/models.py". */
export function causePhrase(triggers: readonly string[]): string {
  if (!triggers.length) return 'by the regeneration';
  if (triggers.length === 1) return `by the change to ${triggers[0]}`;
  if (triggers.length === 2) return `by the changes to ${triggers[0]} and ${triggers[1]}`;
  return `by the changes to ${triggers[0]}, ${triggers[1]} and ${triggers.length - 2} more`;
}

/** One line for the log: "contract: 2 breaking changes (`Invoice.total_cents` removed, …)". */
export function changesSummary(changes: readonly ContractChange[]): string {
  if (!changes.length) return 'contract: no breaking change';
  const short = (c: ContractChange) => `\`${c.display}\` ${c.kind === 'renamed' ? `renamed to \`${c.renamedTo}\`` : c.kind === 'type' ? 'changed type' : c.kind === 'optional' ? 'became optional' : 'removed'}`;
  const shown = changes.slice(0, 4).map(short).join(', ');
  return `contract: ${changes.length} breaking change${changes.length === 1 ? '' : 's'} (${shown}${changes.length > 4 ? ', …' : ''})`;
}
