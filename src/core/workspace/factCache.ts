import type { Facts } from '../parsing/facts';

/**
 * A 64-bit hash of the text's UTF-16 code units (two independent
 * multiply-xor lanes, each finished with an avalanche step), with the length
 * in front. It only tells file versions apart for the caches: it is not a
 * defence against crafted collisions. It spares the CLI loading `node:crypto`,
 * a few milliseconds of every run.
 */
export function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x2f5a8c13;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return `${n.toString(36)}-${hex8(avalanche(a ^ n))}${hex8(avalanche(b + n))}`;
}

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex8(x: number): string {
  return x.toString(16).padStart(8, '0');
}

/**
 * Facts by content hash. An unchanged file is never parsed twice, even when
 * it moves or another workspace folder holds the same content. Bounded, with
 * least-recently-used eviction.
 */
export class FactCache {
  private readonly entries = new Map<string, Facts>();
  parses = 0;
  hits = 0;

  constructor(private readonly capacity = 50_000) {}

  get(hash: string): Facts | undefined {
    const f = this.entries.get(hash);
    if (f) {
      this.hits++;
      this.entries.delete(hash);
      this.entries.set(hash, f);
    }
    return f;
  }

  set(hash: string, facts: Facts): void {
    this.parses++;
    this.entries.set(hash, facts);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
