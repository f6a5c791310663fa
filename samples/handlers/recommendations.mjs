// Recommendations behind the REST API, whose gateway gives up after 29 s.
//
// `slow` is the incident: timeout 60 s and a blocking call to an engine that takes 35 s. The client
// gets 504 "Endpoint request timed out" at 29 s, while the invocation runs on to 35 s, holding its
// instance and a unit of concurrency, and its result is thrown away.
//
// `withFallback` is the fix: timeout 5 s (well under the gateway's 29 s), and the engine call races
// the time left: SAFETY_MARGIN_MS before the function would time out, it stops waiting and answers
// with the last good recommendations of this instance, or the best sellers.
import { json } from '../lib/http.mjs';
import { BEST_SELLERS, recommend } from '../lib/recommendation-engine.mjs';

const SAFETY_MARGIN_MS = 500;

// Last good answer per user, kept for the life of the instance.
const lastGood = new Map();

function userOf(event) {
  return event?.pathParameters?.userId ?? event?.userId ?? 'anonymous';
}

/** GET /recommendations/slow/{userId}: waits for the engine however long it takes. */
export async function slow(event) {
  const userId = userOf(event);
  const items = await recommend(userId);
  return json(200, { userId, items, source: 'engine' });
}

/** GET /recommendations/{userId}: the engine's answer if it comes in time, else a fallback. */
export async function withFallback(event, context) {
  const userId = userOf(event);
  const budgetMs = Math.max(0, context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS);
  const giveUp = new AbortController();
  const timer = setTimeout(() => giveUp.abort(), budgetMs);
  try {
    const items = await recommend(userId, { signal: giveUp.signal });
    lastGood.set(userId, items);
    return json(200, { userId, items, source: 'engine' });
  } catch (err) {
    if (err?.name !== 'AbortError') throw err;
    console.log(`engine did not answer within ${budgetMs} ms; serving the fallback`);
    const cached = lastGood.get(userId);
    return json(200, { userId, items: cached ?? BEST_SELLERS, source: cached ? 'cache' : 'fallback' });
  } finally {
    clearTimeout(timer);
  }
}
