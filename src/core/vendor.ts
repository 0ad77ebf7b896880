import type * as ChildProcess from 'node:child_process';
import type * as TsMorph from 'ts-morph';
import type * as TreeSitter from 'web-tree-sitter';
import type * as Yaml from 'yaml';
import type { Position } from './findings';

/**
 * Libraries loaded on first use, so that activation and a CLI command pay only
 * for what the run needs: most runs never parse TypeScript or a config file.
 * The bundler puts each of them in its own file under dist/vendor/.
 */
function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

export const yaml = lazy(() => require('yaml') as typeof Yaml);
/** Built-in modules that cost start-up time (a CLI run outside git never spawns anything). */
export const childProcess = lazy(() => require('node:child_process') as typeof ChildProcess);
export const tsMorph = lazy(() => require('ts-morph') as typeof TsMorph);
/** The CommonJS build: the bundles are CommonJS, and the ESM build needs `import.meta`. */
export const webTreeSitter = lazy(() => require('web-tree-sitter') as typeof TreeSitter);

/** A YAML (or JSON) text as a document, with 0-based positions for its offsets. */
export function parseYaml(text: string, options: Yaml.ParseOptions & Yaml.DocumentOptions): { doc: Yaml.Document.Parsed; at: (offset: number) => Position } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...options, lineCounter });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: Math.max(0, p.line - 1), character: Math.max(0, p.col - 1) };
  };
  return { doc, at };
}
