// The one polling helper of the tests: waits for a probe to produce a value.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns something other than undefined, null or false, and resolves with
 * that. A probe that throws counts as "not yet" (e.g. a function not loaded yet). Rejects after
 * `timeoutMs`, naming `what` and the last answer or error.
 */
export async function eventually<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms; last answer ${JSON.stringify(last)}`);
    await sleep(intervalMs);
  }
}

/**
 * Polls like eventually() until `done(value)` holds, but when the time is up resolves with the last
 * value instead of rejecting: for a measurement that may take a while to settle, whose assertions
 * afterwards report what was measured. Errors of the first probe are thrown; later ones count as
 * "not yet".
 */
export async function settle<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000, intervalMs = 20): Promise<T> {
  let last = await probe();
  if (done(last)) return last;
  await eventually(async () => done((last = await probe())), timeoutMs, 'settling', intervalMs).catch(() => undefined);
  return last;
}
