// The memory limit, measured inside the execution environment (this module runs in the worker
// thread or child process, imported by ../worker/entry.ts). A thread's V8 heap cap sits well above
// the function's memorySize (heap-caps.ts): hitting V8's cap in one step (a large array,
// JSON.stringify of a big value) aborts the whole process, not just the thread. So memorySize is
// judged here: the live heap plus Buffers and ArrayBuffers, which Lambda's limit covers too. The
// environment looks while it awaits; while it runs synchronous code, the main thread asks it
// through the inspector (busy-memory-watch.ts). In a process of its own (`isolation: process`)
// V8's cap is memorySize itself, and this measurement still judges Buffers.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MEMORY_PROBE_KEY } from '../worker/protocol.js';

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

// Set while memoryUsedMb collects: the main thread's question can arrive in the middle of it.
let measuring = false;

/**
 * Memory in use, MB: heap plus Buffers and ArrayBuffers. When that is over `limitMb`, the heap is
 * collected and measured again (with V8's cap far off, V8 leaves garbage that a process near its
 * limit would have collected). Buffers count as found, collected or not, as the process holds
 * them until V8 frees them. The heap V8's own full collections leave is not used: it counts what
 * was allocated while they ran as alive, and judged 70 MB alive as over 128 MB.
 */
export function memoryUsedMb(limitMb: number): number {
  const before = getHeapStatistics();
  const externalMb = before.external_memory / MB;
  const usedMb = before.used_heap_size / MB + externalMb;
  if (usedMb <= limitMb || externalMb > limitMb) return usedMb;
  measuring = true;
  try {
    collectGarbage();
  } finally {
    measuring = false;
  }
  return getHeapStatistics().used_heap_size / MB + externalMb;
}

/** How often memory is looked at while a handler (or the init phase) awaits, ms. */
const MEMORY_CHECK_MS = 25;

/**
 * Looks at memory every MEMORY_CHECK_MS while armed, and calls `onExceeded` once memory stays over
 * the limit after a collection. One timer, re-armed with refresh(): a new timer per invocation cost
 * the thread measurably more. Synchronous code is looked at from outside (busy-memory-watch.ts).
 */
export class MemoryWatch {
  private armed = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limitMb: () => number,
    onExceeded: (usedMb: number) => void,
  ) {
    this.timer = setTimeout(() => {
      if (!this.armed) return;
      const usedMb = this.overLimitNow();
      if (usedMb !== null) {
        this.armed = false;
        onExceeded(usedMb);
      } else this.timer.refresh();
    }, MEMORY_CHECK_MS);
  }

  /** Memory in use now, MB, when it is over the limit (after a collection); null when within it. */
  overLimitNow(): number | null {
    const limit = this.limitMb();
    const usedMb = memoryUsedMb(limit);
    return usedMb > limit ? usedMb : null;
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

/**
 * Lets the main thread measure this thread while synchronous code keeps it from reading messages
 * (see heap-probe.ts). A symbol key, not a name: handlers listing the global object's names do
 * not find it, and they cannot replace or delete it.
 */
export function installMemoryProbe(limitMb: () => number): void {
  // The question runs between two steps of whatever JavaScript this thread runs; inside this
  // module's own collection it has no answer (null) rather than a second, nested one.
  // Before the init task (a spare thread) there is no limit yet, and nothing to answer.
  Object.defineProperty(globalThis, Symbol.for(MEMORY_PROBE_KEY), { value: () => (measuring || !limitMb() ? null : memoryUsedMb(limitMb())) });
}
