// The downstream recommendation engine, having a bad day: it answers after ENGINE_LATENCY_MS
// (35 s by default, past API Gateway's 29 s). Stands in for an HTTP call to a model server; like
// fetch, it accepts an AbortSignal so a caller that gives up can stop waiting.
import { setTimeout as sleep } from 'node:timers/promises';

const CATALOGUE = ['espresso machine', 'milk frother', 'grinder', 'tamper', 'descaler', 'cups', 'beans', 'scale'];

/** Personal recommendations for a user, after the engine's latency; rejects with AbortError on abort. */
export async function recommend(userId, { signal } = {}) {
  await sleep(Number(process.env.ENGINE_LATENCY_MS ?? 35_000), undefined, { signal });
  let h = 0;
  for (const ch of String(userId)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return [0, 1, 2].map((i) => CATALOGUE[(h + i * 3) % CATALOGUE.length]);
}

/** What to show when the engine cannot answer in time: the best sellers. */
export const BEST_SELLERS = ['beans', 'espresso machine', 'grinder'];
