import { FIELDS, lines, pascal, plural, VERBS, type Rng } from './prng';

/** One Python sub-package of the synthetic backend: `acme.<domain>.<sub>` around one entity. */
export interface PySub {
  domain: string;
  sub: string;
  entity: string;
  /** `acme.<domain>.<sub>` */
  module: string;
  hasAdminRouter: boolean;
  hasLegacy: boolean;
}

function fieldsOf(rng: Rng, n: number): string[] {
  return rng.sample(FIELDS, n);
}

function columnFor(field: string): string {
  if (field.endsWith('_at')) return 'Column(DateTime, nullable=True)';
  if (field.endsWith('_id')) return 'Column(Integer, nullable=False, index=True)';
  if (field.startsWith('is_')) return 'Column(Boolean, nullable=False, server_default="true")';
  if (field === 'amount_cents' || field === 'quantity' || field === 'priority' || field === 'version') return 'Column(Integer, nullable=False, default=0)';
  if (field === 'score') return 'Column(Numeric(precision=6, scale=2), nullable=True)';
  return `Column(String(${field === 'description' || field === 'notes' ? 500 : 64}), nullable=True)`;
}

function pyType(field: string): string {
  if (field.endsWith('_at')) return 'Optional[datetime]';
  if (field.endsWith('_id') || field === 'amount_cents' || field === 'quantity' || field === 'priority' || field === 'version') return 'int';
  if (field.startsWith('is_')) return 'bool';
  if (field === 'score') return 'Optional[float]';
  return 'Optional[str]';
}

export function modelsPy(rng: Rng, s: PySub): string {
  const E = pascal(s.entity);
  const child = `${s.entity}_line`;
  const fields = fieldsOf(rng, rng.int(8, 16));
  return lines(
    `"""Database tables of ${s.module}."""`,
    'from datetime import datetime',
    '',
    'from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, Numeric, String',
    'from sqlalchemy.orm import relationship',
    '',
    'from acme.core.db import Base',
    '',
    '',
    `class ${E}(Base):`,
    `    __tablename__ = "${s.domain}_${plural(s.entity)}"`,
    '',
    '    id = Column(Integer, primary_key=True)',
    ...fields.map((f) => `    ${f} = ${columnFor(f)}`),
    `    lines = relationship("${pascal(child)}", back_populates="${s.entity}", cascade="all, delete-orphan")`,
    '',
    '    def __repr__(self) -> str:',
    `        return f"<${E} {self.id}>"`,
    '',
    '',
    `class ${pascal(child)}(Base):`,
    `    __tablename__ = "${s.domain}_${plural(child)}"`,
    '',
    '    id = Column(Integer, primary_key=True)',
    `    ${s.entity}_id = Column(Integer, ForeignKey("${s.domain}_${plural(s.entity)}.id", ondelete="CASCADE"), nullable=False)`,
    '    position = Column(Integer, nullable=False, default=0)',
    '    payload = Column(String(2000), nullable=True)',
    '    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)',
    `    ${s.entity} = relationship("${E}", back_populates="lines")`,
  );
}

export function schemasPy(rng: Rng, s: PySub): string {
  const E = pascal(s.entity);
  const fields = fieldsOf(rng, rng.int(6, 12));
  return lines(
    `"""Request and response bodies of ${s.module}."""`,
    'from datetime import datetime',
    'from enum import Enum',
    'from typing import List, Optional',
    '',
    'from pydantic import BaseModel, Field, validator',
    '',
    '',
    `class ${E}Status(str, Enum):`,
    '    draft = "draft"',
    '    active = "active"',
    '    archived = "archived"',
    '',
    '',
    `class ${E}Base(BaseModel):`,
    ...fields.map((f) => `    ${f}: ${pyType(f)}${pyType(f).startsWith('Optional') ? ' = None' : ''}`),
    '',
    '',
    `class ${E}Create(${E}Base):`,
    `    """Body of POST /${plural(s.entity).replace(/_/g, '-')}."""`,
    '',
    `    @validator("${fields[0]}", pre=True, always=False)`,
    `    def check_${fields[0]}(cls, value):`,
    '        if value is None:',
    '            return value',
    '        if isinstance(value, str) and not value.strip():',
    `            raise ValueError("${fields[0]} must not be blank")`,
    '        return value',
    '',
    '',
    `class ${E}Update(BaseModel):`,
    ...fields.slice(0, 3).map((f) => `    ${f}: Optional[${pyType(f).replace(/^Optional\[(.*)\]$/, '$1')}] = None`),
    `    status: Optional[${E}Status] = None`,
    '',
    '',
    `class ${E}(${E}Base):`,
    '    id: int',
    `    status: ${E}Status = ${E}Status.draft`,
    '    created_at: datetime',
    '',
    '    class Config:',
    '        orm_mode = True',
    '',
    '',
    `class ${E}Page(BaseModel):`,
    `    items: List[${E}]`,
    '    total: int = Field(ge=0)',
    '    next_cursor: Optional[str] = None',
  );
}

