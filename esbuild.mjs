// Bundles the extension and the CLI into dist/. Libraries needed only by some
// runs (ts-morph with its TypeScript, web-tree-sitter, the YAML parser) go into their
// own files under dist/vendor/, required on first use, so that activation and a
// CLI command do not pay for loading them. The CLI itself is a small dispatcher
// (dist/cli.js) over one engine file per group of commands (dist/cli-*.js).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;

/**
 * Packages that get their own bundle in dist/vendor/. Each entry is the file
 * `require()` would load (the CommonJS build), not the ESM one esbuild picks
 * for a bare entry point: web-tree-sitter's ESM build needs `import.meta.url`.
 */
const requireResolve = createRequire(import.meta.url).resolve;
const VENDOR = Object.fromEntries(['ts-morph', 'web-tree-sitter', 'yaml'].map((name) => [name, requireResolve(name)]));

const lazyFiles = {
  name: 'lazy-files',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${Object.keys(VENDOR).join('|')})$`) }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
    // src/cli.ts requires './cli/engines/<name>': each engine is the dist file cli-<name>.js.
    build.onResolve({ filter: /^\.\/cli\/engines\/\w+$/ }, (args) => ({ path: `./cli-${args.path.split('/').pop()}.js`, external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  outdir: 'dist',
};

function copyWasm() {
  mkdirSync('dist', { recursive: true });
  for (const [pkg, file] of [
    ['web-tree-sitter', 'tree-sitter.wasm'],
    ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ]) {
    copyFileSync(path.join('node_modules', pkg, file), path.join('dist', file));
  }
}

const builds = [
  {
    ...common,
    entryPoints: {
      extension: 'src/extension.ts',
      cli: 'src/cli.ts',
      'cli-full': 'src/cli/engines/full.ts',
      'cli-migrations': 'src/cli/engines/migrations.ts',
    },
    external: ['vscode'],
    plugins: [lazyFiles],
    define: { CODENAV_VERSION: JSON.stringify(version) },
  },
  { ...common, entryPoints: Object.fromEntries(Object.entries(VENDOR).map(([name, entry]) => [`vendor/${name}`, entry])), sourcemap: false },
];

if (!watch) rmSync('dist', { recursive: true, force: true });
copyWasm();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (production) assertAscii();
}

/**
 * esbuild escapes non-ASCII text in strings, not in regular expression literals. One such
 * character makes V8 hold the whole bundle's source as a two-byte string, which every run
 * reads and decodes: the shipped bundles must stay ASCII (write `\u2014`, not the dash).
 */
function assertAscii() {
  for (const file of readdirSync('dist', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
    const bytes = readFileSync(path.join('dist', file));
    const at = bytes.findIndex((b) => b > 0x7f);
    if (at >= 0) throw new Error(`dist/${file}: a non-ASCII character at byte ${at} (${JSON.stringify(bytes.subarray(Math.max(0, at - 30), at + 10).toString('utf8'))}); write it as an escape in the source`);
  }
}
