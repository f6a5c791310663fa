// CPU time of the current thread. Node 20 has no per-thread CPU API (process.cpuUsage counts every
// thread), so on Linux we read the thread's scheduler clock; elsewhere the event loop's active time.
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// Opened once per thread: /proc/thread-self resolves to the opening thread, and re-reading the open
// file at offset 0 costs one pread instead of open+read+close on every invocation.
let fd: number | null = null;
try {
  fd = openSync('/proc/thread-self/schedstat', 'r');
} catch {
  fd = null;
}
const buf = Buffer.alloc(128);

function readSchedstatMs(): number | null {
  if (fd === null) return null;
  try {
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('latin1', 0, n);
    const ns = Number(text.slice(0, text.indexOf(' ')));
    return Number.isFinite(ns) && ns > 0 ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/** Which clock this thread can use. */
export const cpuClockKind: 'thread' | 'event-loop' = readSchedstatMs() !== null ? 'thread' : 'event-loop';
if (cpuClockKind !== 'thread' && fd !== null) {
  closeSync(fd);
  fd = null;
}

/** Milliseconds of CPU (or, as a fallback, of event-loop activity) this thread has used so far. */
export function threadCpuMs(): number {
  if (cpuClockKind === 'thread') return readSchedstatMs() ?? 0;
  return performance.eventLoopUtilization().active;
}
