import * as assert from 'node:assert/strict';
import { PyModuleIndex } from '../../../src/core/navigation/pyModules';

describe('navigation: Python module names and import resolution', () => {
  const files = [
    'backend/pyproject.toml',
    'backend/src/acme/__init__.py',
    'backend/src/acme/platform/__init__.py',
    'backend/src/acme/platform/main.py',
    'backend/src/acme/platform/billing/__init__.py',
    'backend/src/acme/platform/billing/router.py',
    'backend/src/acme/platform/billing/invoicing/service.py',
    'ns/src/acme/shop/api.py',
    'ns/libs/acme/billing/api.py',
    'services/users/pyproject.toml',
    'services/users/app/__init__.py',
    'services/users/app/main.py',
    'services/users/app/routers.py',
    'services/orders/pyproject.toml',
    'services/orders/app/__init__.py',
    'services/orders/app/main.py',
    'services/orders/app/routers.py',
    'scripts/tool.py',
  ];
  const index = new PyModuleIndex(files);

  it('names modules from the src/ layout, the package chain and project folders', () => {
    assert.equal(index.moduleName('backend/src/acme/platform/main.py'), 'acme.platform.main');
    assert.equal(index.moduleName('backend/src/acme/platform/billing/__init__.py'), 'acme.platform.billing');
    assert.equal(index.moduleName('backend/src/acme/platform/billing/invoicing/service.py'), 'acme.platform.billing.invoicing.service');
    assert.equal(index.sourceRoot('services/users/app/main.py'), 'services/users');
    assert.equal(index.moduleName('services/users/app/main.py'), 'app.main');
  });

  it('keeps the names of namespace packages (folders without __init__.py) under src/', () => {
    assert.equal(index.moduleName('ns/src/acme/shop/api.py'), 'acme.shop.api');
    assert.equal(index.packageName('ns/src/acme/shop'), 'acme.shop');
  });

  it('prefers configured source roots', () => {
    const configured = new PyModuleIndex(files, ['ns/libs', 'scripts/']);
    assert.equal(configured.moduleName('ns/libs/acme/billing/api.py'), 'acme.billing.api');
    assert.equal(configured.moduleName('scripts/tool.py'), 'tool');
  });

  it('resolves absolute imports within the importer’s own source root first (two apps named alike)', () => {
    const users = index.resolveAbsolute('services/users/app/main.py', 'app.routers');
    const orders = index.resolveAbsolute('services/orders/app/main.py', 'app.routers');
    assert.deepEqual(users, { kind: 'module', file: 'services/users/app/routers.py' });
    assert.deepEqual(orders, { kind: 'module', file: 'services/orders/app/routers.py' });
  });

  it('resolves namespace packages spread over two folders, and packages with __init__', () => {
    assert.deepEqual(index.resolveAbsolute('ns/src/acme/app.py', 'acme.billing'), { kind: 'package', dir: 'ns/libs/acme/billing' });
    assert.deepEqual(index.resolveAbsolute('backend/src/acme/platform/main.py', 'acme.platform.billing'), {
      kind: 'package',
      dir: 'backend/src/acme/platform/billing',
      init: 'backend/src/acme/platform/billing/__init__.py',
    });
  });

  it('resolves relative imports by level, and answers nothing above the tree or for unknown modules', () => {
    const from = 'backend/src/acme/platform/billing/router.py';
    assert.deepEqual(index.resolveRelative(from, 1, 'invoicing.service'), { kind: 'module', file: 'backend/src/acme/platform/billing/invoicing/service.py' });
    assert.deepEqual(index.resolveRelative(from, 2, 'main'), { kind: 'module', file: 'backend/src/acme/platform/main.py' });
    assert.equal(index.resolveRelative(from, 1, 'nothing_here'), undefined);
    assert.equal(index.resolveRelative('top.py', 3, 'x'), undefined);
    assert.equal(index.resolveAbsolute(from, 'fastapi'), undefined);
  });

  it('writes import text for a target, relative when the original was', () => {
    const from = 'backend/src/acme/platform/billing/router.py';
    const target = { kind: 'module' as const, file: 'backend/src/acme/platform/billing/invoicing/service.py' };
    assert.equal(index.importText(from, target, true), '.invoicing.service');
    assert.equal(index.importText('backend/src/acme/platform/billing/invoicing/service.py', { kind: 'module', file: 'backend/src/acme/platform/main.py' }, true), '...main');
    assert.equal(index.importText(from, target, false), 'acme.platform.billing.invoicing.service');
  });
});
