import { randomBytes } from 'node:crypto';
import type { AlembicEnvResult } from './alembic/analyze';
import { dirOf, joinRel } from './alembic/envSpec';
import type { DateParts } from './alembic/revisionFile';
import { parseTemplate, renderName, slugOf } from './naming';

/** Alembic's own script.py.mako (the plain, annotated one), used when the environment's template is not plain. */
export const BUILTIN_TEMPLATE = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = \${repr(up_revision)}
down_revision: Union[str, None] = \${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = \${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

export interface MergePlan {
  /** Root-relative path of the new file. */
  file: string;
  content: string;
  revision: string;
  heads: string[];
  /** Which template rendered it. */
  template: string;
}

export interface MergeOptions {
  now?: Date;
  message?: string;
  /** The text of the environment's script.py.mako, if it has one. */
  mako?: { file: string; text: string };
  exists: (rel: string) => boolean;
  newId?: () => string;
}

/** Python's `repr` of a str, a tuple of str, or None. */
function pyRepr(v: string | string[] | null): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return `(${v.map((x) => pyRepr(x)).join(', ')}${v.length === 1 ? ',' : ''})`;
  const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
  return quote + v.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n') + quote;
}

/**
 * Renders a Mako revision template when it only uses the expressions of
 * Alembic's stock templates; returns undefined for anything else (control
 * lines, `<% %>` blocks, other expressions), so the caller can fall back.
 */
export function renderPlainMako(template: string, values: { message: string; id: string; heads: string[]; createDate: string }): string | undefined {
  if (/^\s*%(?!%)/m.test(template) || template.includes('<%') || /^\s*##/m.test(template) || /\\\r?\n/.test(template)) return undefined;
  const known: Record<string, string> = {
    message: values.message,
    up_revision: values.id,
    'down_revision|comma,n': values.heads.join(', '),
    create_date: values.createDate,
    'repr(up_revision)': pyRepr(values.id),
    'repr(down_revision)': pyRepr(values.heads),
    'repr(branch_labels)': 'None',
    'repr(depends_on)': 'None',
    'importsifimportselse""': '',
    "importsifimportselse''": '',
    'upgradesifupgradeselse"pass"': 'pass',
    "upgradesifupgradeselse'pass'": 'pass',
    'downgradesifdowngradeselse"pass"': 'pass',
    "downgradesifdowngradeselse'pass'": 'pass',
  };
  let ok = true;
  const out = template.replace(/\$\{([^}]*)\}/g, (_m, expr: string) => {
    const v = known[expr.replace(/\s+/g, '')];
    if (v === undefined) ok = false;
    return v ?? '';
  });
  return ok ? out : undefined;
}

/** `2025-03-03 09:00:37.519640`, Python's str(datetime.now()). */
export function pythonDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

/** A fresh 12-hex revision id, like `alembic.util.rev_id()`. */
export function freshId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = randomBytes(6).toString('hex');
    if (!taken.has(id)) return id;
  }
}

/** The merge revision for an environment with several heads: its path and content. Never an existing path. */
export function planMerge(env: AlembicEnvResult, opts: MergeOptions): MergePlan | Error {
  const heads = env.graph.heads;
  if (heads.length < 2) return new Error(`${env.spec.versions[0]} has ${heads.length} head${heads.length === 1 ? '' : 's'}: nothing to merge`);
  const now = opts.now ?? new Date();
  const id = opts.newId?.() ?? freshId(new Set(env.graph.byId.keys()));
  const message = opts.message ?? 'merge heads';
  const createDate = pythonDate(now);
  const pieces = parseTemplate(env.spec.template.text);
  if (pieces instanceof Error) return new Error(`file_template "${env.spec.template.text}": ${pieces.message}`);
  const date: DateParts = { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate(), hour: now.getHours(), minute: now.getMinutes(), second: now.getSeconds() };
  const name = renderName(pieces, { rev: id, slug: slugOf(message, env.spec.truncateSlug), date }).name;
  const dir = env.spec.versions.length > 1 ? dirOf(env.graph.byId.get(heads[0])!.file) : env.spec.versions[0];
  const file = joinRel(dir, name);
  if (opts.exists(file)) return new Error(`${file} already exists; not overwriting it`);
  const values = { message, id, heads, createDate };
  const own = opts.mako && renderPlainMako(opts.mako.text, values);
  const content = own ?? renderPlainMako(BUILTIN_TEMPLATE, values)!;
  return { file, content, revision: id, heads, template: own ? opts.mako!.file : 'built-in' };
}
