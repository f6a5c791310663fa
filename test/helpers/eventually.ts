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
