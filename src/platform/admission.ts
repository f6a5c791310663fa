// Lambda's concurrency admission, as one pure decision shared by the runtime (real clock) and the
// simulator (virtual clock): a reserved function is held to its reservation; unreserved functions
// share what the account limit leaves after every reservation.
import type { ThrottleReason } from '../types/runtime.js';

/** Lambda keeps at least this much account concurrency unreserved. */
export const MIN_UNRESERVED = 100;

/** Capacity unreserved functions share: the account limit minus every reservation. */
export function unreservedLimit(accountLimit: number, reservedSum: number): number {
  return Math.max(0, accountLimit - reservedSum);
}

/**
 * Whether one more concurrent execution may start: null when admitted, else the reason Lambda gives.
 * `reserved` is the function's reservation (null when it has none), `running` its executions now,
 * `unreservedRunning` the executions of every unreserved function.
 */
export function admit(reserved: number | null, running: number, unreservedRunning: number, unreserved: number): ThrottleReason | null {
  if (reserved !== null) return running >= reserved ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : null;
  return unreservedRunning >= unreserved ? 'ConcurrentInvocationLimitExceeded' : null;
}

/** True when reservations leave the account at least its minimum unreserved concurrency. */
export function leavesMinimumUnreserved(accountLimit: number, reservedSum: number): boolean {
  return accountLimit - reservedSum >= MIN_UNRESERVED;
}
