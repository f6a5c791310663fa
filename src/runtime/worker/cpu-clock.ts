// CPU time of the current thread, and the time it waited for a CPU. Node 20 has no per-thread CPU
// API (process.cpuUsage counts every thread), so on Linux we read the thread's scheduler clock;
// elsewhere the event loop's active time (and no queue time).
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

/** Time this thread has spent so far, ms. */
export interface ThreadTimes {
  /** On a CPU (or, as a fallback, active in the event loop). */
  cpuMs: number;
  /** Runnable but waiting for a CPU of this machine: the machine's load, not the function's work (0 in the fallback). */
  queuedMs: number;
}

// /proc/thread-self/schedstat: "<ns on cpu> <ns waiting on a run queue> <timeslices>".
function readSchedstat(): ThreadTimes | null {
  if (fd === null) return null;
  try {
    const n = readSync(fd, buf, 0, buf.length, 0);
    const [onCpu, queued] = buf.toString('latin1', 0, n).split(' ').map(Number);
    return Number.isFinite(onCpu) && onCpu! > 0 ? { cpuMs: onCpu! / 1e6, queuedMs: Number.isFinite(queued) ? queued! / 1e6 : 0 } : null;
  } catch {
    return null;
  }
}

/** Which clock this thread can use. */
export const cpuClockKind: 'thread' | 'event-loop' = readSchedstat() !== null ? 'thread' : 'event-loop';
if (cpuClockKind !== 'thread' && fd !== null) {
  closeSync(fd);
  fd = null;
}

/** CPU (or, as a fallback, event-loop activity) and run-queue time of this thread so far. */
export function threadTimes(): ThreadTimes {
  if (cpuClockKind === 'thread') return readSchedstat() ?? { cpuMs: 0, queuedMs: 0 };
  return { cpuMs: performance.eventLoopUtilization().active, queuedMs: 0 };
}
