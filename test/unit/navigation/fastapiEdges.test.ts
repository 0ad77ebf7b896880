import * as assert from 'node:assert/strict';
import { analyse, removeTempWorkspaces, routeList, tempWorkspace } from './helpers';

describe('navigation: FastAPI resolution edge cases', () => {
  after(removeTempWorkspaces);

  it('reports what FastAPI itself would reject, and lists the rest', async () => {
    const root = tempWorkspace({
      'main.py': [
        'from fastapi import APIRouter, FastAPI',
        'app = FastAPI()',
        'bad_prefix = APIRouter(prefix="/items/")',
        'empty = APIRouter()',
        '@empty.get("")',
        'def nothing(): ...',
        'ok = APIRouter()',
        '@ok.get("/fine")',
        'def fine(): ...',
        'app.include_router(empty)',
        'app.include_router(ok, prefix="no-slash")',
        'app.include_router(ok, prefix="/v1/")',
        'app.include_router(ok, prefix="/v1")',
        '',
      ].join('\n'),
    });
    const { data } = await analyse(root);
    assert.deepEqual(routeList(data), ['GET /v1/fine']);
    const messages = data.problems.map((p) => `${p.line}: ${p.message}`);
    assert.ok(messages.some((m) => m.startsWith('3: ') && m.includes("must not end with '/'")), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('10: ') && m.includes('Prefix and path cannot be both empty')), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('11: ') && m.includes("must start with '/'")), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('12: ') && m.includes("must not end with '/'")), messages.join('\n'));
  });

  it('says so when a prefix or path is computed at run time, instead of guessing', async () => {
    const root = tempWorkspace({
      'main.py': [
        'from fastapi import APIRouter, FastAPI',
        'from settings import settings',
        'app = FastAPI()',
        'r = APIRouter(prefix=settings.api_prefix)',
        '@r.get(settings.health_path)',
        'def health(): ...',
        '@r.get("/static")',
        'def static(): ...',
        'app.include_router(r)',
        '',
      ].join('\n'),
      'settings.py': 'class Settings:\n    api_prefix = "/api"\nsettings = Settings()\n',
    });
    const { data } = await analyse(root);
    assert.deepEqual(routeList(data), ['GET /static']);
    assert.deepEqual(
      data.problems.map((p) => p.line),
      [4, 5],
    );
  });

  it('lists the routes of unmounted routers when the workspace has no app, and only then', async () => {
    const files = {
      'pkg/__init__.py': '',
      'pkg/routes.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/things")\n@router.get("/{id}")\ndef get(id: int): ...\n',
    };
    const alone = await analyse(tempWorkspace(files));
    assert.deepEqual(routeList(alone.data), ['GET /things/{id}']);
    assert.equal(alone.data.routes[0].app, null);
    const withApp = await analyse(tempWorkspace({ ...files, 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/")\ndef root(): ...\n' }));
    assert.deepEqual(routeList(withApp.data), ['GET /']);
  });

  it('carries deprecated=True from routers and include_router to their routes', async () => {
    const root = tempWorkspace({
      'main.py': [
        'from fastapi import APIRouter, FastAPI',
        'app = FastAPI()',
        'old = APIRouter(prefix="/old", deprecated=True)',
        '@old.get("/a")',
        'def a(): ...',
        'mid = APIRouter(prefix="/mid")',
        '@mid.get("/b")',
        'def b(): ...',
        '@mid.get("/c", deprecated=True)',
        'def c(): ...',
        'app.include_router(old)',
        'app.include_router(mid, deprecated=True)',
        'app.include_router(mid, prefix="/v2")',
        '',
      ].join('\n'),
    });
    const { data } = await analyse(root);
    assert.deepEqual(
      data.routes.map((r) => `${r.path} ${r.deprecated}`),
      ['/old/a true', '/mid/b true', '/mid/c true', '/v2/mid/b false', '/v2/mid/c true'],
    );
    assert.deepEqual(
      data.deprecations.filter((d) => d.kind === 'route').map((d) => d.name),
      ['GET /old/a', 'GET /mid/b', 'GET /mid/c', 'GET /v2/mid/c'],
    );
  });

  it('links services through annotations, Annotated[…, Depends(…)], dependency chains and constructions', async () => {
    const root = tempWorkspace({
      'app/__init__.py': '',
      'app/services.py': [
        'class OrderService: ...',
        'class PaymentGateway: ...',
        'class AuditClient: ...',
        'class Settings: ...',
        'class ReportService: ...',
        '',
      ].join('\n'),
      'app/main.py': [
        'from typing import Annotated',
        'from fastapi import Depends, FastAPI',
        'from .services import AuditClient, OrderService, PaymentGateway, Settings',
        'from . import services',
        'app = FastAPI()',
        'def get_gateway() -> PaymentGateway:',
        '    return PaymentGateway()',
        'def get_orders(gateway=Depends(get_gateway)):',
        '    return OrderService()',
        '@app.get("/orders")',
        'def orders(svc: Annotated[OrderService, Depends(get_orders)]): ...',
        '@app.post("/pay")',
        'def pay(orders=Depends(get_orders)):',
        '    AuditClient().log()',
        '@app.get("/plain")',
        'def plain(x: Settings): ...',
        '@app.get("/report")',
        'def report():',
        '    return services.ReportService().run()',
        '',
      ].join('\n'),
    });
    const { data } = await analyse(root);
    const by = Object.fromEntries(data.routes.map((r) => [r.path, r.services]));
    assert.deepEqual(by['/orders'], ['app.services.OrderService', 'app.services.PaymentGateway']);
    assert.deepEqual(by['/pay'], ['app.services.AuditClient', 'app.services.OrderService', 'app.services.PaymentGateway']);
    assert.deepEqual(by['/plain'], []);
    assert.deepEqual(by['/report'], ['app.services.ReportService']);
    const order = data.services.find((s) => s.name === 'OrderService')!;
    assert.equal(order.routePrefix, '/');
    assert.equal(order.routes, 2);
  });

  it('survives import cycles, self-recursive factories and broken files', async () => {
    const root = tempWorkspace({
      'a.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/a")\n@router.get("/x")\ndef x(): ...\nimport b\n',
      'b.py': 'from fastapi import FastAPI\nfrom a import router\ndef helper(): ...\ndef make():\n    return make()\napp = FastAPI()\napp.include_router(router)\nother = make()\n',
      'broken.py': 'from fastapi import APIRouter\nrouter = APIRouter(prefix="/b"\n@router.get("/y"\ndef (:\n',
    });
    const { data } = await analyse(root);
    assert.deepEqual(routeList(data, 'b:app'), ['GET /a/x']);
  });
});
