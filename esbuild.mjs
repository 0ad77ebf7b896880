// Bundles the extension and the CLI into dist/. ts-morph (with its TypeScript)
// goes into its own file, dist/vendor/ts-morph.js, required only on first use,
// so that activation does not pay for loading a compiler.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;

const lazyTsMorph = {
  name: 'lazy-ts-morph',
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: './vendor/ts-morph.js', external: true }));
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
    entryPoints: { extension: 'src/extension.ts', cli: 'src/cli.ts' },
    external: ['vscode'],
    plugins: [lazyTsMorph],
    define: { CODENAV_VERSION: JSON.stringify(version) },
  },
  { ...common, entryPoints: { 'vendor/ts-morph': 'node_modules/ts-morph/dist/ts-morph.js' }, sourcemap: false },
];

if (!watch) rmSync('dist', { recursive: true, force: true });
copyWasm();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
