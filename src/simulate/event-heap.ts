// A 4-ary min-heap of (time, id) pairs on typed arrays: the pending completions of the engine.
// Four children per node halve the depth of a binary heap, and pops dominate.

/** Min-heap keyed by time; ids are small integers (instance slots). */
export class EventHeap {
  private times = new Float64Array(1024);
  private ids = new Int32Array(1024);
  size = 0;

  /** Adds an event. */
  push(time: number, id: number): void {
    if (this.size === this.times.length) this.grow();
    let i = this.size++;
    const times = this.times;
    const ids = this.ids;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      if (times[parent]! <= time) break;
      times[i] = times[parent]!;
      ids[i] = ids[parent]!;
      i = parent;
    }
    times[i] = time;
    ids[i] = id;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.size > 0 ? this.times[0]! : Infinity;
  }

  /** Removes the earliest event and returns its id. */
  pop(): number {
    const times = this.times;
    const ids = this.ids;
    const top = ids[0]!;
    const n = --this.size;
    if (n > 0) {
      const t = times[n]!;
      const id = ids[n]!;
      let i = 0;
      for (;;) {
        const first = 4 * i + 1;
        if (first >= n) break;
        let c = first;
        let ct = times[first]!;
        const last = Math.min(first + 4, n);
        for (let k = first + 1; k < last; k++) {
          const kt = times[k]!;
          if (kt < ct) {
            ct = kt;
            c = k;
          }
        }
        if (ct >= t) break;
        times[i] = times[c]!;
        ids[i] = ids[c]!;
        i = c;
      }
      times[i] = t;
      ids[i] = id;
    }
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.times = times;
    this.ids = ids;
  }
}
