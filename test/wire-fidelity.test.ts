// What real clients and real handlers meet on AWS, checked against a started coldstart with
// clients that are strict about framing (Node's fetch, node:http) and the AWS SDK.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { GetProvisionedConcurrencyConfigCommand, InvokeAsyncCommand } from '@aws-sdk/client-lambda';
import { eventually } from './helpers/eventually.js';
import { fixture, useColdstart } from './helpers/server.js';
import { duration, initDuration, invoke, lambdaClient } from './helpers/lambda.js';

interface RawResponse {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

/** One request over node:http, whose parser refuses a duplicate Content-Length. */
function rawRequest(base: string, method: string, path: string, headers: [string, string][] = [], agent: http.Agent | false = false): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // With a raw header list node adds no Host header itself.
    const raw = [['Host', new URL(base).host], ...headers].flat();
    const req = http.request(base + path, { method, headers: raw, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function values(res: RawResponse, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() === name.toLowerCase()) out.push(res.rawHeaders[i + 1]!);
  return out;
}

const INTERNAL = '{"message": "Internal server error"}';

describe('wire fidelity', () => {
  const server = useColdstart(fixture('wire', 'serverless.yml'), ['--no-watch']);
  let client: ReturnType<typeof lambdaClient>;
  const get = (path: string, headers: [string, string][] = []) => rawRequest(server.url, 'GET', path, headers);

  before(() => {
    client = lambdaClient(server.url);
  });
  after(() => {
    client?.destroy();
  });

  test('an express app behind serverless-http: one Content-Length, so fetch and node:http accept the answer', async () => {
    for (const path of ['/dev/app/hello?x=1', '/app/hello?x=1']) {
      const res = await fetch(server.url + path);
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), { hello: 'world', query: { x: '1' } }, path);

      const raw = await get(path);
      assert.equal(raw.status, 200, path);
      assert.deepEqual(values(raw, 'content-length'), [String(raw.body.length)], path);
    }
  });

  test('hop-by-hop headers from the function are not passed through; the others are', async () => {
    const agent = new http.Agent({ keepAlive: true });
    try {
      const res = await rawRequest(server.url, 'GET', '/dev/app/framing', [], agent);
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'framed');
      assert.deepEqual(values(res, 'x-kept'), ['yes']);
      // The connection stays the client's and the gateway's: the function's "close" is dropped.
      assert.deepEqual(values(res, 'connection'), ['keep-alive']);
      assert.ok(!values(res, 'keep-alive').includes('timeout=77'), `function's Keep-Alive passed through: ${values(res, 'keep-alive').join()}`);
      assert.deepEqual(values(res, 'content-length'), ['6']);
    } finally {
      agent.destroy();
    }
  });

  test('REST: a proxy result without statusCode is a 200 with its headers and no body', async () => {
    const empty = await get('/dev/no-status');
    assert.equal(empty.status, 200);
    assert.equal(empty.body.length, 0);
    assert.deepEqual(values(empty, 'content-length'), ['0']);

    const withHeaders = await get('/dev/no-status?kind=headers');
    assert.equal(withHeaders.status, 200);
    assert.deepEqual(values(withHeaders, 'x-from'), ['no-status']);

    const viaCallback = await fetch(`${server.url}/dev/no-status-callback`);
    assert.equal(viaCallback.status, 200);
    assert.equal(viaCallback.headers.get('x-from'), 'callback');
    assert.equal(await viaCallback.text(), '');
  });

  test('REST: null, non-objects, unknown keys, non-integer statusCode and non-string bodies stay 502', async () => {
    for (const kind of ['null', 'string', 'unknownKey', 'fractional', 'word', 'objectBody']) {
      const res = await fetch(`${server.url}/dev/malformed?kind=${kind}`);
      assert.equal(res.status, 502, kind);
      assert.equal(await res.text(), INTERNAL, kind);
    }
    const digits = await fetch(`${server.url}/dev/digit-status`);
    assert.equal(digits.status, 201);
    assert.equal(await digits.text(), 'created');
  });

  test('callback style: a handler that returns nothing is answered by a later context.succeed / done / fail', async () => {
    const started = Date.now();
    const succeeded = await invoke(client, 'succeedLater');
    assert.equal(succeeded.functionError, undefined);
    assert.equal(succeeded.payload, 'foo');
    assert.ok(Date.now() - started >= 90, 'answered only when context.succeed ran');

    const done = await fetch(`${server.url}/dev/done-later`);
    assert.equal(done.status, 200);
    assert.equal(await done.text(), 'done later');

    const failed = await invoke(client, 'failLater');
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(failed.payload.errorMessage, 'handled');
  });

  test('callback style: a non-promise return value is ignored; an empty event loop answers null', async () => {
    const started = Date.now();
    const r = await invoke(client, 'returnsValue');
    assert.equal(r.functionError, undefined);
    assert.equal(r.payload, null);
    assert.ok(Date.now() - started >= 140, 'the answer waited for the pending timer');
  });

