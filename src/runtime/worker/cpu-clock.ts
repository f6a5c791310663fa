// CPU time of the current thread. Node 20 has no per-thread CPU API (process.cpuUsage counts every
// thread), so on Linux we read the thread's scheduler clock; elsewhere the event loop's active time.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const SCHEDSTAT = '/proc/thread-self/schedstat';

function readSchedstatMs(): number | null {
  try {
    const text = readFileSync(SCHEDSTAT, 'latin1');
    const ns = Number(text.slice(0, text.indexOf(' ')));
    return Number.isFinite(ns) && ns > 0 ? ns / 1e6 : null;
  } catch {
    return null;
  }
}

/** Which clock this thread can use. */
export const cpuClockKind: 'thread' | 'event-loop' = readSchedstatMs() !== null ? 'thread' : 'event-loop';

/** Milliseconds of CPU (or, as a fallback, of event-loop activity) this thread has used so far. */
export function threadCpuMs(): number {
  if (cpuClockKind === 'thread') return readSchedstatMs() ?? 0;
  return performance.eventLoopUtilization().active;
}
