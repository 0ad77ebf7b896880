import fs = require('node:fs');
import path = require('node:path');
import type * as TS from 'web-tree-sitter';
import { webTreeSitter } from '../vendor';

/**
 * Loads web-tree-sitter and the Python grammar once, lazily. Works both from
 * the esbuild bundle (wasm files copied next to `dist/*.js`) and from the
 * unbundled test build (wasm files read from node_modules).
 */
let loading: Promise<{ parser: TS.Parser; module: typeof TS }> | undefined;

function findWasm(file: string, pkg: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, 'wasm', file)];
  for (let dir = __dirname, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'node_modules', pkg, file));
  }
  const hit = candidates.find((c) => fs.existsSync(c));
  if (!hit) throw new Error(`cannot find ${file} (looked in ${candidates.slice(0, 3).join(', ')} …)`);
  return hit;
}

export function loadPythonParser(): Promise<{ parser: TS.Parser; module: typeof TS }> {
  loading ??= (async () => {
    const module = webTreeSitter();
    const runtime = findWasm('tree-sitter.wasm', 'web-tree-sitter');
    await module.Parser.init({ wasmBinary: fs.readFileSync(runtime) } as object);
    const language = await module.Language.load(fs.readFileSync(findWasm('tree-sitter-python.wasm', 'tree-sitter-python')));
    const parser = new module.Parser();
    parser.setLanguage(language);
    return { parser, module };
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/** Parse budget: a pathological file is abandoned rather than stalling the host. */
export const PARSE_BUDGET_MS = 3000;

export async function parsePythonTree(source: string): Promise<TS.Tree> {
  const { parser } = await loadPythonParser();
  const deadline = Date.now() + PARSE_BUDGET_MS;
  const options = { progressCallback: () => Date.now() > deadline };
  const tree = parser.parse(source, null, options as TS.ParseOptions);
  if (!tree) throw new Error(`parsing took longer than ${PARSE_BUDGET_MS} ms and was abandoned`);
  return tree;
}