export function routerPy(rng: Rng, s: PySub): string {
  const E = pascal(s.entity);
  const e = s.entity;
  const es = plural(e);
  const url = `/${es.replace(/_/g, '-')}`;
  return lines(
    'from typing import List',
    '',
    'from fastapi import APIRouter, Depends, HTTPException, status',
    'from sqlalchemy.orm import Session',
    '',
    'from acme.core.db import get_session',
    `from .schemas import ${E}, ${E}Create, ${E}Update`,
    `from .service import ${E}NotFoundError, ${E}Service`,
    '',
    `router = APIRouter(prefix="${url}", tags=["${s.domain}:${es}"])`,
    s.hasAdminRouter && `admin_router = APIRouter(prefix="/admin${url}", tags=["${s.domain}:admin"])`,
    '',
    '',
    `def get_service(session: Session = Depends(get_session)) -> ${E}Service:`,
    `    return ${E}Service(session)`,
    '',
    '',
    `@router.get("", response_model=List[${E}])`,
    `def list_${es}(limit: int = 50, offset: int = 0, service: ${E}Service = Depends(get_service)) -> List[${E}]:`,
    `    return service.list_${es}(limit=limit, offset=offset)`,
    '',
    '',
    `@router.get("/{${e}_id}", response_model=${E})`,
    `def get_${e}(${e}_id: int, service: ${E}Service = Depends(get_service)) -> ${E}:`,
    '    try:',
    `        return service.get_${e}(${e}_id)`,
    `    except ${E}NotFoundError:`,
    `        raise HTTPException(status.HTTP_404_NOT_FOUND, "${e.replace(/_/g, ' ')} not found")`,
    '',
    '',
    `@router.post("", response_model=${E}, status_code=status.HTTP_201_CREATED)`,
    `def create_${e}(payload: ${E}Create, service: ${E}Service = Depends(get_service)) -> ${E}:`,
    `    return service.create_${e}(payload)`,
    '',
    '',
    `@router.patch("/{${e}_id}", response_model=${E})`,
    `def update_${e}(${e}_id: int, payload: ${E}Update, service: ${E}Service = Depends(get_service)) -> ${E}:`,
    '    try:',
    `        return service.update_${e}(${e}_id, payload)`,
    `    except ${E}NotFoundError:`,
    `        raise HTTPException(status.HTTP_404_NOT_FOUND, "${e.replace(/_/g, ' ')} not found")`,
    '',
    '',
    `@router.delete("/{${e}_id}", status_code=status.HTTP_204_NO_CONTENT${rng.chance(0.1) ? ', deprecated=True' : ''})`,
    `def delete_${e}(${e}_id: int, service: ${E}Service = Depends(get_service)) -> None:`,
    `    service.delete_${e}(${e}_id)`,
    ...(s.hasAdminRouter
      ? ['', '', `@admin_router.post("/{${e}_id}/rebuild", status_code=status.HTTP_202_ACCEPTED)`, `def rebuild_${e}(${e}_id: int, service: ${E}Service = Depends(get_service)) -> dict:`, `    service.rebuild_${es}([${e}_id])`, '    return {"queued": True}']
      : []),
  );
}

export function clientPy(rng: Rng, s: PySub): string {
  const E = pascal(s.entity);
  return lines(
    `"""HTTP client for the external ${s.entity.replace(/_/g, ' ')} provider."""`,
    'import httpx',
    '',
    '',
    `class ${E}Client:`,
    `    def __init__(self, base_url: str, timeout: float = ${rng.int(2, 30)}.0) -> None:`,
    '        self._http = httpx.Client(base_url=base_url, timeout=timeout)',
    '',
    '    def fetch(self, external_id: str) -> dict:',
    `        response = self._http.get(f"/${plural(s.entity)}/{external_id}")`,
    '        response.raise_for_status()',
    '        return response.json()',
    '',
    '    def push(self, payload: dict) -> str:',
    `        response = self._http.post("/${plural(s.entity)}", json=payload)`,
    '        response.raise_for_status()',
    '        return response.json()["id"]',
    '',
    '    def fetch_many(self, external_ids: list, retries: int = 3) -> list:',
    '        results = []',
    '        for external_id in external_ids:',
    '            for attempt in range(retries):',
    '                try:',
    '                    results.append(self.fetch(external_id))',
    '                    break',
    '                except httpx.TransportError:',
    '                    if attempt == retries - 1:',
    '                        raise',
    '        return results',
    '',
    '    def close(self) -> None:',
    '        self._http.close()',
  );
}

export function tasksPy(rng: Rng, s: PySub): string {
  const E = pascal(s.entity);
  const verb = rng.pick(VERBS);
  const source = s.hasLegacy ? `from .legacy_service import Legacy${E}Service as ${E}Service` : `from .service import ${E}Service`;
  return lines(
    `"""Background jobs of ${s.module}."""`,
    'from acme.core.db import session_scope',
    source,
    '',
    '',
    `def ${verb}_all(batch: int = ${rng.pick([100, 500, 1000])}) -> int:`,
    '    with session_scope() as session:',
    `        service = ${E}Service(session)`,
    `        ids = [row.id for row in service.list_${plural(s.entity)}(limit=batch)]`,
    `        return service.${verb}_${plural(s.entity)}(ids)`,
  );
}

export function testPy(rng: Rng, s: PySub): string {
  const E = pascal(s.entity);
  const n = rng.int(4, 14);
  const tests: string[] = [];
  for (let i = 0; i < n; i++) {
    tests.push(
      '',
      '',
      `def test_${s.entity}_case_${i}(session):`,
      `    service = ${E}Service(session)`,
      `    created = service.create_${s.entity}(${E}Create())`,
      `    assert service.get_${s.entity}(created.id).id == created.id`,
      `    listed = service.list_${plural(s.entity)}(limit=${rng.int(1, 100)})`,
      '    assert any(item.id == created.id for item in listed)',
      i % 2 ? `    service.delete_${s.entity}(created.id)` : `    assert created.id > ${i}`,
      i % 3 ? `    with pytest.raises(${E}NotFoundError):\n        service.get_${s.entity}(-${i + 1})` : '    session.rollback()',
    );
  }
  return lines('import pytest', '', `from ${s.module}.schemas import ${E}Create`, `from ${s.module}.service import ${E}NotFoundError, ${E}Service`, ...tests);
}
