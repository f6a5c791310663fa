// The gateway over real HTTP against a started coldstart: payload 1.0 and 2.0 events field by
// field, route precedence, multi-value query and headers, binary in and out, several cookies,
// CORS, and the error answers of both kinds of API.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import { fixture, useColdstart } from './helpers/server.js';

const server = useColdstart(fixture('gateway', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);

interface RawResponse {
  status: number;
  /** Raw header list as received: name, value, name, value ... */
  rawHeaders: string[];
  body: Buffer;
}

/** One request with exact control over repeated headers (fetch would join them). */
function rawRequest(method: string, path: string, headers: [string, string][] = [], body?: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // With a raw header list node adds no Host header itself.
    const raw = [['Host', `127.0.0.1:${server.port}`], ...headers].flat();
    const req = http.request(server.url + path, { method, headers: raw, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function headerValues(res: RawResponse, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() === name.toLowerCase()) out.push(res.rawHeaders[i + 1]!);
  return out;
}

async function echoEvent(method: string, path: string, headers: [string, string][] = [], body?: Buffer): Promise<any> {
  const res = await rawRequest(method, path, headers, body);
  assert.equal(res.status, 200, res.body.toString());
  return JSON.parse(res.body.toString('utf8'));
}

test('REST API: the payload 1.0 event carries every field', async () => {
  const e = await echoEvent('POST', '/dev/echo?a=1&a=2&b=x%20y&flag', [
    ['X-Multi', 'one'],
    ['X-Multi', 'two'],
    ['Content-Type', 'application/json'],
    ['User-Agent', 'gateway-test/1.0'],
  ], Buffer.from('{"hello":"world"}'));
  assert.equal(e.resource, '/echo');
  assert.equal(e.path, '/echo');
  assert.equal(e.httpMethod, 'POST');
  // Header names keep the client's case; repeats go to multiValueHeaders, the single map keeps the last.
  assert.equal(e.headers['X-Multi'], 'two');
  assert.deepEqual(e.multiValueHeaders['X-Multi'], ['one', 'two']);
  assert.equal(e.headers['Content-Type'], 'application/json');
  assert.equal(e.headers['X-Forwarded-For'], '127.0.0.1');
  assert.match(e.headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  assert.deepEqual(e.queryStringParameters, { a: '2', b: 'x y', flag: '' });
  assert.deepEqual(e.multiValueQueryStringParameters, { a: ['1', '2'], b: ['x y'], flag: [''] });
  assert.equal(e.pathParameters, null);
  assert.equal(e.stageVariables, null);
  assert.equal(e.body, '{"hello":"world"}');
  assert.equal(e.isBase64Encoded, false);
  const rc = e.requestContext;
  assert.equal(rc.stage, 'dev');
  assert.equal(rc.path, '/dev/echo');
  assert.equal(rc.httpMethod, 'POST');
  assert.equal(rc.resourcePath, '/echo');
  assert.equal(rc.protocol, 'HTTP/1.1');
  assert.equal(rc.accountId, '000000000000');
  assert.match(rc.apiId, /^[0-9a-z]{10}$/);
  assert.match(rc.requestId, /^[0-9a-f-]{36}$/);
  assert.match(rc.extendedRequestId, /^[A-Za-z0-9+/]{15}=$/);
  assert.equal(typeof rc.requestTimeEpoch, 'number');
  assert.ok(Math.abs(rc.requestTimeEpoch - Date.now()) < 60_000);
  assert.match(rc.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  assert.equal(rc.identity.sourceIp, '127.0.0.1');
  assert.equal(rc.identity.userAgent, 'gateway-test/1.0');
  assert.equal(rc.identity.user, null);
  assert.equal(rc.domainName, `127.0.0.1:${server.port}`);
});

test('REST API: absent query, no body: nulls; the response carries x-amzn-RequestId', async () => {
  const res = await rawRequest('GET', '/dev/items/42');
  assert.equal(res.status, 200);
  const e = JSON.parse(res.body.toString());
  assert.equal(e.queryStringParameters, null);
  assert.equal(e.multiValueQueryStringParameters, null);
  assert.equal(e.body, null);
  assert.deepEqual(e.pathParameters, { id: '42' });
  assert.deepEqual(headerValues(res, 'x-amzn-RequestId'), [e.requestContext.requestId]);
  assert.deepEqual(headerValues(res, 'x-amz-apigw-id'), [e.requestContext.extendedRequestId]);
  assert.deepEqual(headerValues(res, 'X-Handler'), ['echo']);
  assert.deepEqual(headerValues(res, 'X-Powered-By'), []);
});

test('HTTP API: the payload 2.0 event carries every field', async () => {
  const e = await echoEvent('PUT', '/v2/echo?a=1&a=2&b=x%20y', [
    ['X-Multi', 'one'],
    ['X-Multi', 'two'],
    ['Cookie', 'session=abc; theme=dark'],
    ['Content-Type', 'text/plain'],
    ['User-Agent', 'gateway-test/2.0'],
  ], Buffer.from('plain text body'));
  assert.equal(e.version, '2.0');
  assert.equal(e.routeKey, 'ANY /v2/echo');
  assert.equal(e.rawPath, '/v2/echo');
  assert.equal(e.rawQueryString, 'a=1&a=2&b=x%20y');
  assert.deepEqual(e.cookies, ['session=abc', 'theme=dark']);
  assert.equal(e.headers['x-multi'], 'one,two');
  assert.equal(e.headers.cookie, undefined);
  assert.equal(e.headers['content-type'], 'text/plain');
  assert.deepEqual(e.queryStringParameters, { a: '1,2', b: 'x y' });
  assert.equal(e.pathParameters, undefined);
  assert.equal(e.body, 'plain text body');
  assert.equal(e.isBase64Encoded, false);
  const rc = e.requestContext;
  assert.deepEqual(rc.http, { method: 'PUT', path: '/v2/echo', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'gateway-test/2.0' });
  assert.equal(rc.routeKey, 'ANY /v2/echo');
  assert.equal(rc.stage, '$default');
  assert.match(rc.requestId, /^[A-Za-z0-9+/]{15}=$/);
  assert.match(rc.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  assert.equal(typeof rc.timeEpoch, 'number');
  assert.equal(rc.accountId, '000000000000');
});

test('HTTP API: empty fields are left out; the response carries apigw-requestid', async () => {
  const res = await rawRequest('GET', '/v2/items/7');
  assert.equal(res.status, 200);
  const e = JSON.parse(res.body.toString());
  assert.equal('body' in e, false);
  assert.equal('cookies' in e, false);
  assert.equal('queryStringParameters' in e, false);
  assert.equal(e.rawQueryString, '');
  assert.deepEqual(e.pathParameters, { id: '7' });
  assert.deepEqual(headerValues(res, 'apigw-requestid'), [e.requestContext.requestId]);
});

test('routing: static before {param} before {proxy+}, for both APIs', async () => {
  const special = await echoEvent('GET', '/dev/items/special');
  assert.equal(special.resource, '/items/special');
  assert.equal(special.pathParameters, null);
  const param = await echoEvent('GET', '/dev/items/abc');
  assert.equal(param.resource, '/items/{id}');
  assert.deepEqual(param.pathParameters, { id: 'abc' });
  const greedy = await echoEvent('GET', '/dev/items/abc/def/ghi');
  assert.equal(greedy.resource, '/items/{proxy+}');
  assert.deepEqual(greedy.pathParameters, { proxy: 'abc/def/ghi' });
  // DELETE has no route on /items/{id}: the greedy ANY route takes it.
  const del = await echoEvent('DELETE', '/dev/items/abc');
  assert.equal(del.resource, '/items/{proxy+}');
  const root = await echoEvent('GET', '/dev');
  assert.equal(root.resource, '/');

  assert.equal((await echoEvent('GET', '/v2/items/special')).routeKey, 'GET /v2/items/special');
  const p2 = await echoEvent('GET', '/v2/items/a%20b');
  assert.equal(p2.routeKey, 'GET /v2/items/{id}');
  assert.deepEqual(p2.pathParameters, { id: 'a b' });
  assert.equal(p2.rawPath, '/v2/items/a%20b');
  const g2 = await echoEvent('GET', '/v2/items/x/y');
  assert.equal(g2.routeKey, 'GET /v2/items/{proxy+}');
  assert.deepEqual(g2.pathParameters, { proxy: 'x/y' });
});

test('binary: a non-text body arrives base64 and goes back byte-exact', async () => {
  const bytes = randomBytes(200_000);
  for (const path of ['/dev/binary', '/v2/binary']) {
    const res = await rawRequest('POST', path, [['Content-Type', 'image/png']], bytes);
    assert.equal(res.status, 200, path);
    assert.deepEqual(headerValues(res, 'X-Received-Base64'), ['true'], path);
    assert.deepEqual(headerValues(res, 'X-Received-Bytes'), [String(bytes.length)], path);
    assert.ok(res.body.equals(bytes), `${path}: body differs`);
    assert.deepEqual(headerValues(res, 'Content-Type'), ['application/octet-stream']);
  }
  // A JSON body is text: it arrives as a string, not base64.
  const json = await rawRequest('POST', '/dev/binary', [['Content-Type', 'application/json']], Buffer.from('{"a":1}'));
  assert.deepEqual(headerValues(json, 'X-Received-Base64'), ['false']);
  assert.equal(json.body.toString(), '{"a":1}');
});

test('cookies: several Set-Cookie headers from multiValueHeaders (v1) and cookies (v2)', async () => {
  for (const path of ['/dev/cookies', '/v2/cookies']) {
    const res = await rawRequest('GET', path);
    assert.equal(res.status, 200);
    assert.deepEqual(headerValues(res, 'set-cookie'), ['session=abc; Path=/; HttpOnly', 'theme=dark; Max-Age=60'], path);
    assert.equal(res.body.toString(), 'ok');
  }
  const viaFetch = await fetch(`${server.url}/v2/cookies`);
  assert.deepEqual(viaFetch.headers.getSetCookie(), ['session=abc; Path=/; HttpOnly', 'theme=dark; Max-Age=60']);
});

test('HTTP API infers a 200 JSON answer from a value that is not a proxy object; REST refuses it', async () => {
  const obj = await fetch(`${server.url}/v2/plain-object`);
  assert.equal(obj.status, 200);
  assert.equal(obj.headers.get('content-type'), 'application/json');
  assert.equal(await obj.text(), '{"hello":"world"}');
  const str = await fetch(`${server.url}/v2/plain-string`);
  assert.equal(str.status, 200);
  assert.equal(await str.text(), 'Hello from Lambda');
  const rest = await fetch(`${server.url}/dev/plain-object`);
  assert.equal(rest.status, 502);
  assert.equal(await rest.text(), '{"message": "Internal server error"}');
  assert.equal(rest.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
});

test('errors: a function that throws or crashes: REST 502, HTTP API 500', async () => {
  for (const path of ['/dev/throw', '/dev/crash']) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 502, path);
    assert.equal(await res.text(), '{"message": "Internal server error"}');
    assert.equal(res.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  }
  for (const path of ['/v2/throw', '/v2/crash']) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 500, path);
    assert.equal(await res.text(), '{"message":"Internal Server Error"}');
    assert.ok(res.headers.get('apigw-requestid'));
  }
  // The server keeps serving after a crash.
  assert.equal((await fetch(`${server.url}/dev/items/1`)).status, 200);
});

test('errors: a response header HTTP cannot carry is a malformed proxy response', async () => {
  const rest = await fetch(`${server.url}/dev/bad-header`);
  assert.equal(rest.status, 502);
  assert.equal(await rest.text(), '{"message": "Internal server error"}');
  assert.equal(rest.headers.get('x-bad'), null);
  const v2 = await fetch(`${server.url}/v2/bad-header`);
  assert.equal(v2.status, 500);
  assert.equal(await v2.text(), '{"message":"Internal Server Error"}');
});

test('errors: a function that times out: REST 502, HTTP API 500', async () => {
  const rest = await fetch(`${server.url}/dev/function-timeout?ms=3000`);
  assert.equal(rest.status, 502);
  assert.equal(await rest.text(), '{"message": "Internal server error"}');
  const v2 = await fetch(`${server.url}/v2/function-timeout?ms=3000`);
  assert.equal(v2.status, 500);
  assert.equal(await v2.text(), '{"message":"Internal Server Error"}');
});

test('errors: a function throttled by reservedConcurrency 0 answers 500 on both APIs', async () => {
  const rest = await fetch(`${server.url}/dev/throttled`);
  assert.equal(rest.status, 500);
  assert.equal(await rest.text(), '{"message": "Internal server error"}');
  assert.equal(rest.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
  const v2 = await fetch(`${server.url}/v2/throttled`);
  assert.equal(v2.status, 500);
  assert.equal(await v2.text(), '{"message":"Internal Server Error"}');
});

test('errors: no route is 403 Missing Authentication Token under /{stage}, 404 Not Found elsewhere', async () => {
  const rest = await fetch(`${server.url}/dev/nowhere`);
  assert.equal(rest.status, 403);
  assert.equal(await rest.text(), '{"message":"Missing Authentication Token"}');
  assert.equal(rest.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  const wrongMethod = await fetch(`${server.url}/dev/cookies`, { method: 'POST' });
  assert.equal(wrongMethod.status, 403);
  const v2 = await fetch(`${server.url}/nowhere`);
  assert.equal(v2.status, 404);
  assert.equal(await v2.text(), '{"message":"Not Found"}');
  assert.ok(v2.headers.get('apigw-requestid'));
  // HTTP API answers carry apigw-requestid (not x-amzn-RequestId) and, as every gateway error, x-amzn-ErrorType.
  assert.equal(v2.headers.get('x-amzn-errortype'), 'NotFoundException');
  assert.equal(v2.headers.get('x-amzn-requestid'), null);
});

test('CORS: preflights answered by the API; HTTP API adds CORS headers to responses', async () => {
  const pre = await fetch(`${server.url}/dev/echo`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
  });
  assert.equal(pre.status, 200);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(pre.headers.get('access-control-allow-methods') ?? '', /OPTIONS/);
  assert.ok(pre.headers.get('access-control-allow-headers'));
  // The REST preflight comes from the mock: the function is not invoked (its echo header is absent).
  assert.equal(pre.headers.get('x-handler'), null);

  const pre2 = await fetch(`${server.url}/v2/echo`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PUT' },
  });
  assert.equal(pre2.status, 204);
  assert.equal(pre2.headers.get('access-control-allow-origin'), '*');
  const actual = await fetch(`${server.url}/v2/items/1`, { headers: { Origin: 'https://app.example' } });
  assert.equal(actual.status, 200);
  assert.equal(actual.headers.get('access-control-allow-origin'), '*');
});

test('each answer is published as gateway.response and printed once', async () => {
  const res = await fetch(`${server.url}/dev/items/printed-once?x=1`);
  assert.equal(res.status, 200);
  const line = await server.waitForLine(/GET \/dev\/items\/printed-once 200/);
  assert.match(line, /echo/);
  assert.equal(server.stdout.filter((l) => /GET \/dev\/items\/printed-once /.test(l)).length, 1);
  const missing = await fetch(`${server.url}/dev/not-a-route-printed`);
  assert.equal(missing.status, 403);
  await server.waitForLine(/GET \/dev\/not-a-route-printed 403/);
});
