import { ENTITIES, FIELDS, plural, type Rng } from './prng';
import type { Sink } from './sink';

const CODENAV_YAML = `# Codebase Navigator settings of the synthetic benchmark monorepo.
version: 1

sourceRoots:
  - backend/src

exclude:
  - "**/fixtures/**/*.json"
`;

const GITIGNORE = `node_modules/
__pycache__/
*.pyc
.venv/
.next/
dist/
coverage/
`;

const WORKFLOW = `name: ci
on: [push, pull_request]
jobs:
  backend:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: { python-version: "3.12" }
      - run: pip install -r backend/requirements.txt
      - run: pytest backend
  frontend:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci && npm test
`;

/** A small PNG-looking binary: the signature, then bytes with NULs, as real images have. */
function fakePng(rng: Rng): Buffer {
  const body = Buffer.alloc(rng.int(200, 4000));
  for (let i = 0; i < body.length; i++) body[i] = rng.int(0, 255);
  body[0] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), body]);
}

function markdown(rng: Rng, title: string): string {
  const paras: string[] = [`# ${title}`, ''];
  for (let i = 0; i < rng.int(2, 8); i++) {
    const e = rng.pick(ENTITIES).replace(/_/g, ' ');
    paras.push(`The ${e} flow keeps ${rng.pick(FIELDS).replace(/_/g, ' ')} consistent across services; see the runbook before changing it.`, '');
  }
  return paras.join('\n');
}

function fixtureJson(rng: Rng): string {
  const rows = Array.from({ length: rng.int(3, 40) }, (_, i) => Object.fromEntries([['id', i + 1], ...rng.sample(FIELDS, 4).map((f) => [f, `${f}-${rng.int(1, 9999)}`])]));
  return JSON.stringify(rows, null, 2) + '\n';
}

/** Non-source files (manifests, docs, CI, fixtures, images) up to exactly `budget`. */
export function generateOther(rng: Rng, sink: Sink, budget: number, layout: { apps: string[]; services: string[]; packages: string[] }): void {
  const start = sink.count;
  const left = () => budget - (sink.count - start);
  const fixed: [string, string | Buffer][] = [
    ['.codenav.yaml', CODENAV_YAML],
    ['.gitignore', GITIGNORE],
    ['README.md', markdown(rng, 'Acme platform monorepo')],
    ['.github/workflows/ci.yml', WORKFLOW],
    ['backend/pyproject.toml', '[project]\nname = "acme-platform"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n\n[tool.pytest.ini_options]\ntestpaths = ["src"]\n'],
    ['backend/requirements.txt', 'fastapi==0.110.0\nsqlalchemy==2.0.29\nalembic==1.13.1\nhttpx==0.27.0\npydantic==1.10.15\n'],
    ['package.json', JSON.stringify({ name: 'acme', private: true, workspaces: ['frontend/apps/*', 'services/*', 'packages/*'] }, null, 2) + '\n'],
  ];
  for (const app of layout.apps) {
    fixed.push([`frontend/apps/${app}/package.json`, JSON.stringify({ name: `@acme/${app}`, private: true, scripts: { dev: 'next dev', build: 'next build' }, dependencies: { next: '15.2.0', react: '19.0.0' } }, null, 2) + '\n']);
    fixed.push([`frontend/apps/${app}/tsconfig.json`, JSON.stringify({ compilerOptions: { strict: true, jsx: 'preserve', paths: { '@/*': ['./src/*'] } } }, null, 2) + '\n']);
    fixed.push([`frontend/apps/${app}/public/logo.png`, fakePng(rng)]);
  }
  for (const svc of layout.services) {
    fixed.push([`services/${svc}/package.json`, JSON.stringify({ name: `@acme/${svc}`, private: true, dependencies: { '@nestjs/common': '11.0.0', '@nestjs/cache-manager': '3.0.0' } }, null, 2) + '\n']);
    fixed.push([`services/${svc}/tsconfig.json`, JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, strict: true } }, null, 2) + '\n']);
  }
  for (const pkg of layout.packages) fixed.push([`packages/${pkg}/package.json`, JSON.stringify({ name: `@acme/${pkg}`, version: '1.0.0', main: 'src/index.ts' }, null, 2) + '\n']);
  for (const [rel, content] of fixed.slice(0, Math.max(0, left()))) sink.add(rel, content);
  for (let n = 0; left() > 0; n++) {
    const e = ENTITIES[n % ENTITIES.length];
    const kind = n % 10;
    if (kind < 4) sink.add(`docs/adr/${String(n + 1).padStart(4, '0')}-${e.replace(/_/g, '-')}.md`, markdown(rng, `ADR ${n + 1}: ${e.replace(/_/g, ' ')}`));
    else if (kind < 7) sink.add(`backend/tests/fixtures/${plural(e)}_${n}.json`, fixtureJson(rng));
    else if (kind < 9) sink.add(`backend/sql/seed_${n}_${plural(e)}.sql`, `INSERT INTO ${plural(e)} (id, status) VALUES ${Array.from({ length: rng.int(2, 30) }, (_, i) => `(${i + 1}, 'active')`).join(', ')};\n`);
    else sink.add(`docs/images/${e}_${n}.png`, fakePng(rng));
  }
}
