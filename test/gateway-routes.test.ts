// Route table: precedence (static > {param} > {proxy+}), methods (exact > ANY), stage prefix,
// httpApi catch-all, and which API an unmatched path belongs to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FunctionConfig } from '../src/types/config.js';
import type { HttpRouteEventConfig } from '../src/gateway/config.js';
import { buildRouteTable, resolveRoute, splitPath } from '../src/gateway/routes.js';

function fn(name: string, events: Array<[HttpRouteEventConfig['kind'], string, string]>): FunctionConfig {
  return {
    name,
    fullName: `svc-dev-${name}`,
    handler: `h.${name}`,
    handlerFile: '/tmp/h.mjs',
    handlerExport: name,
    runtime: 'nodejs20.x',
    memorySize: 1024,
    timeout: 6,
    environment: {},
    events: events.map(([kind, method, path]) => ({ kind, method, path, cors: null })),
    provisionedConcurrency: 0,
    reservedConcurrency: null,
    vpc: false,
    packageBytes: 0,
    onFailureTarget: null,
  };
}

const table = buildRouteTable({
  stage: 'dev',
  functions: [
    fn('me', [['http', 'GET', 'users/me']]),
    fn('user', [['http', 'GET', '/users/{id}'], ['http', 'DELETE', '/users/{id}']]),
    fn('userPosts', [['http', 'GET', '/users/{id}/posts/{postId}']]),
    fn('proxy', [['http', 'ANY', '/users/{proxy+}']]),
    fn('root', [['http', 'GET', '/']]),
    fn('files', [['httpApi', 'GET', '/files/{key+}']]),
    fn('filesAny', [['httpApi', 'ANY', '/files/special']]),
    fn('filesPost', [['httpApi', 'POST', '/files/special']]),
  ],
});

test('routes: a static segment wins over a parameter, a parameter over a greedy one', () => {
  const me = resolveRoute(table, 'GET', '/dev/users/me');
  assert.equal(me.match?.route.functionName, 'me');
  assert.deepEqual(me.match?.pathParameters, {});

  const user = resolveRoute(table, 'GET', '/dev/users/42');
  assert.equal(user.match?.route.functionName, 'user');
  assert.deepEqual(user.match?.pathParameters, { id: '42' });
  assert.equal(user.match?.route.resource, '/users/{id}');
  assert.equal(user.apiPath, '/users/42');

  const posts = resolveRoute(table, 'GET', '/dev/users/42/posts/7');
  assert.equal(posts.match?.route.functionName, 'userPosts');
  assert.deepEqual(posts.match?.pathParameters, { id: '42', postId: '7' });

  const deep = resolveRoute(table, 'GET', '/dev/users/42/other/x');
  assert.equal(deep.match?.route.functionName, 'proxy');
  assert.deepEqual(deep.match?.pathParameters, { proxy: '42/other/x' });
});

test('routes: the method decides between routes at the same path, ANY is the fallback', () => {
  assert.equal(resolveRoute(table, 'DELETE', '/dev/users/42').match?.route.functionName, 'user');
  // No PUT on /users/{id}: the greedy ANY route takes it.
  const put = resolveRoute(table, 'PUT', '/dev/users/42');
  assert.equal(put.match?.route.functionName, 'proxy');
  assert.deepEqual(put.match?.pathParameters, { proxy: '42' });
  assert.equal(resolveRoute(table, 'POST', '/files/special').match?.route.functionName, 'filesPost');
  assert.equal(resolveRoute(table, 'PUT', '/files/special').match?.route.functionName, 'filesAny');
});

test('routes: path parameters are percent-decoded, greedy ones keep their slashes', () => {
  const r = resolveRoute(table, 'GET', '/dev/users/a%20b');
  assert.deepEqual(r.match?.pathParameters, { id: 'a b' });
  const f = resolveRoute(table, 'GET', '/files/a/b%2Fc/d.txt');
  assert.equal(f.kind, 'httpApi');
  assert.deepEqual(f.match?.pathParameters, { key: 'a/b/c/d.txt' });
  assert.equal(f.match?.route.routeKey, 'GET /files/{key+}');
});

test('routes: a greedy parameter needs at least one segment', () => {
  assert.equal(resolveRoute(table, 'GET', '/files').match, null);
  assert.equal(resolveRoute(table, 'GET', '/files/').match, null);
});

test('routes: the stage root and trailing slashes', () => {
  assert.equal(resolveRoute(table, 'GET', '/dev').match?.route.functionName, 'root');
  assert.equal(resolveRoute(table, 'GET', '/dev/').match?.route.functionName, 'root');
  assert.equal(resolveRoute(table, 'GET', '/dev/users/me/').match?.route.functionName, 'me');
});

test('routes: unmatched under /{stage} belongs to the REST API, elsewhere to the HTTP API', () => {
  const rest = resolveRoute(table, 'GET', '/dev/nothing');
  assert.equal(rest.kind, 'http');
  assert.equal(rest.match, null);
  const wrongMethod = resolveRoute(table, 'POST', '/dev');
  assert.equal(wrongMethod.kind, 'http');
  assert.equal(wrongMethod.match, null);
  const http = resolveRoute(table, 'GET', '/nothing');
  assert.equal(http.kind, 'httpApi');
  assert.equal(http.match, null);
  // Without the stage prefix a REST path is not served.
  assert.equal(resolveRoute(table, 'GET', '/users/me').match, null);
});

