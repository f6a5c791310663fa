// The gateway settings behind wire fidelity: how serverless.yml sets payload versions, operation
// names and binary media types, and how a REST API decides to decode a base64 body.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import { matches, restBase64Rule } from '../src/gateway/binary.js';
import { isMalformed, mapResponseV1 } from '../src/gateway/response.js';
import { buildRouteTable } from '../src/gateway/routes.js';
import type { HttpRouteEventConfig } from '../src/gateway/config.js';
import { fixture } from './helpers/server.js';
import { rejection } from './helpers/config.js';

test('serverless.yml: payload versions, operationId and binaryMediaTypes are read', async () => {
  const config = await loadServiceConfig(fixture('wire', 'serverless.yml'), {});
  const routes = (name: string) => config.functions.find((f) => f.name === name)!.events as HttpRouteEventConfig[];
  assert.equal(routes('echoV1')[0]!.payload, '1.0', 'the function setting wins');
  assert.equal(routes('echo').find((e) => e.kind === 'httpApi')!.payload, '2.0', 'the provider setting');
  assert.equal(routes('echo').find((e) => e.kind === 'http' && e.path === '/echo')!.operationId, 'getEcho');
  assert.deepEqual(config.restApi?.binaryMediaTypes, ['application/octet-stream', 'image/*']);
  assert.ok(!config.notEmulated.some((k) => /payload|binaryMediaTypes|functions\.echoV1\.httpApi/.test(k)), config.notEmulated.join());

  const table = buildRouteTable(config);
  assert.equal(table.httpApi.routes.find((r) => r.functionName === 'echoV1')!.payload, '1.0');
  assert.ok(table.rest.routes.every((r) => r.payload === '1.0'));
  assert.equal(table.rest.routes.find((r) => r.resource === '/echo')!.operationName, 'getEcho');
});

describe('serverless.yml: bad gateway settings name the key', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-wire-'));
    await writeFile(path.join(dir, 'handler.js'), 'exports.handler = async () => 1;\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function load(lines: string[]) {
    const file = path.join(dir, `sls-${Math.random().toString(36).slice(2)}.yml`);
    await writeFile(file, ['service: s', ...lines].join('\n'));
    return loadServiceConfig(file, {});
  }
  const fn = ['functions:', '  hello:', '    handler: handler.handler', '    events:', '      - httpApi: GET /x'];

  test('an unquoted 1.0 is accepted (YAML reads it as a number)', async () => {
    const config = await load(['provider:', '  httpApi:', '    payload: 1.0', ...fn]);
    assert.equal((config.functions[0]!.events[0] as HttpRouteEventConfig).payload, '1.0');
  });

  test('a payload other than 1.0 or 2.0', async () => {
    const err = await rejection(load(['provider:', '  httpApi:', "    payload: '3.0'", ...fn]));
    assert.match(err.message, /payload must be '1.0' or '2.0'/);
    assert.equal(err.location.key, 'provider.httpApi.payload');
    const own = await rejection(load([...fn.slice(0, 3), '    httpApi:', '      payload: v1', ...fn.slice(3)]));
    assert.equal(own.location.key, 'functions.hello.httpApi.payload');
  });

  test('a binary media type that is not type/subtype', async () => {
    const err = await rejection(load(['provider:', '  apiGateway:', '    binaryMediaTypes:', '      - png', ...fn]));
    assert.match(err.message, /binary media type must be "type\/subtype"/);
    assert.equal(err.location.key, 'provider.apiGateway.binaryMediaTypes[0]');
  });
});

test('binary media types: exact, wildcard subtype and */*', () => {
  assert.ok(matches('image/png', 'image/png'));
  assert.ok(matches('image/*', 'image/jpeg'));
  assert.ok(matches('*/*', 'text/plain'));
  assert.ok(!matches('image/*', 'text/plain'));
  assert.ok(!matches('image/png', 'image/pngx'));
  assert.ok(matches('application/vnd.api+json', 'application/vnd.api+json'), 'dots and plus signs are literal');
  assert.ok(!matches('application/vnd.api+json', 'application/vndXapi+json'));
});

test('REST base64 decoding: none without binaryMediaTypes; the first Accept type or the response type must match', () => {
  const payload = JSON.stringify({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: Buffer.from([1, 2, 255]).toString('base64'), isBase64Encoded: true });
  const sent = (types: string[], accept?: string) => {
    const r = mapResponseV1(payload, restBase64Rule(types, accept));
    assert.ok(!isMalformed(r));
    return r.body;
  };
  assert.equal(sent([], 'image/png').toString(), Buffer.from([1, 2, 255]).toString('base64'));
  assert.deepEqual([...sent(['image/png'], 'text/html')], [1, 2, 255], 'the response content type matches');
  assert.deepEqual([...sent(['application/pdf'], 'application/pdf;q=0.9, text/html')], [1, 2, 255], 'the first Accept type matches');
  assert.equal(sent(['application/pdf'], 'text/html, application/pdf').toString(), Buffer.from([1, 2, 255]).toString('base64'));
});
