// Sample 4: provisioned concurrency 5 under 10 concurrent users.
// checkout has provisionedConcurrency: 5, initialized at start-up. Ten users check out at the same
// moment: five land on the provisioned instances (no Init Duration), five spill over to on-demand
// instances and start cold. Run it on a freshly started emulator, once the five are ready.
import { fmt, invoke, lambdaClient, mean, printTable, proxyBody, runIfMain, consoleJson } from './lib.mjs';

async function provisionedReady(url) {
  const { functions } = await consoleJson('state', url);
  const fn = functions.find((f) => f.name === 'checkout');
  return fn.instances.filter((i) => i.initType === 'provisioned-concurrency' && i.state === 'idle').length;
}

/** Fires `users` concurrent checkouts; resolves with the numbers it printed. */
export async function main({ url, print = console.log, users = 10 }) {
  const client = lambdaClient(url);
  try {
    const ready = await provisionedReady(url);
    print(`provisioned instances ready: ${ready}`);
    const event = (i) => ({ requestContext: { http: { method: 'POST' } }, body: JSON.stringify({ cart: i, total: 20 + i }) });
    const calls = await Promise.all(Array.from({ length: users }, (_, i) => invoke(client, 'checkout', event(i))));
    const rows = calls.map((c, i) => ({
      user: i + 1,
      instance: proxyBody(c.payload).initType,
      cold: c.initMs !== undefined,
      'Init Duration ms': fmt(c.initMs),
      'round trip ms': fmt(c.roundTripMs, 0),
    }));
    printTable(rows, print);
    const cold = calls.filter((c) => c.initMs !== undefined);
    const warm = calls.filter((c) => c.initMs === undefined);
    print(`${warm.length} warm (provisioned), ${cold.length} cold starts (on-demand spill-over)`);
    print(`mean round trip: warm ${fmt(mean(warm.map((c) => c.roundTripMs)), 0)} ms, cold ${fmt(mean(cold.map((c) => c.roundTripMs)), 0)} ms`);
    return {
      ready,
      warm: warm.length,
      cold: cold.length,
      initTypes: calls.map((c) => proxyBody(c.payload).initType),
      coldInitTypes: cold.map((c) => proxyBody(c.payload).initType),
    };
  } finally {
    client.destroy();
  }
}

runIfMain(import.meta.url, main);
