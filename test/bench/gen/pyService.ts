import { lines, pascal, plural, VERBS, type Rng } from './prng';
import type { PySub } from './pyModules';

/** A method of a service or repository: decorator lines, signature and a body of realistic length. */
function method(rng: Rng, s: PySub, kind: string, cache: { read: boolean; write: boolean }): string[] {
  const E = pascal(s.entity);
  const e = s.entity;
  const es = plural(e);
  const out: string[] = [];
  const key = `${s.domain}:${e}`;
  const subject = kind === 'list' || kind === 'count' ? es : e;
  const doc = rng.chance(0.6)
    ? [
        `        """${pascal(kind.replace(/_\d+$/, ''))} ${subject.replace(/_/g, ' ')} for the ${s.domain} domain.`,
        '',
        `        Callers hold the session; this method ${rng.pick(['commits', 'flushes', 'only reads'])} and logs at ${rng.pick(['debug', 'info'])} level.`,
        `        Raises ${E}NotFoundError when the ${e.replace(/_/g, ' ')} does not exist.`,
        '        """',
      ]
    : [];
  const ttl = rng.pick([30, 60, 120, 300, 600, 3600]);
  switch (kind) {
    case 'get':
      if (cache.read) out.push(`    @cached(ttl=${ttl}, key_prefix="${key}:detail")`);
      out.push(
        `    def get_${e}(self, ${e}_id: int) -> ${E}:`,
        `        ${e} = self.session.get(${E}, ${e}_id)`,
        `        if ${e} is None:`,
        `            raise ${E}NotFoundError(${e}_id)`,
        `        return ${e}`,
      );
      break;
    case 'list':
      if (cache.read) out.push(rng.chance(0.8) ? `    @cached(ttl=${ttl}, key_prefix="${key}:list")` : `    @cached(key_prefix="${key}:list")`);
      out.push(
        `    def list_${es}(self, owner_id: Optional[int] = None, limit: int = PAGE_SIZE, offset: int = 0) -> List[${E}]:`,
        `        query = select(${E}).order_by(${E}.id.desc())`,
        '        if owner_id is not None:',
        `            query = query.where(${E}.owner_id == owner_id)`,
        '        rows = self.session.execute(query.limit(limit).offset(offset)).scalars().all()',
        `        logger.debug("listed %d ${es}", len(rows))`,
        '        return list(rows)',
      );
      break;
    case 'count':
      if (cache.read) out.push(`    @cached(ttl=${ttl}, key_prefix="${key}:count")`);
      out.push(
        `    def count_${es}(self, since: Optional[datetime] = None) -> int:`,
        `        query = select(func.count(${E}.id))`,
        '        if since is not None:',
        `            query = query.where(${E}.created_at >= since)`,
        '        return int(self.session.scalar(query) or 0)',
      );
      break;
    case 'create':
      if (cache.write) out.push(`    @invalidate_cache("${key}:*")`);
      out.push(
        `    def create_${e}(self, payload: ${E}Create) -> ${E}:`,
        `        ${e} = ${E}(**payload.dict())`,
        `        self.session.add(${e})`,
        '        self.session.commit()',
        `        self.session.refresh(${e})`,
        `        logger.info("created ${e} %s", ${e}.id)`,
        `        return ${e}`,
      );
      break;
    case 'update':
      if (cache.write) out.push(`    @invalidate_cache("${key}:detail", "${key}:list")`);
      out.push(
        `    def update_${e}(self, ${e}_id: int, payload: ${E}Update) -> ${E}:`,
        `        ${e} = self.get_${e}(${e}_id)`,
        '        for field, value in payload.dict(exclude_unset=True).items():',
        `            setattr(${e}, field, value)`,
        `        ${e}.updated_at = datetime.utcnow()`,
        '        self.session.commit()',
        `        return ${e}`,
      );
      break;
    case 'delete':
      if (cache.write) out.push(`    @invalidate_cache("${key}:*")`);
      out.push(
        `    def delete_${e}(self, ${e}_id: int) -> None:`,
        `        ${e} = self.get_${e}(${e}_id)`,
        `        self.session.delete(${e})`,
        '        self.session.commit()',
      );
      break;
    default: {
      const verb = kind.replace(/_\d+$/, '');
      if (cache.write && rng.chance(0.5)) out.push(`    @invalidate_cache("${key}:list")`);
      out.push(
        `    def ${kind}_${es}(self, ids: Iterable[int], dry_run: bool = False, reason: Optional[str] = None) -> int:`,
        '        changed = 0',
        '        skipped: List[int] = []',
        '        if reason is not None and len(reason) > 200:',
        '            raise ValueError("reason is limited to 200 characters")',
        '        for chunk_start in range(0, len(list(ids)), PAGE_SIZE):',
        `            rows = self.session.execute(select(${E}).where(${E}.id.in_(list(ids)[chunk_start:chunk_start + PAGE_SIZE]))).scalars()`,
        '            for row in rows:',
        `                if row.status == "archived":`,
        '                    skipped.append(row.id)',
        '                    continue',
        `                if row.${rng.pick(['due_at', 'closed_at', 'updated_at'])} is not None and row.status == "${rng.pick(['draft', 'active'])}":`,
        `                    row.status = "${rng.pick(['active', 'archived', 'draft'])}"`,
        `                row.updated_at = datetime.utcnow()`,
        '                changed += 1',
        '        if not dry_run:',
        '            self.session.commit()',
        `        logger.info("${verb} touched %d ${es} (skipped %d, reason %s)", changed, len(skipped), reason)`,
        '        return changed',
      );
    }
  }
  out.splice(out.findIndex((l) => l.startsWith('    def ')) + 1, 0, ...doc);
  return out;
}

