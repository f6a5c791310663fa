// Package sizes are measured in the background (deflating a big node_modules takes seconds): this
// is where a cold start learns whether its function's size is known yet, and where a caller that
// needs every exact size (a test, a benchmark) waits for them.

const estimated = new WeakMap<object, Promise<void>>();
const settled = new WeakMap<object, Promise<void>>();

/** Registers the sizing of a service's functions: `estimate` fills every packageBytes, `exact` replaces them with deflated sizes. */
export function trackPackageSizing(functions: readonly object[], estimate: Promise<void>, exact: Promise<void>): void {
  for (const fn of functions) estimated.set(fn, estimate);
  settled.set(functions, exact);
}

/** Resolves when the function's packageBytes holds at least the fast estimate. */
export function packageSizeEstimated(fn: object): Promise<void> {
  return estimated.get(fn) ?? Promise.resolve();
}

/** Resolves when every function of the list has its exact (deflated) package size. */
export function packageSizesSettled(functions: readonly object[]): Promise<void> {
  return settled.get(functions) ?? Promise.resolve();
}
