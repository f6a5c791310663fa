// Package sizes are measured in the background (deflating a big node_modules takes seconds), and
// only once the server listens: this is where the measurement is started, where a cold start
// learns whether its function's size is known yet, and where a caller that needs every exact size
// (a test, a benchmark) waits for them.

/** A service's sizing job: `estimate` fills every packageBytes, `exact` then replaces them with deflated sizes. */
export interface SizingJob {
  estimate: Promise<void>;
  exact: Promise<void>;
}

interface Entry {
  start: () => SizingJob;
  job?: SizingJob;
}

const byFunction = new WeakMap<object, Entry>();
const byList = new WeakMap<object, Entry>();

function run(entry: Entry | undefined): SizingJob | undefined {
  if (!entry) return undefined;
  entry.job ??= entry.start();
  return entry.job;
}

/** Registers (without starting) the sizing of a service's functions. */
export function trackPackageSizing(functions: readonly object[], start: () => SizingJob): void {
  const entry: Entry = { start };
  for (const fn of functions) byFunction.set(fn, entry);
  byList.set(functions, entry);
}

/** Starts measuring the functions' package sizes, if not started yet (the server calls it once it listens). */
export function startPackageSizing(functions: readonly object[]): void {
  run(byList.get(functions));
}

/** Resolves when the function's packageBytes holds at least the fast estimate (starting the measurement if needed). */
export function packageSizeEstimated(fn: object): Promise<void> {
  return run(byFunction.get(fn))?.estimate ?? Promise.resolve();
}

/** Resolves when every function of the list has its exact (deflated) package size (starting the measurement if needed). */
export function packageSizesSettled(functions: readonly object[]): Promise<void> {
  return run(byList.get(functions))?.exact ?? Promise.resolve();
}
