// Ingest, with reservedConcurrency 3: at most three run at once. A spike of 20 concurrent calls is
// throttled (Lambda answers 429 TooManyRequestsException); clients that retry with exponential
// backoff and jitter get through as instances free up.
import { setTimeout as sleep } from 'node:timers/promises';
import { bodyOf, json } from '../lib/http.mjs';

const WRITE_LATENCY_MS = 250; // the downstream write each event needs

/** POST /ingest: stores one event (simulated write). */
export async function handler(event) {
  const item = bodyOf(event);
  await sleep(WRITE_LATENCY_MS);
  return json(200, { stored: item.id ?? null });
}
