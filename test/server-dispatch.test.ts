// The request dispatch: Invoke and API Gateway requests skip express's layers, every other surface
// keeps the requests express would have given it (any case, trailing slashes, unknown paths).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasPathPrefix } from '../src/http/path-prefix.js';
import { fixture, useColdstart } from './helpers/server.js';

describe('dispatch: which surface answers a request', () => {
  const cs = useColdstart(fixture('core', 'serverless.yml'), ['--cold-start', 'off', '--no-watch'], { cleanExit: true });

  test('console paths in any case reach the console, not the gateway', async () => {
    for (const path of ['/__coldstart/health', '/__COLDSTART/health', '/__Coldstart/health?x=1']) {
      const res = await fetch(`${cs.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), { status: 'ok' }, path);
    }
    const missing = await fetch(`${cs.url}/__coldstart/nothing-here`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /no console resource/);
  });

  test('Invoke answers with and without a trailing slash, in any case, and by ARN', async () => {
    const arn = encodeURIComponent('arn:aws:lambda:us-east-1:000000000000:function:counter');
    for (const path of ['/2015-03-31/functions/counter/invocations', '/2015-03-31/functions/counter/invocations/', '/2015-03-31/FUNCTIONS/counter/Invocations', `/2015-03-31/functions/${arn}/invocations`]) {
      const res = await fetch(`${cs.url}${path}`, { method: 'POST', body: '{}' });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), 'application/json', path);
      assert.equal(typeof ((await res.json()) as { count?: unknown }).count, 'number', path);
    }
  });

  test('a GET on the Invoke path and an unknown Lambda API path are not Invoke', async () => {
    const get = await fetch(`${cs.url}/2015-03-31/functions/counter/invocations`);
    assert.notEqual(get.status, 200);
    const unknown = await fetch(`${cs.url}/2015-03-31/nothing`, { method: 'POST', body: '{}' });
    assert.equal(unknown.status, 404);
    assert.equal(await unknown.text(), '{"message":"Not Found"}');
  });

  test('management operations still go through their routes', async () => {
    const res = await fetch(`${cs.url}/2015-03-31/functions`);
    assert.equal(res.status, 200);
    const names = ((await res.json()) as { Functions: { FunctionName: string }[] }).Functions.map((f) => f.FunctionName);
    assert.ok(names.includes('core-dev-counter'), names.join(', '));
  });
});

describe('dispatch: path prefixes', () => {
  test('a prefix matches whole segments, in any case, before a query string', () => {
    assert.equal(hasPathPrefix('/__coldstart', '/__coldstart'), true);
    assert.equal(hasPathPrefix('/__coldstart/', '/__coldstart'), true);
    assert.equal(hasPathPrefix('/__ColdStart/state', '/__coldstart'), true);
    assert.equal(hasPathPrefix('/__coldstart?x', '/__coldstart'), true);
    assert.equal(hasPathPrefix('/__coldstartx', '/__coldstart'), false);
    assert.equal(hasPathPrefix('/api/__coldstart', '/__coldstart'), false);
    assert.equal(hasPathPrefix(undefined, '/__coldstart'), false);
  });
});
