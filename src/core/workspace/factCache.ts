import * as crypto from 'node:crypto';
import type { Facts } from '../parsing/facts';

/** SHA-1 of the text, hex. The one-shot `crypto.hash` (Node 20.12+) skips the Hash object; older runtimes use `createHash`. */
export function contentHash(text: string): string {
  return typeof crypto.hash === 'function' ? crypto.hash('sha1', text, 'hex') : crypto.createHash('sha1').update(text).digest('hex');
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
