import type { Node as YamlNode } from 'yaml';
import type { Position } from '../../findings';
import { parseYaml, yaml } from '../../vendor';

/**
 * The position of a key path in a YAML or JSON text (`['typegen', 'command']`,
 * `['scripts', 'generate:types']`, a JSON pointer's segments). When the path
 * goes deeper than the document, the deepest key found is returned.
 */
export function locateKey(text: string, segments: string[]): Position | undefined {
  const { isMap, isScalar, isSeq } = yaml();
  let parsed;
  try {
    parsed = parseYaml(text, { uniqueKeys: false, strict: false });
  } catch {
    return undefined;
  }
  const { doc, at } = parsed;
  let node = doc.contents as YamlNode | null;
  let found: Position | undefined;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      const key = pair.key as YamlNode;
      if (key.range) found = at(key.range[0]);
      node = pair.value as YamlNode | null;
    } else if (isSeq(node) && /^\d+$/.test(seg)) {
      const item = node.items[Number(seg)] as YamlNode | undefined;
      if (!item) break;
      if (item.range) found = at(item.range[0]);
      node = item;
    } else break;
  }
  return found;
}

/** `#/paths/~1a/get` → ['paths', '/a', 'get']. */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .replace(/^#?\/?/, '')
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      const raw = s.replace(/~1/g, '/').replace(/~0/g, '~');
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    });
}
