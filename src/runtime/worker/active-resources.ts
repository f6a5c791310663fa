// What keeps this thread's event loop alive, counted per kind (Timeout, TCPWRAP, FSReqCallback, ...),
// to tell when the work an invocation started has all finished.

/** How often an invocation waiting for an empty event loop looks again, ms. */
const POLL_MS = 2;

/** The resources alive at one moment. */
export class ActiveResources {
  // Counted only when an invocation has to wait: most handlers return a promise and never ask.
  private counts: Map<string, number> | null = null;

  private constructor(private readonly kinds: string[]) {}

  /** The resources keeping the loop alive now. */
  static snapshot(): ActiveResources {
    return new ActiveResources(process.getActiveResourcesInfo());
  }

  /**
   * Calls `onEmpty` once no resource beyond this snapshot's keeps the loop alive. The first look
   * is after pending I/O callbacks and timers of this turn; the looks are made from an unref'd
   * timer, which itself keeps nothing alive.
   */
  whenEmpty(onEmpty: () => void): { stop(): void } {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const look = () => {
      if (stopped) return;
      if (this.covers(count(process.getActiveResourcesInfo()))) {
        stopped = true;
        onEmpty();
        return;
      }
      timer = setTimeout(look, POLL_MS).unref();
    };
    const first = setImmediate(look);
    // An immediate keeps the loop alive while queued, but not while it runs, so it never sees itself.
    return {
      stop() {
        stopped = true;
        clearImmediate(first);
        if (timer) clearTimeout(timer);
      },
    };
  }

  /** True when `now` holds no more of any kind than this snapshot. */
  private covers(now: Map<string, number>): boolean {
    this.counts ??= count(this.kinds);
    for (const [kind, n] of now) if (n > (this.counts.get(kind) ?? 0)) return false;
    return true;
  }
}

function count(kinds: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of kinds) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}
