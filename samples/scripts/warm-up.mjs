// Sample 3: a warm-up schedule keeping a rarely used route warm.
// inventoryReport has `schedule: rate(5 minutes)`; its handler returns at once for a Scheduled
// Event. Rather than wait five minutes, this script sends the ping itself, as EventBridge would:
// it invokes the function with the EventBridge "Scheduled Event" payload through the Lambda API.
// Then it calls the route as a user would (GET /admin/inventory through the HTTP API) and shows,
// from the console's metrics, that the user's call found a warm instance.
// With the emulator just started, the ping is the cold start; the user never sees it.
import { randomUUID } from 'node:crypto';
import { consoleJson, fmt, invoke, lambdaClient, printTable, runIfMain } from './lib.mjs';

/** The event EventBridge sends for a schedule rule. */
export function scheduledEvent(region = 'us-east-1') {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:000000000000:rule/coldstart-samples-dev-inventory-warmup`],
    detail: {},
  };
}

async function coldStartsOf(url, name) {
  const metrics = await consoleJson('metrics', url);
  return metrics.functions[name]?.coldStarts ?? 0;
}

/** Pings, then calls the route; resolves with the numbers it printed. */
export async function main({ url, print = console.log }) {
  const client = lambdaClient(url);
  try {
    const ping = await invoke(client, 'inventoryReport', scheduledEvent());
    if (ping.functionError) throw new Error(`the warm-up ping failed: ${JSON.stringify(ping.payload)}`);

    const coldBefore = await coldStartsOf(url, 'inventoryReport');
    const started = performance.now();
    const res = await fetch(`${url}/admin/inventory`);
    const userMs = performance.now() - started;
    const body = await res.json();
    const coldAfter = await coldStartsOf(url, 'inventoryReport');
    const userCold = coldAfter > coldBefore;

    printTable(
      [
        { call: 'warm-up ping (Scheduled Event)', cold: ping.initMs !== undefined, 'Init Duration ms': fmt(ping.initMs), 'Duration ms': fmt(ping.durationMs) },
        { call: 'user: GET /admin/inventory', cold: userCold, 'Init Duration ms': '-', 'Duration ms': `${fmt(userMs)} (round trip)` },
      ],
      print,
    );
    print(`the user's call was ${userCold ? 'COLD' : 'warm'} (status ${res.status}, ${body.count ?? '?'} functions listed)`);
    const { schedules = [] } = await consoleJson('state', url);
    const rule = schedules.find((s) => s.function === 'inventoryReport');
    if (rule) print(`the schedule ${rule.expression} fires next at ${rule.nextFiring} (fired ${rule.firings} times so far)`);
    return { ping: { cold: ping.initMs !== undefined, initMs: ping.initMs, durationMs: ping.durationMs }, user: { cold: userCold, status: res.status, ms: userMs, count: body.count } };
  } finally {
    client.destroy();
  }
}

runIfMain(import.meta.url, main);