  test('callback style: callback waits for the event loop unless callbackWaitsForEmptyEventLoop is false', async () => {
    let started = Date.now();
    const waited = await invoke(client, 'callbackWaits', { holdMs: 600 });
    assert.equal(waited.functionError, undefined);
    assert.ok(Date.now() - started >= 550, `answered after ${Date.now() - started} ms, before the timer ended`);
    assert.ok(duration(waited.log) >= 550, `Duration ${duration(waited.log)} ms covers the wait`);

    started = Date.now();
    const quick = await invoke(client, 'callbackNoWait', { holdMs: 4000 });
    assert.equal(quick.functionError, undefined);
    assert.equal(typeof quick.payload.started, 'number');
    assert.ok(Date.now() - started < 3000, `answered after ${Date.now() - started} ms, held by the timer`);
  });

  test('callback style: only the first of callback, done, succeed and fail counts', async () => {
    const started = Date.now();
    const r = await invoke(client, 'firstAnswerCounts');
    assert.equal(r.payload, 'first');
    assert.ok(Date.now() - started >= 140, 'the answer still waited for the loop to empty');
  });

  test('HTTP API payload 1.0: the function gets the 1.0 event', async () => {
    const v1 = JSON.parse((await get('/echo-v1?a=1&a=2')).body.toString()).event;
    assert.equal(v1.version, '1.0');
    assert.equal(v1.httpMethod, 'GET');
    assert.equal(v1.path, '/echo-v1');
    assert.deepEqual(v1.multiValueQueryStringParameters, { a: ['1', '2'] });
    assert.equal(v1.requestContext.stage, '$default');
    assert.equal(v1.requestContext.path, '/echo-v1');
    assert.equal(v1.routeKey, undefined);

    const v2 = JSON.parse((await get('/echo?a=1&a=2')).body.toString()).event;
    assert.equal(v2.version, '2.0');
    assert.deepEqual(v2.queryStringParameters, { a: '1,2' });
  });

  test('HTTP API payload 1.0: results are mapped with 1.0 rules, failures answered with HTTP API errors', async () => {
    // A bare string would be a 200 under 2.0; under 1.0 it is a malformed proxy response.
    for (const kind of ['string', 'word']) {
      const res = await fetch(`${server.url}/malformed-v1?kind=${kind}`);
      assert.equal(res.status, 500, kind);
      assert.equal(await res.text(), '{"message":"Internal Server Error"}', kind);
    }
  });

  test('a 204 goes out without a body or a length, whatever the result carried', async () => {
    const res = await get('/dev/no-content');
    assert.equal(res.status, 204);
    assert.equal(res.body.length, 0);
    assert.deepEqual(values(res, 'content-length'), []);
    const viaFetch = await fetch(`${server.url}/dev/no-content`);
    assert.equal(viaFetch.status, 204);
    assert.equal(await viaFetch.text(), '');
  });

  test('REST: requestContext.operationName comes from the operationId of the http event', async () => {
    const named = JSON.parse((await get('/dev/echo')).body.toString()).event;
    assert.equal(named.requestContext.operationName, 'getEcho');
    const plain = JSON.parse((await rawRequest(server.url, 'POST', '/dev/echo-plain')).body.toString()).event;
    assert.equal('operationName' in plain.requestContext, false);
  });

