// A binary min-heap ordered by a numeric key: the queue keeps its delayed and in-flight messages
// here so the next visibility change is found in O(1) and each one costs O(log n).

/** A min-heap of items ordered by `at`. */
export class MinHeap<T extends { at: number }> {
  private items: T[] = [];

  /** Number of entries (stale ones included). */
  get size(): number {
    return this.items.length;
  }

  /** The entry with the smallest `at`, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an entry. */
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.at <= item.at) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  /** Removes and returns the entry with the smallest `at`. */
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && a[r]!.at < a[l]!.at ? r : l;
      if (a[c]!.at >= last.at) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }

  /** Removes every entry. */
  clear(): void {
    this.items = [];
  }
}