export function servicePy(rng: Rng, s: PySub, opts: { legacy?: boolean } = {}): string {
  const E = pascal(s.entity);
  const cls = opts.legacy ? `Legacy${E}Service` : `${E}Service`;
  const verbs = rng.chance(0.05) ? Array.from({ length: rng.int(25, 45) }, (_, i) => `${rng.pick(VERBS)}_${i}`) : rng.sample(VERBS, rng.int(2, 8));
  const kinds = ['get', 'list', 'create', 'update', 'delete', ...(rng.chance(0.6) ? ['count'] : []), ...verbs];
  const cache = { read: rng.chance(0.55), write: rng.chance(0.8) };
  const body = kinds.flatMap((k) => ['', ...method(rng, s, k, cache)]);
  const header = opts.legacy
    ? [
        `"""Legacy ${s.entity.replace(/_/g, ' ')} service.`,
        '',
        `DEPRECATED: use ${s.module}.service instead. This module keeps the old float amounts and`,
        'is only imported by the nightly export; it is removed once that job is migrated.',
        '"""',
        'import warnings',
      ]
    : [`"""${E} service: the use cases around ${plural(s.entity).replace(/_/g, ' ')} in ${s.domain}."""`];
  return lines(
    ...header,
    'import logging',
    'from datetime import datetime',
    'from typing import Iterable, List, Optional',
    '',
    'from sqlalchemy import func, select',
    'from sqlalchemy.orm import Session',
    '',
    'from acme.core.cache import cached, invalidate_cache',
    `from .models import ${E}`,
    `from .schemas import ${E}Create, ${E}Update`,
    '',
    opts.legacy && `warnings.warn("${s.module}.legacy_service is deprecated; use ${s.module}.service", DeprecationWarning, stacklevel=2)`,
    opts.legacy && '',
    'logger = logging.getLogger(__name__)',
    '',
    `PAGE_SIZE = ${rng.pick([25, 50, 100, 200])}`,
    '',
    '',
    `class ${E}NotFoundError(LookupError):`,
    '    pass',
    '',
    '',
    `class ${cls}:`,
    `    """Reads and writes ${plural(s.entity).replace(/_/g, ' ')}; routers and tasks go through here."""`,
    '',
    '    def __init__(self, session: Session) -> None:',
    '        self.session = session',
    ...body,
  );
}

export function repositoryPy(rng: Rng, s: PySub): string {
  const E = pascal(s.entity);
  const e = s.entity;
  const extra = rng.sample(['by_reference', 'by_owner', 'recent', 'stale', 'by_status', 'by_tenant', 'overdue', 'unsynced'], rng.int(2, 7));
  return lines(
    `"""Persistence for ${plural(e).replace(/_/g, ' ')}."""`,
    'from datetime import datetime, timedelta',
    'from typing import List, Optional',
    '',
    'from sqlalchemy import select',
    'from sqlalchemy.orm import Session',
    '',
    `from .models import ${E}`,
    '',
    '',
    `class ${E}Repository:`,
    '    def __init__(self, session: Session) -> None:',
    '        self.session = session',
    '',
    `    def get(self, ${e}_id: int) -> Optional[${E}]:`,
    `        return self.session.get(${E}, ${e}_id)`,
    '',
    `    def add(self, ${e}: ${E}) -> ${E}:`,
    `        self.session.add(${e})`,
    '        self.session.flush()',
    `        return ${e}`,
    ...extra.flatMap((x) => [
      '',
      `    def find_${x}(self, value: Optional[str] = None, days: int = ${rng.int(1, 90)}) -> List[${E}]:`,
      `        query = select(${E})`,
      '        if value is not None:',
      `            query = query.where(${E}.${x === 'by_owner' ? 'owner_id' : x === 'by_tenant' ? 'tenant_id' : x === 'by_status' ? 'status' : 'reference'} == value)`,
      '        cutoff = datetime.utcnow() - timedelta(days=days)',
      `        query = query.where(${E}.created_at >= cutoff)`,
      '        return list(self.session.execute(query).scalars())',
    ]),
  );
}

