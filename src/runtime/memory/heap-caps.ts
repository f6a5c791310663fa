// V8's heap cap for each kind of execution environment. A worker thread's cap sits far above its
// memory size and memorySize is judged by measuring (environment-memory.ts, busy-memory-watch.ts);
// a child process's cap is the memory size itself.
import type { ResourceLimits } from 'node:worker_threads';

/**
 * V8's heap cap above the memory size, MB. When one step (a builtin filling or growing a large
 * array, JSON.stringify of a big value) crosses V8's cap, Node 20 aborts the whole process, not
 * the thread: at a cap equal to 128 MB, 6 of 7 large-allocation one-liners measured here did.
 * With this headroom all 7 were caught; memorySize itself is measured in the thread
 * (environment-memory.ts), also while it runs synchronous code (busy-memory-watch.ts), so this cap
 * is only the last stop, for a built-in that allocates past memorySize without returning.
 */
const THREAD_HEAP_HEADROOM_MB = 1024;

/** The `resourceLimits` a worker thread of `memoryMb` is started with. */
export function threadResourceLimits(memoryMb: number): ResourceLimits {
  return { maxOldGenerationSizeMb: memoryMb + THREAD_HEAP_HEADROOM_MB };
}

/**
 * The Node flags a child process of `memoryMb` is started with. In a process of its own, an
 * allocation that crosses V8's cap, in however large a step, ends that process alone, as Lambda
 * ends the environment; Buffers, outside V8's heap, are judged by measuring.
 */
export function processHeapFlags(memoryMb: number): string[] {
  return [`--max-old-space-size=${memoryMb}`];
}
