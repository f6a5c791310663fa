// Pure parts of the gateway: response mapping (v1 strict, v2 inference), the error table, the
// token bucket, CORS answers, body classification, event builders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRequestBody, isTextContentType } from '../src/gateway/body.js';
import { applyHttpApiCors, preflightReply } from '../src/gateway/cors.js';
import { gatewayError } from '../src/gateway/errors.js';
import { buildEventV1 } from '../src/gateway/event-v1.js';
import { buildEventV2 } from '../src/gateway/event-v2.js';
import { errorReply } from '../src/gateway/reply.js';
import { formatRequestTime, parseQuery, shortRequestId, traceId, type GatewayRequest } from '../src/gateway/request.js';
import { isMalformed, mapResponseV1, mapResponseV2 } from '../src/gateway/response.js';
import type { Route } from '../src/gateway/routes.js';
import { TokenBucket } from '../src/gateway/throttle.js';
import type { CorsConfig } from '../src/types/config.js';

function pairs(headers: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < headers.length; i += 2) out.push([headers[i]!, headers[i + 1]!]);
  return out;
}

test('mapping v1: headers and multiValueHeaders merge, multiValueHeaders wins, several Set-Cookie survive', () => {
  const r = mapResponseV1(
    JSON.stringify({
      statusCode: 201,
      headers: { 'X-One': '1', 'Set-Cookie': 'lost=1', 'Content-Type': 'text/plain' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: 'created',
    }),
  );
  assert.ok(!isMalformed(r));
  assert.equal(r.status, 201);
  assert.deepEqual(pairs(r.headers), [
    ['X-One', '1'],
    ['Content-Type', 'text/plain'],
    ['Set-Cookie', 'a=1'],
    ['Set-Cookie', 'b=2'],
  ]);
  assert.equal(r.body.toString(), 'created');
});

test('mapping v1: base64 bodies are decoded, content type defaults to application/json', () => {
  const bytes = Buffer.from([0, 255, 1, 254]);
  const r = mapResponseV1(JSON.stringify({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true }));
  assert.ok(!isMalformed(r));
  assert.deepEqual(r.body, bytes);
  assert.deepEqual(pairs(r.headers), [['Content-Type', 'application/json']]);
});

test('mapping v1: anything but a proxy object is malformed', () => {
  for (const bad of ['"hello"', 'null', '[1]', '{"statusCode":200,"body":{"a":1}}', '{"statusCode":200,"cookies":["a=1"]}', '{"statusCode":"abc"}', 'not json', '{"statusCode":200,"headers":{"a":{"b":1}}}']) {
    assert.ok(isMalformed(mapResponseV1(bad)), bad);
  }
  // No statusCode at all is a 200.
  const noStatus = mapResponseV1('{"body":"x"}');
  assert.ok(!isMalformed(noStatus));
  assert.equal(noStatus.status, 200);
  assert.equal(noStatus.body.toString(), 'x');
  const s = mapResponseV1('{"statusCode":"404"}');
  assert.ok(!isMalformed(s));
  assert.equal(s.status, 404);
  assert.equal(s.body.length, 0);
});

test('mapping v2: a value without statusCode becomes a 200 JSON answer', () => {
  const obj = mapResponseV2('{"hello":"world"}');
  assert.ok(!isMalformed(obj));
  assert.equal(obj.status, 200);
  assert.deepEqual(pairs(obj.headers), [['content-type', 'application/json']]);
  assert.equal(obj.body.toString(), '{"hello":"world"}');
  const str = mapResponseV2('"Hello"');
  assert.ok(!isMalformed(str));
  assert.equal(str.body.toString(), 'Hello');
  const arr = mapResponseV2('[1,2]');
  assert.ok(!isMalformed(arr));
  assert.equal(arr.body.toString(), '[1,2]');
});

test('mapping v2: proxy object with cookies, headers and base64 body', () => {
  const r = mapResponseV2(JSON.stringify({ statusCode: 302, headers: { location: '/x' }, cookies: ['a=1; Path=/', 'b=2'], body: Buffer.from('hi').toString('base64'), isBase64Encoded: true }));
  assert.ok(!isMalformed(r));
  assert.equal(r.status, 302);
  assert.deepEqual(pairs(r.headers), [
    ['location', '/x'],
    ['set-cookie', 'a=1; Path=/'],
    ['set-cookie', 'b=2'],
  ]);
  assert.equal(r.body.toString(), 'hi');
  assert.ok(isMalformed(mapResponseV2('{"statusCode":200,"body":{"a":1}}')));
  assert.ok(isMalformed(mapResponseV2('{"statusCode":"x"}')));
});

test('errors: the table matches SPEC 4.1, REST bodies keep their space after the colon', () => {
  assert.deepEqual(gatewayError('http', 'function-error'), { status: 502, body: '{"message": "Internal server error"}', contentType: 'application/json', errorType: 'InternalServerErrorException' });
  assert.equal(gatewayError('httpApi', 'function-error').body, '{"message":"Internal Server Error"}');
  assert.equal(gatewayError('httpApi', 'function-error').status, 500);
  assert.equal(gatewayError('http', 'gateway-timeout').status, 504);
  assert.equal(gatewayError('http', 'gateway-timeout').body, '{"message": "Endpoint request timed out"}');
  assert.equal(gatewayError('httpApi', 'gateway-timeout').status, 503);
  assert.equal(gatewayError('httpApi', 'gateway-timeout').body, '{"message":"Service Unavailable"}');
  assert.equal(gatewayError('http', 'function-throttled').status, 500);
  assert.equal(gatewayError('httpApi', 'function-throttled').status, 500);
  assert.equal(gatewayError('http', 'stage-throttled').body, '{"message":"Too Many Requests"}');
  assert.equal(gatewayError('http', 'stage-throttled').errorType, 'TooManyRequestsException');
  assert.equal(gatewayError('http', 'no-route').status, 403);
  assert.equal(gatewayError('http', 'no-route').errorType, 'MissingAuthenticationTokenException');
  assert.equal(gatewayError('httpApi', 'no-route').status, 404);
  assert.equal(gatewayError('http', 'too-large').status, 413);
  for (const which of ['function-error', 'gateway-timeout', 'function-throttled', 'stage-throttled', 'no-route', 'too-large'] as const) {
    assert.ok(gatewayError('httpApi', which).errorType, `HTTP API ${which} carries x-amzn-ErrorType`);
    assert.ok(gatewayError('http', which).errorType, `REST ${which} carries x-amzn-ErrorType`);
  }
  const reply = errorReply('http', 'no-route');
  assert.deepEqual(pairs(reply.headers), [
    ['Content-Type', 'application/json'],
    ['x-amzn-ErrorType', 'MissingAuthenticationTokenException'],
  ]);
});

test('throttle: a token bucket allows the burst, then the rate', () => {
  const b = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, 0);
  assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
  assert.equal(b.take(50), false); // half a token
  assert.equal(b.take(100), true); // one token after 100 ms at 10/s
  assert.equal(b.take(100), false);
  // Refill is capped at the burst.
  assert.deepEqual([b.take(10_000), b.take(10_000), b.take(10_000), b.take(10_000)], [true, true, true, false]);
});

