/**
 * Items filed under a text and found by prefix: those whose text starts with a
 * query, and those whose text the query starts with. Cache keys are filed by
 * their literal prefix, so a pattern meets only the keys that share its own.
 */
export class PrefixIndex<T> {
  private readonly byText = new Map<string, T[]>();
  private sorted: string[] | undefined;

  add(text: string, item: T): void {
    const list = this.byText.get(text);
    if (list) list.push(item);
    else {
      this.byText.set(text, [item]);
      this.sorted?.splice(lowerBound(this.sorted, text), 0, text);
    }
  }

  remove(text: string, item: T): void {
    const list = this.byText.get(text);
    const at = list ? list.indexOf(item) : -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (!list!.length) {
      this.byText.delete(text);
      this.sorted?.splice(lowerBound(this.sorted, text), 1);
    }
  }

  /** Items whose text is a prefix of `query` or starts with it, each once, grouped by text. */
  related(query: string): T[] {
    const out: T[] = [];
    const take = (list: T[] | undefined) => {
      if (list) for (const item of list) out.push(item);
    };
    for (let n = 0; n < query.length; n++) take(this.byText.get(query.slice(0, n)));
    const texts = this.texts();
    for (let i = lowerBound(texts, query); i < texts.length && texts[i].startsWith(query); i++) take(this.byText.get(texts[i]));
    return out;
  }

  private texts(): string[] {
    if (!this.sorted) this.sorted = [...this.byText.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.sorted;
  }
}

/** The first index whose text is not below `s` (texts sorted by code unit, as `startsWith` compares). */
function lowerBound(texts: readonly string[], s: string): number {
  let lo = 0;
  let hi = texts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (texts[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
