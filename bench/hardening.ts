// The cost of the local-safety guard on the request path: the Host check for every request, the
// owning API and the Origin check for the programmatic APIs, measured on the guard alone (no
// sockets) against a listener that does nothing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { guardRequests, LocalGuard } from '../src/http/local-guard.js';
import type { BenchRow } from './types.js';

const ROUNDS = 2_000_000;

function request(url: string, headers: Record<string, string>): IncomingMessage {
  return { url, method: 'POST', headers } as unknown as IncomingMessage;
}

function nsPerCall(listener: (req: IncomingMessage, res: ServerResponse) => void, req: IncomingMessage): number {
  const res = {} as ServerResponse;
  for (let i = 0; i < ROUNDS / 10; i++) listener(req, res);
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) listener(req, res);
  return ((performance.now() - t0) * 1e6) / ROUNDS;
}

/** Nanoseconds the guard adds to an Invoke call and to a gateway request. */
export default async function hardening(): Promise<BenchRow[]> {
  let served = 0;
  const next = () => {
    served++;
  };
  const guard = new LocalGuard({ serverHostname: () => '127.0.0.1', allowedHosts: () => [] });
  const features = [
    { api: { owns: (r: IncomingMessage) => (r.url ?? '').startsWith('/2015-03-31'), refuse: () => undefined } },
    { api: { owns: (r: IncomingMessage) => r.headers['x-amz-target'] !== undefined, refuse: () => undefined } },
    { api: { owns: (r: IncomingMessage) => (r.url ?? '').startsWith('/__coldstart/state'), refuse: () => undefined } },
  ];
  const guarded = guardRequests(guard, features, next);
  const invoke = request('/2015-03-31/functions/f/invocations', { host: '127.0.0.1:3000', 'content-type': 'application/json' });
  const gateway = request('/dev/items/1', { host: 'localhost:3000', 'user-agent': 'curl/8' });
  const bare = nsPerCall(next, invoke);
  const rows: BenchRow[] = [];
  for (const [what, req] of [['Invoke', invoke], ['gateway', gateway]] as const) {
    const ns = nsPerCall(guarded, req) - bare;
    rows.push({ figure: `local guard cost per ${what} request`, value: ns, unit: 'ns', target: '< 1000 ns', met: ns < 1000 });
  }
  if (served === 0) throw new Error('the guard served nothing');
  return rows;
}
