/**
 * A small declarative schema for `.codenav.yaml`. The loader walks the YAML
 * document with it, so every mistake is reported with the key path and line.
 */
export type Schema =
  | { type: 'string'; enum?: readonly string[]; pattern?: RegExp; hint?: string }
  | { type: 'number'; min?: number; max?: number; integer?: boolean }
  | { type: 'boolean' }
  | { type: 'date' }
  | { type: 'array'; items: Schema }
  | { type: 'object'; props: Record<string, Schema>; open?: boolean }
  | { type: 'map'; values: Schema }
  | { type: 'oneOf'; options: Schema[]; hint: string };

const str = (extra: Partial<{ enum: readonly string[]; pattern: RegExp; hint: string }> = {}): Schema => ({ type: 'string', ...extra });
const strs: Schema = { type: 'array', items: { type: 'string' } };
const num = (min?: number, max?: number): Schema => ({ type: 'number', min, max });
const bool: Schema = { type: 'boolean' };
const obj = (props: Record<string, Schema>): Schema => ({ type: 'object', props });
const severityOrOff = str({ enum: ['error', 'warning', 'info', 'off'] });

export const DEPRECATION_ENTRY: Schema = obj({
  module: str(),
  symbol: str(),
  replacement: str(),
  reason: str(),
  removeBy: { type: 'date' },
});

export const CONFIG_SCHEMA: Schema = obj({
  version: num(1, 1),
  exclude: strs,
  maxFileSizeKb: num(1, 1024 * 1024),
  sourceRoots: strs,
  services: obj({
    classSuffixes: strs,
    packages: strs,
    deprecatedPattern: str(),
  }),
  deprecated: { type: 'array', items: DEPRECATION_ENTRY },
  migrations: obj({
    environments: {
      type: 'array',
      items: obj({
        name: str(),
        tool: str({ enum: ['alembic', 'django'] }),
        versions: strs,
        fileTemplate: str(),
        expectedHeads: strs,
      }),
    },
    expectedHeads: strs,
    naming: str(),
    missingDowngrade: severityOrOff,
    createDateMismatch: severityOrOff,
  }),
  cache: obj({
    readDecorators: strs,
    invalidateDecorators: strs,
    invalidateCalls: strs,
    writePrefixes: strs,
    writeCalls: strs,
    readCalls: strs,
    cacheModules: strs,
    ignore: strs,
    missingTtl: severityOrOff,
  }),
  typegen: obj({
    enabled: bool,
    triggers: strs,
    command: { type: 'oneOf', options: [str(), strs], hint: 'a package.json script name or an argv list' },
    cwd: str(),
    output: str(),
    timeoutMs: num(100, 3_600_000),
    debounceMs: num(0, 60_000),
    onSaveDuringRun: str({ enum: ['restart', 'queue'] }),
    openapi: obj({ file: str(), url: str({ pattern: /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//, hint: 'a local http URL' }), pythonApp: str({ pattern: /^[\w.]+:[\w.]+$/, hint: 'module.path:app' }) }),
    python: str(),
  }),
});