  test('REST decodes a base64 body only for binaryMediaTypes (Accept or the content type); HTTP API always', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const asText = await get('/dev/binary?type=text/plain', [['Accept', '*/*']]);
    assert.equal(asText.status, 200);
    assert.equal(asText.body.toString(), bytes.toString('base64'), 'no binary media type matched: the client gets the base64 text');

    const byAccept = await get('/dev/binary?type=text/plain', [['Accept', 'application/octet-stream, text/html']]);
    assert.ok(byAccept.body.equals(bytes), 'the first Accept type is a binary media type');

    const notFirst = await get('/dev/binary?type=text/plain', [['Accept', 'text/html, application/octet-stream']]);
    assert.equal(notFirst.body.toString(), bytes.toString('base64'), 'only the first Accept type counts');

    const byContentType = await get('/dev/binary?type=image/png', [['Accept', 'text/html']]);
    assert.ok(byContentType.body.equals(bytes), 'image/png matches image/*');

    const httpApi = await get('/binary?type=text/plain', [['Accept', '*/*']]);
    assert.ok(httpApi.body.equals(bytes), 'the HTTP API decodes always');
  });

  test('InvokeAsync (2014-11-13) answers 202 {"Status": 202} and queues an Event invocation', async () => {
    const res = await fetch(`${server.url}/2014-11-13/functions/wire-dev-echo/invoke-async/`, { method: 'POST', body: '{"async":true}' });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { Status: 202 });
    const requestId = res.headers.get('x-amzn-requestid');
    assert.ok(requestId);
    await server.waitForLine(new RegExp(`REPORT RequestId: ${requestId}`));

    const sdk = await client.send(new InvokeAsyncCommand({ FunctionName: 'echo', InvokeArgs: Buffer.from('{"via":"sdk"}') }));
    assert.equal(sdk.Status, 202);
    await server.waitForLine(new RegExp(`REPORT RequestId: ${sdk.$metadata.requestId}`));

    const missing = await fetch(`${server.url}/2014-11-13/functions/nope/invoke-async/`, { method: 'POST', body: '{}' });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
  });

  describe('names like Object.prototype members', () => {
    const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
    const query = NAMES.map((n, i) => `${n}=${i}`).join('&');
    const headers = NAMES.map((n, i): [string, string] => [n, `h${i}`]);

    test('REST: query and header names reach the handler as own keys with their values', async () => {
      const res = await get(`/dev/echo?${query}`, headers);
      assert.equal(res.status, 200, res.body.toString());
      const { event, own } = JSON.parse(res.body.toString());
      assert.deepEqual(own.query.sort(), [...NAMES].sort());
      assert.deepEqual(own.multiQuery.sort(), [...NAMES].sort());
      assert.equal(own.protoIsOwn, true);
      assert.equal(own.protoOfQuery, true, 'the handler sees ordinary objects');
      NAMES.forEach((n, i) => {
        assert.equal(Object.getOwnPropertyDescriptor(event.queryStringParameters, n)?.value, String(i), n);
        assert.deepEqual(Object.getOwnPropertyDescriptor(event.multiValueQueryStringParameters, n)?.value, [String(i)], n);
        assert.equal(Object.getOwnPropertyDescriptor(event.headers, n)?.value, `h${i}`, n);
        assert.ok(own.headers.includes(n), n);
      });
    });

    test('HTTP API: the same names, in payload 2.0 and 1.0', async () => {
      for (const path of ['/echo', '/echo-v1']) {
        const res = await get(`${path}?${query}`, headers);
        assert.equal(res.status, 200, res.body.toString());
        const { event, own } = JSON.parse(res.body.toString());
        assert.equal(own.protoIsOwn, true, path);
        NAMES.forEach((n, i) => {
          assert.equal(Object.getOwnPropertyDescriptor(event.queryStringParameters, n)?.value, String(i), `${path} ${n}`);
          // Payload 2.0 headers are lower case.
          const header = path === '/echo' ? n.toLowerCase() : n;
          assert.equal(Object.getOwnPropertyDescriptor(event.headers, header)?.value, `h${i}`, `${path} ${header}`);
        });
      }
    });

    test('response header names like them are sent', async () => {
      const rest = await get('/dev/proto-headers');
      assert.equal(rest.status, 200, rest.body.toString());
      for (const [name, value] of [['constructor', 'c'], ['toString', 't'], ['hasOwnProperty', 'h'], ['__proto__', 'p']]) {
        assert.deepEqual(values(rest, name!), [value], name);
      }
      assert.deepEqual(values(rest, 'valueOf'), ['v1', 'v2']);
      const httpApi = await get('/proto-headers');
      assert.equal(httpApi.status, 200);
      assert.deepEqual(values(httpApi, '__proto__'), ['p']);
      assert.deepEqual(values(httpApi, 'constructor'), ['c']);
    });
  });
});

describe('a service with only httpApi events', () => {
  const server = useColdstart(fixture('wire', 'http-only', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);

  test('has no REST API: a path under the stage gets the HTTP API 404', async () => {
    const res = await fetch(`${server.url}/dev/anything`);
    assert.equal(res.status, 404);
    assert.equal(await res.text(), '{"message":"Not Found"}');
    const ok = await fetch(`${server.url}/hello`);
    assert.equal(await ok.text(), 'hello');
  });
});

describe('Billed Duration', () => {
  const server = useColdstart(fixture('wire', 'billing', 'serverless.yml'), ['--no-watch']);
  let client: ReturnType<typeof lambdaClient>;
  before(() => {
    client = lambdaClient(server.url);
  });
  after(() => {
    client?.destroy();
  });

  const billed = (log: string): number => {
    const m = /Billed Duration: (\d+) ms/.exec(log);
    if (!m) throw new Error(`no Billed Duration in:\n${log}`);
    return Number(m[1]);
  };
  // REPORT prints Duration and Init Duration to 0.01 ms, so a sum can round across a whole ms.
  const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 1, `${what}: billed ${actual}, expected ${expected}`);

  test('a cold on-demand invocation bills Duration + Init Duration; a warm one bills Duration', async () => {
    const cold = await invoke(client, 'onDemand');
    const init = initDuration(cold.log);
    assert.ok(init !== undefined && init > 50, cold.log);
    near(billed(cold.log), Math.ceil(duration(cold.log) + init), 'cold');

    const warm = await invoke(client, 'onDemand');
    assert.equal(initDuration(warm.log), undefined);
    near(billed(warm.log), Math.ceil(duration(warm.log)), 'warm');
  });

  test('a provisioned-concurrency invocation bills Duration alone', async () => {
    await eventually(
      async () => (await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'provisioned', Qualifier: '$LATEST' }))).Status === 'READY',
      10_000,
      'provisioned concurrency READY',
      100,
    );
    const r = await invoke(client, 'provisioned');
    assert.equal(initDuration(r.log), undefined, r.log);
    near(billed(r.log), Math.ceil(duration(r.log)), 'provisioned');
  });
});
