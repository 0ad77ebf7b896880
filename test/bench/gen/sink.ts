import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes generated files below a root and keeps the counts the report needs. */
export class Sink {
  count = 0;
  bytes = 0;
  readonly byExtension = new Map<string, number>();
  private readonly dirs = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(readonly root: string) {}

  add(rel: string, content: string | Buffer): void {
    if (this.seen.has(rel)) throw new Error(`generator wrote ${rel} twice`);
    this.seen.add(rel);
    const abs = path.join(this.root, ...rel.split('/'));
    const dir = path.dirname(abs);
    if (!this.dirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    fs.writeFileSync(abs, content);
    this.count++;
    this.bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
    const ext = path.extname(rel) || path.basename(rel);
    this.byExtension.set(ext, (this.byExtension.get(ext) ?? 0) + 1);
  }

  /** Every path written, in order. */
  paths(): IterableIterator<string> {
    return this.seen.values();
  }
}
