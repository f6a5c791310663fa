// The memory limit, enforced inside the instance's thread. V8's own heap cap sits well above the
// function's memorySize (see HEAP_HEADROOM_MB in ../thread.ts): hitting V8's cap in one step (a
// large array, JSON.stringify of a big value) aborts the whole process, not just the thread. So
// memorySize is judged here: the live heap plus Buffers and ArrayBuffers, which Lambda's limit
// covers too.
import { GCProfiler, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 * 1024;

let collect: (() => void) | undefined;

// gc() is handed only to a fresh context made while the flag is on, and the flag is turned off at
// once: a handler never finds a global gc, as it would not on Lambda. When the emulator itself runs
// with --expose-gc, the thread already has one, and the flag is left alone.
function collectGarbage(): void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (!collect && typeof own === 'function') collect = own;
  if (!collect) {
    setFlagsFromString('--expose-gc');
    try {
      collect = runInNewContext('gc') as () => void;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  collect();
}

/**
 * The largest live heap V8's own full collections found, MB. A peak that is garbage again by the
 * time memory is looked at (a large array built and dropped in one synchronous stretch) shows only
 * here. The profiler runs all along and is read only when memory looks high, plus every
 * DRAIN_MS so its records stay few: reading it costs about 20 µs, too much for every invocation.
 */
class LiveHeapPeak {
  private readonly profiler = new GCProfiler();
  private peakMb = 0;

  constructor() {
    this.profiler.start();
    setInterval(() => this.read(), DRAIN_MS).unref();
  }

  /** The peak since this environment started, records read up to now. */
  read(): number {
    const report = this.profiler.stop();
    this.profiler.start();
    for (const gc of report.statistics) {
      if (gc.gcType === 'MarkSweepCompact') this.peakMb = Math.max(this.peakMb, gc.afterGC.heapStatistics.usedHeapSize / MB);
    }
    return this.peakMb;
  }

  /** The peak as last read, without reading. */
  get known(): number {
    return this.peakMb;
  }
}

const DRAIN_MS = 10_000;
const peak = new LiveHeapPeak();

/**
 * Memory in use, MB: heap plus Buffers and ArrayBuffers. When that is over `limitMb`, the heap is
 * collected and measured again (with V8's cap far off, V8 leaves garbage that a process near its
 * limit would have collected), and the live peaks V8's collections saw count too. Buffers count as
 * found, collected or not, as the process holds them until V8 frees them.
 */
export function memoryUsedMb(limitMb: number): number {
  const before = getHeapStatistics();
  const externalMb = before.external_memory / MB;
  const usedMb = before.used_heap_size / MB + externalMb;
  if (peak.known > limitMb) return peak.known + externalMb;
  if (usedMb <= limitMb || externalMb > limitMb) return usedMb;
  const peakMb = peak.read();
  if (peakMb + externalMb > limitMb) return peakMb + externalMb;
  collectGarbage();
  return getHeapStatistics().used_heap_size / MB + externalMb;
}

/** How often memory is looked at while a handler (or the init phase) awaits, ms. */
const MEMORY_CHECK_MS = 25;

/**
 * Looks at memory every MEMORY_CHECK_MS while armed, and calls `onExceeded` once memory stays over
 * the limit after a collection. One timer, re-armed with refresh(): a new timer per invocation cost
 * the thread measurably more. Synchronous code cannot be looked at while it runs.
 */
export class MemoryWatch {
  private armed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly limitMb: number, onExceeded: (usedMb: number) => void) {
    this.timer = setTimeout(() => {
      if (!this.armed) return;
      const usedMb = memoryUsedMb(this.limitMb);
      if (usedMb > this.limitMb) {
        this.armed = false;
        onExceeded(usedMb);
      } else this.timer.refresh();
    }, MEMORY_CHECK_MS);
  }

  /** Starts looking (at the start of the init phase or of an invocation). */
  arm(): void {
    this.armed = true;
    this.timer.refresh();
  }

  /** Stops looking (the phase ended; its end is measured by the caller). */
  disarm(): void {
    this.armed = false;
  }
}
