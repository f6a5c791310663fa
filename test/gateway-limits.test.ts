// The gateway's limits over real HTTP: the integration timeout (REST 504, HTTP API 503) while
// the invocation runs on and ends in success later, holding its instance; the stage's token
// bucket (429); bodies over 10 MB (413); and the gateway.response events on the event stream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { fixture, useColdstart } from './helpers/server.js';
import { connectEvents } from './helpers/events.js';
import type { GatewayResponseEvent, InvokeEndEvent } from '../src/types/events.js';

// The timeout is 3 s rather than 1 s so a first request's real module load on a loaded machine stays
// inside it; the slow function runs 8 s, far past it.
describe('gateway timeout (--gateway-timeout 3) and payload limit', () => {
  const server = useColdstart(fixture('gateway', 'serverless.yml'), ['--cold-start', 'off', '--no-watch', '--gateway-timeout', '3']);

  for (const [api, path, status, body] of [
    ['REST', '/dev/slow?ms=8000', 504, '{"message": "Endpoint request timed out"}'],
    ['HTTP API', '/v2/slow?ms=8000', 503, '{"message":"Service Unavailable"}'],
  ] as const) {
    test(`${api}: ${status} at the gateway timeout, while the invocation runs on and succeeds later`, async () => {
      const stream = await connectEvents(server.url);
      try {
        const started = Date.now();
        const res = await fetch(server.url + path);
        const waited = Date.now() - started;
        assert.equal(res.status, status);
        assert.equal(await res.text(), body);
        if (status === 504) assert.equal(res.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
        // The gateway answered at its timeout (3 s), well before the function's 8 s.
        assert.ok(waited >= 2900 && waited < 7500, `answered after ${waited} ms`);

        const response = await stream.waitFor<GatewayResponseEvent>((e) => e.type === 'gateway.response' && e.status === status);
        assert.equal(response.function, 'slow');
        assert.equal(response.method, 'GET');
        assert.equal(response.path, path.split('?')[0]);
        assert.equal(typeof response.durationMs, 'number');
        const requestId = response.requestId!;
        assert.match(requestId, /^[0-9a-f-]{36}$/);

        // While it runs on, the invocation holds its instance: the state shows it busy.
        const state = (await (await fetch(`${server.url}/__coldstart/state`)).json()) as { functions: { name: string; instances: { state: string }[] }[] };
        const slow = state.functions.find((f) => f.name === 'slow');
        assert.ok(slow?.instances.some((i) => i.state === 'busy'), `slow has no busy instance: ${JSON.stringify(slow?.instances)}`);

        const end = await stream.waitFor<InvokeEndEvent>((e) => e.type === 'invoke.end' && e.requestId === requestId);
        assert.equal(end.outcome, 'success');
        assert.ok(end.time - started >= 7900, 'invoke.end came before the function finished');
        assert.ok(end.time > response.time);
      } finally {
        await stream.close();
      }
    });
  }

  test('a body over 10 MB is refused with 413, announced or streamed', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 97);
    const announced = await fetch(`${server.url}/dev/binary`, { method: 'POST', body: big, headers: { 'content-type': 'text/plain' } });
    assert.equal(announced.status, 413);
    assert.equal(await announced.text(), 'HTTP content length exceeded 10485760 bytes.');

    // Chunked, no Content-Length: the limit is enforced while reading.
    const chunks = function* () {
      for (let i = 0; i < 11; i++) yield Buffer.alloc(1024 * 1024, 98);
    };
    const streamed = await fetch(`${server.url}/v2/binary`, {
      method: 'POST',
      body: Readable.toWeb(Readable.from(chunks())) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(await streamed.text(), 'HTTP content length exceeded 10485760 bytes.');
    // The server is fine afterwards.
    assert.equal((await fetch(`${server.url}/dev/items/1`)).status, 200);
  });
});

describe('stage throttle', () => {
  const server = useColdstart(fixture('gateway', 'throttle.yml'), ['--cold-start', 'off', '--no-watch']);

  test('the stage token bucket (burst 3, almost no refill) answers 429 Too Many Requests', async () => {
    for (const [path, errorType] of [
      ['/dev/hello', 'TooManyRequestsException'],
      ['/hello', 'TooManyRequestsException'],
    ] as const) {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 6; i++) {
        last = await fetch(server.url + path);
        statuses.push(last.status);
        if (last.status === 429) assert.equal(await last.text(), '{"message":"Too Many Requests"}');
        else await last.arrayBuffer();
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429], path);
      assert.equal(last!.headers.get('x-amzn-errortype'), errorType);
    }
  });
});
