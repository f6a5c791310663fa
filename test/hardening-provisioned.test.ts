// Provisioned concurrency is bounded as Lambda bounds it: by the function's reservation, or by
// the account's unreserved concurrency, which every unreserved function's provisioned
// concurrency draws on. Over it, PutProvisionedConcurrencyConfig answers 400 and boots nothing,
// and serverless.yml stops start-up naming the function and the key.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rejection } from './helpers/config.js';
import { rawRequest } from './helpers/raw-http.js';
import { fixture, useColdstart } from './helpers/server.js';
import { functionState, getState } from './helpers/state.js';
import { loadServiceConfig } from '../src/config/load.js';

const pcPath = (name: string) => `/2019-09-30/functions/${name}/provisioned-concurrency?Qualifier=%24LATEST`;

describe('provisioned concurrency bound: the Lambda API', () => {
  const cs = useColdstart(fixture('hardening', 'serverless.yml'), ['--account-concurrency', '20']);

  const instances = async (fn: string): Promise<number> => functionState(await getState(cs.url), fn).instances.length;
  const put = (fn: string, n: number) => rawRequest(cs.port, 'PUT', pcPath(fn), { body: JSON.stringify({ ProvisionedConcurrentExecutions: n }) });

  test('21 with an account limit of 20 is 400 InvalidParameterValueException and boots nothing', async () => {
    const r = await put('env', 21);
    assert.equal(r.status, 400, r.body);
    assert.equal(r.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.match(JSON.parse(r.body).message, /Requested Provisioned Concurrency 21 exceeds the account's unreserved concurrency available to the function \(20/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await instances('env'), 0);
    const get = await rawRequest(cs.port, 'GET', pcPath('env'));
    assert.equal(get.status, 404, 'no configuration was stored');
  });

  test("another function's provisioned concurrency counts against the same capacity", async () => {
    const first = await put('env', 2);
    assert.equal(first.status, 202, first.body);
    const over = await put('big', 19);
    assert.equal(over.status, 400, over.body);
    assert.match(JSON.parse(over.body).message, /\(18: account limit 20, minus 0 reserved, minus 2 provisioned for other functions\)/);
    const again = await put('env', 3);
    assert.equal(again.status, 202, 'a function may change its own provisioned concurrency within the capacity');
  });
});

describe('provisioned concurrency bound: serverless.yml', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-pc-'));
    await writeFile(path.join(dir, 'h.mjs'), 'export const h = async () => 1;\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (functions: string) => {
    const file = path.join(dir, `sls-${Math.random().toString(36).slice(2)}.yml`);
    await writeFile(file, `service: pc\nprovider:\n  name: aws\n  runtime: nodejs20.x\ncustom:\n  coldstart:\n    accountConcurrency: 20\nfunctions:\n${functions}`);
    return { file, promise: loadServiceConfig(file, {}) };
  };

  test('provisionedConcurrency above the account limit stops start-up at the key', async () => {
    const { file, promise } = await load('  a:\n    handler: h.h\n    provisionedConcurrency: 21\n');
    const err = await rejection(promise);
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.location.file, file);
    assert.equal(err.location.function, 'a');
    assert.equal(err.location.key, 'functions.a.provisionedConcurrency');
    assert.match(err.message, /accountConcurrency/);
  });

  test('the sum over unreserved functions, after reservations, is what counts', async () => {
    const { promise } = await load(
      '  a:\n    handler: h.h\n    provisionedConcurrency: 8\n  b:\n    handler: h.h\n    provisionedConcurrency: 8\n  r:\n    handler: h.h\n    reservedConcurrency: 5\n',
    );
    const err = await rejection(promise);
    assert.match(err.message, /account limit 20, minus 5 reserved, minus 8 provisioned for other functions/);
    const fits = await load('  a:\n    handler: h.h\n    provisionedConcurrency: 8\n  b:\n    handler: h.h\n    provisionedConcurrency: 7\n  r:\n    handler: h.h\n    reservedConcurrency: 5\n');
    const config = await fits.promise;
    assert.equal(config.functions.length, 3);
  });
});
