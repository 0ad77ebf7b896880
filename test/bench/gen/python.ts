import { DOMAINS, ENTITIES, pascal, plural, type Rng } from './prng';
import { clientPy, modelsPy, routerPy, schemasPy, tasksPy, testPy, type PySub } from './pyModules';
import { repositoryPy, servicePy } from './pyService';
import type { Sink } from './sink';

const SRC = 'backend/src/acme';
/** The most files one sub-package can take. */
const MAX_SUB_FILES = 11;

const CACHE_PY = `"""Read-through caching for service methods (a Redis stand-in in tests)."""
import fnmatch
import functools
from typing import Any, Callable, Dict, Optional

_store: Dict[str, Any] = {}


def cached(ttl: Optional[int] = None, key_prefix: str = "") -> Callable:
    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = f"{key_prefix}:{args[1:]!r}:{sorted(kwargs.items())!r}"
            if key not in _store:
                _store[key] = fn(*args, **kwargs)
            return _store[key]

        return wrapper

    return decorate


def invalidate_cache(*patterns: str) -> Callable:
    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = fn(*args, **kwargs)
            for key in [k for k in _store if any(fnmatch.fnmatchcase(k, p) for p in patterns)]:
                del _store[key]
            return result

        return wrapper

    return decorate
`;

const DB_PY = `"""Engine, sessions and the declarative base."""
import contextlib
import os
from typing import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///./dev.db"), pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)
Base = declarative_base()


def get_session() -> Iterator[Session]:
    session = SessionLocal()
    try:
        yield session
    finally:
        session.close()


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    session = SessionLocal()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
`;

function utilityPy(rng: Rng, n: number): string {
  const fns: string[] = [];
  for (let i = 0; i < rng.int(4, 12); i++) {
    fns.push(
      '',
      '',
      `def helper_${n}_${i}(values: List[str], limit: int = ${rng.int(1, 99)}) -> Dict[str, int]:`,
      `    """Counts normalised values (${rng.pick(['case-folded', 'trimmed', 'ascii-only'])})."""`,
      '    counts: Dict[str, int] = {}',
      '    for value in values[:limit]:',
      '        key = value.strip().lower()',
      '        counts[key] = counts.get(key, 0) + 1',
      '    return counts',
    );
  }
  return ['"""Shared helpers."""', 'from typing import Dict, List', ...fns].join('\n') + '\n';
}

/**
 * Writes about `budget` Python files: `acme.core`, `acme.main`, then domains with their
 * sub-packages (service, repository, router, models, schemas, tests …), router chains from
 * the app down, and small shared modules to fill the exact count.
 */
export function generatePython(rng: Rng, sink: Sink, budget: number): { subs: PySub[] } {
  const start = sink.count;
  const used = () => sink.count - start;
  sink.add(`${SRC}/__init__.py`, '');
  sink.add(`${SRC}/core/__init__.py`, '');
  sink.add(`${SRC}/core/cache.py`, CACHE_PY);
  sink.add(`${SRC}/core/db.py`, DB_PY);

  const subs: PySub[] = [];
  const byDomain = new Map<string, PySub[]>();
  let round = 0;
  outer: for (;;) {
    for (const domain of DOMAINS) {
      // Room for one more sub-package, plus main.py and each domain's __init__.py and router.py.
      const domainsAfter = byDomain.size + (byDomain.has(domain) ? 0 : 1);
      if (budget - used() - 1 - 2 * domainsAfter < MAX_SUB_FILES) break outer;
      const entity = ENTITIES[(DOMAINS.indexOf(domain) * 7 + round) % ENTITIES.length];
      const sub = round < ENTITIES.length ? plural(entity) : `${plural(entity)}_${Math.floor(round / ENTITIES.length)}`;
      const s: PySub = { domain, sub, entity, module: `acme.${domain}.${sub}`, hasAdminRouter: rng.chance(0.2), hasLegacy: rng.chance(0.08) };
      if (!byDomain.has(domain)) byDomain.set(domain, []);
      byDomain.get(domain)!.push(s);
      subs.push(s);
      writeSub(rng, sink, s);
    }
    round++;
  }
  for (const [domain, list] of byDomain) writeDomain(rng, sink, domain, list);
  sink.add(`${SRC}/main.py`, mainPy([...byDomain.keys()]));
  for (let n = 0; used() < budget; n++) {
    if (n === 0) sink.add(`${SRC}/common/__init__.py`, '');
    else sink.add(`${SRC}/common/helpers_${n}.py`, utilityPy(rng, n));
  }
  return { subs };
}

function writeSub(rng: Rng, sink: Sink, s: PySub): void {
  const dir = `${SRC}/${s.domain}/${s.sub}`;
  sink.add(`${dir}/__init__.py`, rng.chance(0.3) ? `from .service import ${pascal(s.entity)}Service\n` : '');
  sink.add(`${dir}/models.py`, modelsPy(rng, s));
  sink.add(`${dir}/schemas.py`, schemasPy(rng, s));
  sink.add(`${dir}/service.py`, servicePy(rng, s));
  sink.add(`${dir}/repository.py`, repositoryPy(rng, s));
  sink.add(`${dir}/router.py`, routerPy(rng, s));
  if (rng.chance(0.35)) sink.add(`${dir}/client.py`, clientPy(rng, s));
  if (s.hasLegacy) sink.add(`${dir}/legacy_service.py`, servicePy(rng, s, { legacy: true }));
  if (rng.chance(0.5) || s.hasLegacy) sink.add(`${dir}/tasks.py`, tasksPy(rng, s));
  if (rng.chance(0.7)) {
    sink.add(`${dir}/tests/__init__.py`, '');
    sink.add(`${dir}/tests/test_service.py`, testPy(rng, s));
  }
}

function writeDomain(rng: Rng, sink: Sink, domain: string, subs: PySub[]): void {
  sink.add(`${SRC}/${domain}/__init__.py`, `"""The ${domain} domain."""\n`);
  const imports: string[] = [];
  const includes: string[] = [];
  for (const s of subs) {
    imports.push(`from .${s.sub}.router import router as ${s.sub}_router`);
    includes.push(`router.include_router(${s.sub}_router)`);
    if (s.hasAdminRouter) {
      imports.push(`from .${s.sub}.router import admin_router as ${s.sub}_admin_router`);
      includes.push(`internal.include_router(${s.sub}_admin_router)`);
    }
  }
  const tags = rng.chance(0.5) ? `, tags=["${domain}"]` : '';
  sink.add(
    `${SRC}/${domain}/router.py`,
    [
      `"""Every ${domain} route, mounted by the app under the API version prefix."""`,
      'from fastapi import APIRouter',
      '',
      ...imports,
      '',
      `router = APIRouter(prefix="/${domain}"${tags})`,
      'internal = APIRouter(prefix="/internal")',
      ...includes,
      'router.include_router(internal)',
      '',
    ].join('\n'),
  );
}

function mainPy(domains: string[]): string {
  return [
    '"""The ASGI app: every domain router under /api/v1."""',
    'from fastapi import APIRouter, FastAPI',
    '',
    ...domains.map((d) => `from acme.${d}.router import router as ${d}_router`),
    '',
    'app = FastAPI(title="Acme platform")',
    'api_v1 = APIRouter(prefix="/api/v1")',
    ...domains.map((d) => `api_v1.include_router(${d}_router)`),
    'app.include_router(api_v1)',
    '',
  ].join('\n');
}
