// Turns a burst of file events into one batch. Editors write a file several times per save
// (truncate + write, write + rename, a formatter on save), and a build tool or `npm install`
// touches many files: each burst must become one reload, yet a single save must reload fast.

/** Timing of a burst. */
export interface BurstTiming {
  /** A batch is handed over once no item has arrived for this long. */
  quietMs: number;
  /** ...or once its first item has waited this long, even if items keep coming. */
  maxWaitMs: number;
}

/**
 * Collects items and hands them over in batches, one batch at a time: items that arrive while a
 * batch is being handled wait for the next one, so batches never overlap.
 */
export class BurstCollector<T> {
  private pending = new Set<T>();
  private quietMs = 0;
  private firstAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly timing: BurstTiming;
  private readonly handle: (batch: T[]) => Promise<void> | void;

  constructor(handle: (batch: T[]) => Promise<void> | void, timing: BurstTiming) {
    this.handle = handle;
    this.timing = timing;
  }

  /** Adds an item; `quietMs` lengthens the quiet period of the current burst (e.g. for npm installs). */
  add(item: T, quietMs = this.timing.quietMs): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.pending.size === 0) {
      this.firstAt = now;
      this.quietMs = this.timing.quietMs;
    }
    this.pending.add(item);
    this.quietMs = Math.max(this.quietMs, quietMs);
    this.schedule(now);
  }

  /** Resolves once nothing is pending and no batch is being handled. */
  async idle(): Promise<void> {
    while (this.running || this.pending.size > 0) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, this.quietMs));
    }
  }

  /** Drops pending items and stops handing over batches. */
  close(): void {
    this.closed = true;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    const untilMax = this.firstAt + Math.max(this.timing.maxWaitMs, this.quietMs) - now;
    const delay = Math.max(0, Math.min(this.quietMs, untilMax));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, delay);
  }

  private flush(): void {
    // A batch is still being handled: this one goes next, when that finishes.
    if (this.running || this.closed || this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Set();
    // Started from a resolved promise so `running` is set before the handler can finish,
    // even when it throws synchronously.
    this.running = Promise.resolve()
      .then(() => this.handle(batch))
      .catch(() => {
        // The handler reports its own errors; a failure must not stop later batches.
      })
      .finally(() => {
        this.running = null;
        if (this.pending.size > 0 && !this.timer) this.flush();
      });
  }
}
