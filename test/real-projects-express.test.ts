// An express app behind serverless-http, the shape of the serverless/examples express services,
// served through both kinds of API Gateway.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, useColdstart } from './helpers/server.js';

describe('express through serverless-http', () => {
  const server = useColdstart(fixture('real-projects', 'express-app', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);

  it('routes an HTTP API request (payload 2.0) to the express route', async () => {
    const res = await fetch(`${server.url}/users/42?active=true`);
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.deepEqual(JSON.parse(text), { userId: '42', query: { active: 'true' } });
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  });

  it('routes a REST API request (payload 1.0) with a JSON body, keeping express status codes', async () => {
    const res = await fetch(`${server.url}/dev/users`, { method: 'POST', body: JSON.stringify({ name: 'Ada' }), headers: { 'content-type': 'application/json' } });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    assert.deepEqual(JSON.parse(text), { created: 'Ada' });
    const missing = await fetch(`${server.url}/dev/nowhere`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'Not Found', path: '/nowhere' });
  });
});
