// The concurrency rules: a function never has more than its reservation busy or
// initializing; unreserved functions share the account limit minus every reservation.
import type { ThrottleReason } from '../types/runtime.js';
import { admit, unreservedLimit } from '../platform/admission.js';

/** Counts concurrent executions and decides throttles. */
export class ConcurrencyLimiter {
  private accountLimit: number;
  private readonly reserved = new Map<string, number>();
  private readonly active = new Map<string, number>();
  private unreservedActive = 0;
  private reservedSum = 0;

  constructor(accountLimit: number) {
    this.accountLimit = accountLimit;
  }

  /** Changes the account limit (hot reload of custom.coldstart.accountConcurrency). */
  setAccountLimit(limit: number): void {
    this.accountLimit = limit;
  }

  /** The account limit. */
  get account(): number {
    return this.accountLimit;
  }

  /** Sum of every reservation. */
  get totalReserved(): number {
    return this.reservedSum;
  }

  /** Sets or clears (null) a function's reservation; its running executions move between the pools. */
  setReservation(fn: string, value: number | null): void {
    const running = this.active.get(fn) ?? 0;
    const had = this.reserved.get(fn);
    if (had === undefined) this.unreservedActive -= running;
    else this.reservedSum -= had;
    if (value === null) {
      this.reserved.delete(fn);
      this.unreservedActive += running;
    } else {
      this.reserved.set(fn, value);
      this.reservedSum += value;
    }
  }

  /** A function's reservation, or null. */
  reservation(fn: string): number | null {
    return this.reserved.get(fn) ?? null;
  }

  /** Concurrent executions (busy or initializing instances) of a function. */
  running(fn: string): number {
    return this.active.get(fn) ?? 0;
  }

  /** Unreserved capacity: what unreserved functions share. */
  get unreservedLimit(): number {
    return unreservedLimit(this.accountLimit, this.reservedSum);
  }

  /** Takes one unit of concurrency, or returns why the call is throttled. `force` counts without refusing (provisioned inits). */
  tryAcquire(fn: string, force = false): ThrottleReason | null {
    const res = this.reserved.get(fn);
    if (!force) {
      const refused = admit(res ?? null, this.active.get(fn) ?? 0, this.unreservedActive, this.unreservedLimit);
      if (refused) return refused;
    }
    this.active.set(fn, (this.active.get(fn) ?? 0) + 1);
    if (res === undefined) this.unreservedActive++;
    return null;
  }

  /** Returns one unit taken by tryAcquire. */
  release(fn: string): void {
    const n = this.active.get(fn) ?? 0;
    if (n <= 0) return;
    this.active.set(fn, n - 1);
    if (!this.reserved.has(fn)) this.unreservedActive--;
  }

  /** True when a call to this function would be admitted now. */
  hasCapacity(fn: string): boolean {
    return admit(this.reserved.get(fn) ?? null, this.active.get(fn) ?? 0, this.unreservedActive, this.unreservedLimit) === null;
  }
}
