// Sample 6: a call that outlives the REST API's 29 s gateway timeout, and the fix.
// Calls both routes at once through the gateway:
//   GET /dev/recommendations/slow/{user}: timeout 60 s, waits for an engine that takes 35 s. The
//     gateway answers 504 at 29 s; the invocation runs on (still holding its instance and its
//     concurrency) until the engine answers, and its result is thrown away.
//   GET /dev/recommendations/{user}: timeout 5 s, stops waiting 500 ms before its timeout and
//     answers 200 with a fallback (best sellers, or this instance's last good answer).
// Takes about 35 s with the defaults (the sample's engine latency); start the emulator with
// `--gateway-timeout 5` and ENGINE_LATENCY_MS=8000 in its environment for a shorter run.
import { setTimeout as sleep } from 'node:timers/promises';
import { consoleJson, fmt, printTable, runIfMain } from './lib.mjs';

async function timed(url) {
  const started = performance.now();
  const res = await fetch(url);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, ms: performance.now() - started, body, errorType: res.headers.get('x-amzn-errortype') };
}

async function running(url, name) {
  const { functions } = await consoleJson('metrics', url);
  return functions[name]?.concurrentExecutions ?? 0;
}

/** Calls both routes; resolves with the numbers it printed. */
export async function main({ url, print = console.log, user = 'u42', waitForEnd = true }) {
  const { stage } = await consoleJson('state', url);
  const [slow, fixed] = await Promise.all([
    timed(`${url}/${stage}/recommendations/slow/${user}`),
    timed(`${url}/${stage}/recommendations/${user}`),
  ]);
  const stillRunning = await running(url, 'recommendationsSlow');
  printTable(
    [
      { route: `GET /${stage}/recommendations/slow/${user}`, status: slow.status, 'answered after s': fmt(slow.ms / 1000, 2), answer: JSON.stringify(slow.body) },
      { route: `GET /${stage}/recommendations/${user}`, status: fixed.status, 'answered after s': fmt(fixed.ms / 1000, 2), answer: JSON.stringify(fixed.body) },
    ],
    print,
  );
  print(`after the ${slow.status}, recommendationsSlow invocations still running: ${stillRunning}`);
  let slowEndedAfterMs;
  if (waitForEnd && stillRunning > 0) {
    const started = performance.now();
    while ((await running(url, 'recommendationsSlow')) > 0) await sleep(250);
    slowEndedAfterMs = slow.ms + (performance.now() - started);
    print(`it finished ${fmt(slowEndedAfterMs / 1000, 1)} s after the request: ${fmt((slowEndedAfterMs - slow.ms) / 1000, 1)} s of work nobody received`);
  }
  return { slow, fixed, stillRunningAfterGatewayTimeout: stillRunning, slowEndedAfterMs };
}

runIfMain(import.meta.url, main);
