// Sample 5: a traffic spike against reservedConcurrency 3, and the client retry that rides it out.
// Fires `burst` concurrent ingest calls: three run, the rest are throttled at once (429
// TooManyRequestsException, Reason ReservedFunctionConcurrentInvocationLimitExceeded). Then every
// caller retries with exponential backoff and full jitter (AWS's recommended retry) until it gets
// through. The SDK's own retries are switched off (maxAttempts 1) so each 429 is visible here.
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt, invoke, lambdaClient, printTable, runIfMain } from './lib.mjs';

const BASE_MS = 100;
const CAP_MS = 2000;
const MAX_ATTEMPTS = 12;

/** Full jitter: a random wait in [0, min(cap, base x 2^attempt)). */
export function backoffMs(attempt, random = Math.random) {
  return Math.floor(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt));
}

function isThrottle(err) {
  return err?.name === 'TooManyRequestsException' || err?.$metadata?.httpStatusCode === 429;
}

async function once(client, i) {
  try {
    await invoke(client, 'ingest', { id: i });
    return { ok: true };
  } catch (err) {
    if (!isThrottle(err)) throw err;
    return { ok: false, reason: err.Reason };
  }
}

async function withBackoff(client, i) {
  const started = performance.now();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt));
    const r = await once(client, i);
    if (r.ok) return { attempts: attempt + 1, ms: performance.now() - started };
  }
  throw new Error(`call ${i} still throttled after ${MAX_ATTEMPTS} attempts`);
}

/** Runs the spike twice: without retries, then with backoff; resolves with the numbers it printed. */
export async function main({ url, print = console.log, burst = 20 }) {
  const client = lambdaClient(url);
  try {
    const ids = Array.from({ length: burst }, (_, i) => i + 1);
    const naive = await Promise.all(ids.map((i) => once(client, i)));
    const throttled = naive.filter((r) => !r.ok);
    print(`spike of ${burst} concurrent calls, no retry: ${naive.length - throttled.length} succeeded, ${throttled.length} got 429 (${throttled[0]?.reason ?? '-'})`);

    const started = performance.now();
    const retried = await Promise.all(ids.map((i) => withBackoff(client, i)));
    const totalMs = performance.now() - started;
    const byAttempts = new Map();
    for (const r of retried) byAttempts.set(r.attempts, (byAttempts.get(r.attempts) ?? 0) + 1);
    print(`same spike, retry with exponential backoff + full jitter (base ${BASE_MS} ms, cap ${CAP_MS} ms): all ${retried.length} succeeded in ${fmt(totalMs, 0)} ms`);
    printTable([...byAttempts.entries()].sort((a, b) => a[0] - b[0]).map(([attempts, calls]) => ({ attempts, calls })), print);
    return {
      naive: { succeeded: naive.length - throttled.length, throttled: throttled.length, reasons: [...new Set(throttled.map((t) => t.reason))] },
      retried: { succeeded: retried.length, maxAttempts: Math.max(...retried.map((r) => r.attempts)), totalMs },
    };
  } finally {
    client.destroy();
  }
}

runIfMain(import.meta.url, main);
