// The resident memory of an environment in a process of its own (`isolation: process`), read from
// /proc: its V8 cap is its memory size, but Buffers are outside V8's heap, and a loop that never
// yields could fill the machine with them.
import { readFileSync } from 'node:fs';

/**
 * Resident memory a process may hold above its memory size before it is ended, MB: room for what
 * V8 holds beyond the live heap (the young generation, free pages not yet returned), so a handler
 * inside its limit is never ended for it. A handler with at most 65 MB alive and much garbage
 * (test/fixtures/memory, `churn`) held 158-170 MB at 128 MB.
 */
const PROCESS_SLACK_MB = 96;

/** A process's resident anonymous memory (its heaps and Buffers, not the shared code), MB; 0 off Linux. */
export function residentAnonMb(pid: number): number {
  try {
    const m = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The resident memory of process `pid` when it is over what `memoryMb` allows, MB; null when within. */
export function residentOverLimit(pid: number, memoryMb: number): number | null {
  const residentMb = residentAnonMb(pid);
  return residentMb > memoryMb + PROCESS_SLACK_MB ? residentMb : null;
}