test('routes: the httpApi catch-all is $default and matches last', () => {
  const t = buildRouteTable({
    stage: 'dev',
    functions: [fn('catchAll', [['httpApi', 'ANY', '*']]), fn('hello', [['httpApi', 'GET', '/hello']])],
  });
  assert.equal(resolveRoute(t, 'GET', '/hello').match?.route.functionName, 'hello');
  const other = resolveRoute(t, 'POST', '/hello');
  assert.equal(other.match?.route.functionName, 'catchAll');
  assert.equal(other.match?.route.routeKey, '$default');
  assert.equal(resolveRoute(t, 'GET', '/anything/else').match?.route.routeKey, '$default');
});

test('routes: a second function on the same route is reported and ignored', () => {
  const t = buildRouteTable({ stage: 'dev', functions: [fn('a', [['http', 'GET', '/x']]), fn('b', [['http', 'GET', 'x']])] });
  assert.equal(t.warnings.length, 1);
  assert.match(t.warnings[0]!.message, /already served by function "a"/);
  assert.equal(resolveRoute(t, 'GET', '/dev/x').match?.route.functionName, 'a');
});

test('routes: anyMethod finds a route at the path whatever its method (CORS preflight)', () => {
  assert.equal(resolveRoute(table, 'OPTIONS', '/dev').match, null);
  assert.equal(resolveRoute(table, 'OPTIONS', '/dev', true).match?.route.functionName, 'root');
  // With an ANY route on the way, OPTIONS is that route's (it would receive the preflight).
  assert.equal(resolveRoute(table, 'OPTIONS', '/dev/users/me').match?.route.functionName, 'proxy');
});

test('routes: a repeated request resolves as the first did, per method; the remembered answers are frozen and bounded', () => {
  const t = buildRouteTable({ stage: 'dev', functions: [fn('user', [['http', 'GET', '/users/{id}']]), fn('proxy', [['http', 'ANY', '/users/{proxy+}']])] });
  for (let i = 0; i < 2; i++) {
    const get = resolveRoute(t, 'GET', '/dev/users/42');
    assert.equal(get.match?.route.functionName, 'user');
    assert.deepEqual(get.match?.pathParameters, { id: '42' });
    assert.equal(resolveRoute(t, 'PUT', '/dev/users/42').match?.route.functionName, 'proxy');
  }
  const shared = resolveRoute(t, 'GET', '/dev/users/42');
  assert.throws(() => {
    (shared.match!.pathParameters as Record<string, string>).id = 'changed';
  }, TypeError);
  for (let i = 0; i < 3000; i++) assert.deepEqual(resolveRoute(t, 'GET', `/dev/users/u${i}`).match?.pathParameters, { id: `u${i}` });
  assert.ok(t.resolved.size <= 1024, `${t.resolved.size} paths remembered`);
  const long = `/dev/users/${'x'.repeat(600)}`;
  assert.deepEqual(resolveRoute(t, 'GET', long).match?.pathParameters, { id: 'x'.repeat(600) });
  assert.equal(t.resolved.has(`GET ${long}`), false);
});

test('routes: splitPath', () => {
  assert.deepEqual(splitPath('/'), []);
  assert.deepEqual(splitPath('/a/b/'), ['a', 'b']);
  assert.deepEqual(splitPath('a'), ['a']);
});

test('feature: the route table and stage throttle follow configuration changes', async () => {
  const { MemoryConfigStore } = await import('../src/server/config-store.js');
  const { EventBus } = await import('../src/events/bus.js');
  const { createGatewayFeature, buildGatewayState } = await import('../src/gateway/feature.js');
  const base = {
    service: 'svc',
    stage: 'dev',
    region: 'us-east-1',
    configPath: '/tmp/serverless.yml',
    serviceDir: '/tmp',
    functions: [fn('a', [['http', 'GET', '/a']])],
    queues: [],
    settings: { gatewayTimeout: null, throttle: null },
    notEmulated: [],
    warnings: [],
    configFiles: [],
  } as unknown as import('../src/types/config.js').ServiceConfig;
  const store = new MemoryConfigStore(base);
  const printed: string[] = [];
  const ctx = {
    bus: new EventBus(),
    config: store,
    printError: (line: string) => printed.push(line),
  } as unknown as import('../src/types/feature.js').AppContext;
  const feature = createGatewayFeature(ctx);
  const routesOf = () => (feature.state!().gateway as { routes: { path: string; function: string }[] }).routes;
  assert.deepEqual(routesOf().map((r) => r.path), ['/dev/a']);
  assert.deepEqual((feature.state!().gateway as { timeoutSeconds: unknown }).timeoutSeconds, { http: 29, httpApi: 30 });

  store.replace({ ...base, functions: [fn('a', [['http', 'GET', '/a']]), fn('b', [['httpApi', 'POST', '/b'], ['http', 'GET', '/a']])], settings: { ...base.settings, gatewayTimeout: 5 } });
  assert.deepEqual(routesOf().map((r) => `${r.function} ${r.path}`), ['a /dev/a', 'b /b']);
  assert.deepEqual((feature.state!().gateway as { timeoutSeconds: unknown }).timeoutSeconds, { http: 5, httpApi: 5 });
  assert.match(printed.join('\n'), /route GET \/a is already served by function "a"/);

  // A bucket survives a reload that leaves the throttle alone, and is replaced when it changes.
  const throttled = { ...base, settings: { ...base.settings, throttle: { rateLimit: 1, burstLimit: 2 } } };
  const s1 = buildGatewayState(throttled, null, 0);
  assert.equal(s1.buckets!.http.take(0), true);
  const s2 = buildGatewayState(throttled, s1, 0);
  assert.equal(s2.buckets, s1.buckets);
  const s3 = buildGatewayState({ ...throttled, settings: { ...throttled.settings, throttle: { rateLimit: 1, burstLimit: 5 } } }, s2, 0);
  assert.notEqual(s3.buckets, s1.buckets);
  assert.equal(s3.buckets!.http.settings.burstLimit, 5);
  feature.stop!();
});