const cors: CorsConfig = { origins: ['*'], headers: ['Content-Type', 'X-Api-Key'], methods: [], allowCredentials: false, exposedHeaders: ['X-Total'], maxAge: 600 };
const route = (method: string): Route => ({ kind: 'http', method, resource: '/x', routeKey: `${method} /x`, functionName: 'f', functionTimeout: 6, cors, resourceId: 'abc123', payload: '1.0', operationName: null });

test('cors: REST preflight is the OPTIONS mock (200), HTTP API answers 204', () => {
  const rest = preflightReply('http', cors, [route('GET'), route('POST')], 'https://app.example');
  assert.equal(rest.status, 200);
  const h = Object.fromEntries(pairs(rest.headers));
  assert.equal(h['Access-Control-Allow-Origin'], '*');
  assert.equal(h['Access-Control-Allow-Methods'], 'GET,OPTIONS,POST');
  assert.equal(h['Access-Control-Allow-Headers'], 'Content-Type,X-Api-Key');
  assert.equal(h['Access-Control-Max-Age'], '600');
  const http = preflightReply('httpApi', { ...cors, origins: ['https://*.example'], allowCredentials: true }, [route('ANY')], 'https://app.example');
  assert.equal(http.status, 204);
  const h2 = Object.fromEntries(pairs(http.headers));
  assert.equal(h2['access-control-allow-origin'], 'https://app.example');
  assert.equal(h2['access-control-allow-credentials'], 'true');
  assert.equal(h2['access-control-allow-methods'], 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
  const refused = preflightReply('httpApi', { ...cors, origins: ['https://other.example'] }, [route('GET')], 'https://app.example');
  assert.deepEqual(refused.headers, []);
});

test('cors: HTTP API replaces the function CORS headers with its own', () => {
  const reply = { status: 200, headers: ['Access-Control-Allow-Origin', 'https://evil', 'x-keep', '1'], body: Buffer.alloc(0) };
  applyHttpApiCors(reply, cors, 'https://app.example');
  assert.deepEqual(pairs(reply.headers), [
    ['x-keep', '1'],
    ['access-control-allow-origin', '*'],
    ['access-control-expose-headers', 'X-Total'],
  ]);
});

test('body: text vs binary by content type', () => {
  for (const t of ['text/plain', 'text/html; charset=utf-8', 'application/json', 'application/vnd.api+json', 'application/soap+xml', 'application/xml', 'application/x-www-form-urlencoded', 'application/javascript', undefined]) {
    assert.ok(isTextContentType(t), String(t));
  }
  for (const t of ['image/png', 'application/octet-stream', 'application/pdf', 'multipart/form-data; boundary=x', 'audio/mpeg']) {
    assert.ok(!isTextContentType(t), t);
  }
  assert.deepEqual(encodeRequestBody(Buffer.from([1, 2, 3]), 'image/png'), { body: 'AQID', isBase64Encoded: true });
  assert.deepEqual(encodeRequestBody(Buffer.from('hé'), 'text/plain'), { body: 'hé', isBase64Encoded: false });
  assert.deepEqual(encodeRequestBody(Buffer.alloc(0), 'image/png'), { body: null, isBase64Encoded: false });
});

test('request: query parsing keeps order and repeats, decodes + and %', () => {
  assert.deepEqual(parseQuery('a=1&b=x+y&a=2&c&d=%E2%9C%93'), [
    ['a', '1'],
    ['b', 'x y'],
    ['a', '2'],
    ['c', ''],
    ['d', '✓'],
  ]);
  const t = Date.UTC(2020, 2, 4, 19, 15, 17);
  assert.equal(formatRequestTime(t), '04/Mar/2020:19:15:17 +0000');
  // Within the same second, the next second, and back to an earlier time.
  assert.equal(formatRequestTime(t + 999), '04/Mar/2020:19:15:17 +0000');
  assert.equal(formatRequestTime(t + 1000), '04/Mar/2020:19:15:18 +0000');
  assert.equal(formatRequestTime(Date.UTC(2019, 11, 31, 23, 59, 59, 500)), '31/Dec/2019:23:59:59 +0000');
});

test('request ids: well-formed and distinct across refills of the random pool', () => {
  const ids = new Set<string>();
  const traces = new Set<string>();
  // 1,000 of each draws 23,000 random bytes: the 4 KB pool is refilled several times.
  for (let i = 0; i < 1000; i++) {
    const id = shortRequestId();
    assert.match(id, /^[A-Za-z0-9+/]{15}=$/);
    ids.add(id);
    const trace = traceId(Date.UTC(2020, 2, 4));
    assert.match(trace, /^Root=1-5e5eef80-[0-9a-f]{24}$/);
    traces.add(trace);
  }
  assert.equal(ids.size, 1000);
  assert.equal(traces.size, 1000);
});

const request: GatewayRequest = {
  method: 'POST',
  rawPath: '/dev/users/42',
  rawQueryString: 'a=1&a=2&b=3',
  rawHeaders: ['Host', '127.0.0.1:3000', 'X-Multi', 'one', 'x-multi', 'two', 'Cookie', 'a=1; b=2', 'Content-Type', 'application/json', 'User-Agent', 'ua/1'],
  sourceIp: '127.0.0.1',
  userAgent: 'ua/1',
  protocol: 'HTTP/1.1',
  host: '127.0.0.1:3000',
  timeEpoch: Date.UTC(2024, 0, 2, 3, 4, 5),
  requestId: '11111111-2222-3333-4444-555555555555',
  extendedRequestId: 'ABCDEFGHIJKLMNO=',
  traceId: 'Root=1-abc-def',
};
const match = { route: { ...route('POST'), resource: '/users/{id}', routeKey: 'POST /users/{id}' }, pathParameters: { id: '42' } };

test('event v1: multi-value maps, original header case, stage in requestContext.path', () => {
  // As the handler receives it: through JSON.
  const e = JSON.parse(JSON.stringify(buildEventV1(request, match, '/users/42', Buffer.from('{"x":1}'), { accountId: '000000000000', apiId: 'api', stage: 'dev' })));
  assert.equal(e.resource, '/users/{id}');
  assert.equal(e.path, '/users/42');
  assert.equal(e.httpMethod, 'POST');
  assert.equal(e.headers['X-Multi'], 'two');
  assert.deepEqual(e.multiValueHeaders['X-Multi'], ['one', 'two']);
  assert.equal(e.headers.Cookie, 'a=1; b=2');
  assert.deepEqual(e.queryStringParameters, { a: '2', b: '3' });
  assert.deepEqual(e.multiValueQueryStringParameters, { a: ['1', '2'], b: ['3'] });
  assert.deepEqual(e.pathParameters, { id: '42' });
  assert.equal(e.stageVariables, null);
  assert.equal(e.requestContext.path, '/dev/users/42');
  assert.equal(e.requestContext.stage, 'dev');
  assert.equal(e.requestContext.requestId, request.requestId);
  assert.equal(e.requestContext.requestTime, '02/Jan/2024:03:04:05 +0000');
  assert.equal(e.requestContext.requestTimeEpoch, request.timeEpoch);
  assert.equal(e.requestContext.identity.sourceIp, '127.0.0.1');
  assert.equal(e.requestContext.resourcePath, '/users/{id}');
  assert.equal(e.body, '{"x":1}');
  assert.equal(e.isBase64Encoded, false);
});

test('event v2: lower-case headers joined by commas, cookies split out, empty fields omitted', () => {
  const e = JSON.parse(JSON.stringify(buildEventV2(request, match, Buffer.alloc(0), { accountId: '000000000000', apiId: 'api', stage: '$default' })));
  assert.equal(e.version, '2.0');
  assert.equal(e.routeKey, 'POST /users/{id}');
  assert.equal(e.rawPath, '/dev/users/42');
  assert.equal(e.rawQueryString, 'a=1&a=2&b=3');
  assert.deepEqual(e.cookies, ['a=1', 'b=2']);
  assert.equal(e.headers['x-multi'], 'one,two');
  assert.equal(e.headers.cookie, undefined);
  assert.deepEqual(e.queryStringParameters, { a: '1,2', b: '3' });
  assert.deepEqual(e.requestContext.http, { method: 'POST', path: '/dev/users/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'ua/1' });
  assert.equal(e.requestContext.requestId, request.extendedRequestId);
  assert.equal(e.requestContext.stage, '$default');
  assert.equal('body' in e, false);
  assert.equal(e.isBase64Encoded, false);
  assert.deepEqual(e.pathParameters, { id: '42' });
});
