// How Lambda turns an invocation's Duration into Billed Duration: 1 ms granularity, rounded up.
// Since 2025-08-01 an on-demand cold start also bills its init phase; provisioned instances
// initialize ahead of time and bill their invocations on Duration alone.
import { billedDurationMs } from '../model/cold-start.js';

/** Billed Duration of one invocation; `initDurationMs` only for the invocation that waited for an on-demand init. */
export function billedMs(durationMs: number, initDurationMs?: number): number {
  return billedDurationMs(durationMs + (initDurationMs ?? 0));
}
