import { ENTITIES, kebab, lines as join, pascal, type Rng } from './prng';
import { nestFiles } from './tsNest';
import { nextFiles } from './tsNext';
import type { Sink } from './sink';

export const NEXT_APPS = ['web', 'admin', 'partner-portal', 'checkout', 'back-office', 'help-center'] as const;
export const NEST_SERVICES = ['gateway', 'notifications', 'search-api', 'reporting-api', 'ingest'] as const;
export const TS_PACKAGES = ['ui-kit', 'sdk', 'utils', 'forms', 'telemetry'] as const;

function plainModule(rng: Rng, pkg: string, n: number): [string, string] {
  const name = `${rng.pick(['format', 'parse', 'compute', 'merge', 'normalize', 'validate'])}${pascal(rng.pick(ENTITIES))}${n}`;
  const deprecated = rng.chance(0.1);
  const fns: string[] = [];
  for (let i = 0; i < rng.int(5, 16); i++) {
    fns.push(
      '',
      '/**',
      ` * Step ${i} of ${name}: counts case-folded values, at most \`limit\` of them.`,
      ` * Used by the ${rng.pick(ENTITIES).replace(/_/g, ' ')} screens; keep it free of side effects.`,
      ' */',
      `export function ${name}Step${i}(input: readonly string[], limit = ${rng.int(1, 50)}): Record<string, number> {`,
      '  const out: Record<string, number> = {};',
      '  for (const raw of input.slice(0, limit)) {',
      '    const key = raw.trim().toLowerCase();',
      '    out[key] = (out[key] ?? 0) + 1;',
      '  }',
      '  return out;',
      '}',
    );
  }
  const head = deprecated ? [`/** @deprecated use ${name}Step0 from '@acme/${pkg}/v2' */`] : [];
  return [`packages/${pkg}/src/${kebab(name)}.ts`, join(...head, `export const ${name.toUpperCase()}_VERSION = ${n};`, ...fns)];
}

/**
 * Writes exactly `budget` TypeScript files: Next.js route handlers, pages, components and API
 * clients; NestJS controllers, services, modules and DTOs; plain library modules.
 */
export function generateTypeScript(rng: Rng, sink: Sink, budget: number): { apps: string[]; services: string[]; packages: string[] } {
  const start = sink.count;
  const left = () => budget - (sink.count - start);
  const apps = new Set<string>();
  const services = new Set<string>();
  const packages = new Set<string>();
  for (let round = 0; left() > 0; round++) {
    const entity = ENTITIES[round % ENTITIES.length];
    const suffix = round >= ENTITIES.length ? `_${Math.floor(round / ENTITIES.length)}` : '';
    const kind = round % 20 < 9 ? 'next' : round % 20 < 16 ? 'nest' : 'plain';
    let files: [string, string][];
    if (kind === 'next') {
      const app = NEXT_APPS[round % NEXT_APPS.length];
      apps.add(app);
      files = nextFiles(rng, app, entity + suffix);
    } else if (kind === 'nest') {
      const svc = NEST_SERVICES[round % NEST_SERVICES.length];
      services.add(svc);
      files = nestFiles(rng, svc, entity + suffix);
    } else {
      files = [];
      for (let i = 0; i < 6; i++) {
        const pkg = TS_PACKAGES[(round + i) % TS_PACKAGES.length];
        packages.add(pkg);
        files.push(plainModule(rng, pkg, round * 6 + i));
      }
    }
    for (const [rel, text] of files.slice(0, left())) sink.add(rel, text);
  }
  return { apps: [...apps], services: [...services], packages: [...packages] };
}
