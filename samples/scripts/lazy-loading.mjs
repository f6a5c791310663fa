// Sample 1: heavy dependencies at init vs lazy loading.
// Cold-starts ordersEager (imports @aws-sdk/client-sqs at module scope) and ordersLazy (imports it
// inside the handler, only on POST) on the same GET route and compares their Init Duration; then
// shows what lazy loading moves: the first POST of a lazy instance pays the import in its Duration.
// Run it against a freshly started emulator: only calls that were cold are counted.
import { consoleJson, fmt, invoke, lambdaClient, mean, printTable, runIfMain } from './lib.mjs';

const GET = { requestContext: { http: { method: 'GET' } }, pathParameters: { id: '42' } };
const POST = { requestContext: { http: { method: 'POST' } }, body: JSON.stringify({ item: 'grinder', quantity: 1 }) };

// Idle instances would serve a call warm; firing that many more calls at once leaves `n` cold.
async function idleInstances(url, name) {
  const state = await consoleJson('state', url);
  return state.functions.find((f) => f.name === name)?.instances.filter((i) => i.state === 'idle').length ?? 0;
}

/** Measures `coldStarts` concurrent cold starts of each variant; resolves with the numbers it printed. */
export async function main({ url, print = console.log, coldStarts = 3, post = true }) {
  const client = lambdaClient(url);
  try {
    const variants = {};
    for (const name of ['ordersEager', 'ordersLazy']) {
      const n = coldStarts + (await idleInstances(url, name));
      const calls = await Promise.all(Array.from({ length: n }, () => invoke(client, name, GET)));
      const cold = calls.filter((c) => c.initMs !== undefined);
      variants[name] = { coldStarts: cold.length, initMs: mean(cold.map((c) => c.initMs)), roundTripMs: mean(cold.map((c) => c.roundTripMs)) };
    }
    print('Cold start of GET /orders/{id} (Init Duration from the REPORT line, mean of the cold calls)');
    printTable(
      Object.entries(variants).map(([name, v]) => ({
        function: name,
        'cold starts': v.coldStarts,
        'Init Duration ms': fmt(v.initMs),
        'client round trip ms': fmt(v.roundTripMs),
      })),
      print,
    );
    const saved = variants.ordersEager.initMs - variants.ordersLazy.initMs;
    print(`lazy loading saves ${fmt(saved)} ms of Init Duration on every cold start of the GET route`);

    let lazyPost;
    if (post) {
      // The price of lazy loading: the first call that needs the SDK imports it.
      const first = await invoke(client, 'ordersLazy', POST);
      const second = await invoke(client, 'ordersLazy', POST);
      if (first.functionError) throw new Error(`POST failed: ${JSON.stringify(first.payload)}`);
      lazyPost = { firstMs: first.durationMs, secondMs: second.durationMs };
      print(`ordersLazy POST: first call ${fmt(first.durationMs)} ms (imports the SDK), next call ${fmt(second.durationMs)} ms`);
    }
    return { ...variants, savedMs: saved, lazyPost };
  } finally {
    client.destroy();
  }
}

runIfMain(import.meta.url, main);
