import { ENTITIES, FIELDS, plural, type Rng } from './prng';
import type { Sink } from './sink';

export interface AlembicHistory {
  /** Workspace-relative paths. */
  ini: string;
  scriptLocation: string;
  versionsDir: string;
  revisions: number;
  /** What `alembic heads` must print (one entry when the history ends merged). */
  heads: string[];
  bases: string[];
  merges: string[];
  /** Revisions with more than one child. */
  branchPoints: number;
  /** File of the newest revision, relative to the workspace. */
  latestFile: string;
}

interface Rev {
  id: string;
  down: string[];
  dependsOn?: string;
  date: Date;
  message: string;
}

const INI = `# A generic, single-database configuration.

[alembic]
script_location = %(here)s/alembic
file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s
truncate_slug_length = 40
prepend_sys_path = src
version_path_separator = os
sqlalchemy.url = postgresql+psycopg2://acme:acme@localhost:5432/acme

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`;

const ENV = `from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from acme.core.db import Base

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`;

const MAKO = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

const pad = (n: number) => String(n).padStart(2, '0');

/** Alembic's own slug: word characters joined by `_`, cut at a word boundary past 40 characters. */
function slugOf(message: string): string {
  let slug = (message.match(/\w+/g) ?? []).join('_').toLowerCase();
  if (slug.length > 40) slug = slug.slice(0, 40).split('_').slice(0, -1).join('_') + '_';
  return slug;
}

function fileName(r: Rev): string {
  const d = r.date;
  return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}-${r.id}_${slugOf(r.message)}.py`;
}

function operations(rng: Rng, message: string): { up: string[]; down: string[] } {
  const table = `${rng.pick(['billing', 'booking', 'catalog', 'identity', 'messaging'])}_${plural(rng.pick(ENTITIES))}`;
  if (message.startsWith('create')) {
    const cols = rng.sample(FIELDS, rng.int(3, 9));
    return {
      up: [
        `    op.create_table(`,
        `        "${table}",`,
        '        sa.Column("id", sa.Integer(), nullable=False),',
        ...cols.map((c) => `        sa.Column("${c}", ${c.endsWith('_at') ? 'sa.DateTime()' : c.endsWith('_id') ? 'sa.Integer()' : 'sa.String(length=64)'}, nullable=True),`),
        '        sa.PrimaryKeyConstraint("id"),',
        '    )',
        `    op.create_index(op.f("ix_${table}_created_at"), "${table}", ["created_at"], unique=False)`,
      ],
      down: [`    op.drop_index(op.f("ix_${table}_created_at"), table_name="${table}")`, `    op.drop_table("${table}")`],
    };
  }
  const col = rng.pick(FIELDS);
  return {
    up: [`    op.add_column("${table}", sa.Column("${col}", sa.String(length=${rng.pick([32, 64, 255])}), nullable=True))`, ...(rng.chance(0.4) ? [`    op.execute("UPDATE ${table} SET ${col} = '' WHERE ${col} IS NULL")`] : [])],
    down: [`    op.drop_column("${table}", "${col}")`],
  };
}

function revisionFile(rng: Rng, r: Rev): string {
  const merge = r.down.length > 1;
  const down = r.down.length === 0 ? 'None' : merge ? `(\n${r.down.map((d) => `    "${d}",`).join('\n')}\n)` : `"${r.down[0]}"`;
  const ops = merge ? { up: ['    pass'], down: ['    pass'] } : operations(rng, r.message);
  const d = r.date;
  const created = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(rng.int(0, 999999)).padStart(6, '0')}`;
  return [
    `"""${r.message}`,
    '',
    `Revision ID: ${r.id}`,
    `Revises: ${r.down.join(', ')}`,
    `Create Date: ${created}`,
    '',
    '"""',
    'from alembic import op',
    'import sqlalchemy as sa',
    '',
    '',
    '# revision identifiers, used by Alembic.',
    `revision = "${r.id}"`,
    `down_revision = ${down}`,
    'branch_labels = None',
    `depends_on = ${r.dependsOn ? `("${r.dependsOn}",)` : 'None'}`,
    '',
    '',
    'def upgrade() -> None:',
    ...ops.up,
    '',
    '',
    'def downgrade() -> None:',
    ...ops.down,
    '',
  ].join('\n');
}

/**
 * An Alembic environment with `count` revisions: a mostly linear history with branches that
 * later merge (sometimes two of three open heads at once), `depends_on` links to older
 * revisions, a `file_template` with dates, and exactly one head at the end.
 */
export function generateAlembic(rng: Rng, sink: Sink, count: number, base = 'backend'): AlembicHistory {
  sink.add(`${base}/alembic.ini`, INI);
  sink.add(`${base}/alembic/env.py`, ENV);
  sink.add(`${base}/alembic/script.py.mako`, MAKO);
  const revs: Rev[] = [];
  const ids = new Set<string>();
  const children = new Map<string, number>();
  let heads: string[] = [];
  let branched = 0;
  let t = Date.UTC(2021, 0, 4, 9, 0, 0);
  const freshId = () => {
    let id = rng.hex(12);
    while (ids.has(id)) id = rng.hex(12);
    ids.add(id);
    return id;
  };
  for (let i = 0; i < count; i++) {
    const remaining = count - i;
    let down: string[];
    let message: string;
    if (i === 0) {
      down = [];
      message = 'initial schema';
    } else if (heads.length > 1 && (remaining === 1 || rng.chance(0.3))) {
      down = remaining === 1 || heads.length === 2 || rng.chance(0.5) ? [...heads] : rng.sample(heads, 2);
      message = 'merge heads';
    } else if (heads.length < 3 && remaining > 12 && revs.length > 5 && (rng.chance(0.05) || (branched === 0 && i >= count / 3))) {
      // Every history of 20 or more revisions branches at least once.
      const parent = branched === 0 ? revs[revs.length - 2].id : rng.pick(revs.slice(-8)).id;
      branched++;
      down = [parent];
      message = `create ${rng.pick(ENTITIES)} tables`;
    } else {
      down = [rng.pick(heads)];
      message = rng.chance(0.4) ? `create ${rng.pick(ENTITIES)} table` : `add ${rng.pick(FIELDS)} to ${plural(rng.pick(ENTITIES))}`;
    }
    t += rng.int(2, 72) * 3_600_000 + rng.int(0, 59) * 60_000;
    const r: Rev = { id: freshId(), down, date: new Date(t), message };
    if (revs.length > 20 && down.length === 1 && rng.chance(0.03)) r.dependsOn = revs[rng.int(0, revs.length - 15)].id;
    for (const d of down) children.set(d, (children.get(d) ?? 0) + 1);
    heads = [...heads.filter((h) => !down.includes(h)), r.id];
    revs.push(r);
  }
  const versionsDir = `${base}/alembic/versions`;
  let latestFile = '';
  for (const r of revs) {
    latestFile = `${versionsDir}/${fileName(r)}`;
    sink.add(latestFile, revisionFile(rng, r));
  }
  return {
    ini: `${base}/alembic.ini`,
    scriptLocation: `${base}/alembic`,
    versionsDir,
    revisions: revs.length,
    heads,
    bases: revs.filter((r) => r.down.length === 0).map((r) => r.id),
    merges: revs.filter((r) => r.down.length > 1).map((r) => r.id),
    branchPoints: [...children.values()].filter((n) => n > 1).length,
    latestFile,
  };
}
