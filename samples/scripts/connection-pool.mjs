// Sample 7: a connection at module scope reused across warm invocations vs one connection per call.
// Calls usersPooled and usersPerCall `calls` times each, one after the other (so each function runs
// on one warm instance), and reports how many connections each instance opened (the handler returns
// its module-scope counter) and the mean Duration.
import { fmt, invoke, lambdaClient, mean, printTable, proxyBody, runIfMain } from './lib.mjs';

/** Calls both variants; resolves with the numbers it printed. */
export async function main({ url, print = console.log, calls = 10 }) {
  const client = lambdaClient(url);
  try {
    const out = {};
    for (const name of ['usersPooled', 'usersPerCall']) {
      const results = [];
      for (let i = 1; i <= calls; i++) results.push(await invoke(client, name, { pathParameters: { id: String(i) } }));
      const failed = results.find((r) => r.functionError);
      if (failed) throw new Error(`${name} failed: ${JSON.stringify(failed.payload)}`);
      const last = proxyBody(results.at(-1).payload);
      const warm = results.filter((r) => r.initMs === undefined);
      out[name] = {
        calls,
        coldStarts: results.length - warm.length,
        connectionsOpened: last.connections.opened,
        connectionsOpen: last.connections.open,
        warmDurationMs: mean(warm.map((r) => r.durationMs)),
      };
    }
    printTable(
      Object.entries(out).map(([name, v]) => ({
        function: name,
        calls: v.calls,
        'cold starts': v.coldStarts,
        'connections opened': v.connectionsOpened,
        'still open': v.connectionsOpen,
        'warm Duration ms': fmt(v.warmDurationMs),
      })),
      print,
    );
    print('the pooled instance connects once and reuses the connection while it lives; per-call pays ~50 ms and one more connection every time.');
    return out;
  } finally {
    client.destroy();
  }
}

runIfMain(import.meta.url, main);
