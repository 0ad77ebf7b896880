import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { findPackage, renderNavigationGuide } from '../../../src/core/navigation/guide';
import { analyse, FIXTURES, SAMPLE } from './helpers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

describe('navigation: the navigation guide (markdown)', () => {
  it('matches the golden guide of the sample’s billing package (codenav services --format markdown --package billing)', async () => {
    const r = await cli(['services', SAMPLE, '--format', 'markdown', '--package', 'billing']);
    assert.equal(r.code, 0, r.err);
    const golden = fs.readFileSync(path.join(FIXTURES, 'golden', 'sample-NAVIGATION.md'), 'utf8');
    assert.equal(r.out, golden, 'regenerate with: node out/src/cli.js services test/fixtures/sample --format markdown --package billing > test/fixtures/navigation/golden/sample-NAVIGATION.md');
  });

  it('holds the parts a hand-kept guide has: structure, service table, deprecated/current callouts, routes', async () => {
    const { data } = await analyse(SAMPLE);
    const md = renderNavigationGuide(data, { package: 'backend/src/acme/platform/billing' });
    assert.match(md, /^## Directory structure$/m);
    assert.match(md, /│   └── service\.py +⚠️ DEPRECATED → money_service · InvoiceService$/m);
    assert.match(md, /│   ├── money_service\.py +✅ CURRENT \(replaces invoicing\/service\.py\) · InvoiceService$/m);
    assert.match(md, /^\| `InvoiceService` \(deprecated → `money_service`\) \| `invoicing\/service\.py:31` \| — \|$/m);
    assert.match(md, /^\| `InvoiceService` \(current\) \| `invoicing\/money_service\.py:26` \| `\/api\/v1\/billing\/invoices` \|$/m);
    assert.match(md, /^\| `ProductService` \| `catalog\/service\.py:20` \| `\/api\/v1\/billing\/products`, `\/api\/v1\/billing\/admin\/products` \|$/m);
    assert.match(md, /^> \*\*Deprecated:\*\* `invoicing\/service\.py` \(`acme\.platform\.billing\.invoicing\.service`\) → use `invoicing\/money_service\.py`/m);
    assert.match(md, /^- GET `\/api\/v1\/billing\/invoices\/\{invoice_id\}\/amount` \(`invoicing\/router\.py:47`\)$/m);
    assert.equal((md.match(/^\| (GET|POST) \| /gm) ?? []).length, 19);
    assert.ok(!md.includes('/api/v1/bookings'), 'only the chosen package');
  });

  it('is deterministic, finds packages by label, dotted name or folder, and says so for an unknown one', async () => {
    const { data } = await analyse(SAMPLE);
    const again = await analyse(SAMPLE);
    assert.equal(renderNavigationGuide(data, {}), renderNavigationGuide(again.data, {}));
    assert.equal(findPackage(data, 'acme.platform.billing')?.dir, 'backend/src/acme/platform/billing');
    assert.equal(findPackage(data, './backend/src/acme/platform/booking/')?.label, 'booking');
    const all = renderNavigationGuide(data, {});
    assert.match(all, /^## billing$/m);
    assert.match(all, /^## booking$/m);
    assert.match(all, /^### Service reference$/m);
    const unknown = renderNavigationGuide(data, { package: 'shipping' });
    assert.match(unknown, /No package matches `shipping`\. Packages: `billing`/);
  });
});
