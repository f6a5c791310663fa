// Provider defaults, events, CORS and emulator settings (custom.coldstart under command-line flags).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import { DEFAULT_MODEL, DEFAULT_SETTINGS } from '../src/model/defaults.js';
import type { FunctionConfig, ServiceConfig } from '../src/types/config.js';
import type { HttpRouteEventConfig } from '../src/gateway/config.js';
import { fixture } from './helpers/server.js';
import { rejectYaml } from './helpers/config.js';

function fn(config: ServiceConfig, name: string): FunctionConfig {
  const found = config.functions.find((f) => f.name === name);
  assert.ok(found, `function ${name} is loaded`);
  return found;
}

function routes(f: FunctionConfig): HttpRouteEventConfig[] {
  return f.events.filter((e): e is HttpRouteEventConfig => e.kind === 'http' || e.kind === 'httpApi');
}

describe('config defaults (basic fixture)', () => {
  let config: ServiceConfig;
  before(async () => {
    config = await loadServiceConfig(fixture('config', 'basic', 'serverless.yml'), {});
  });

  it('applies the Serverless defaults: stage dev, region us-east-1, 1024 MB, 6 s', () => {
    assert.equal(config.stage, 'dev');
    assert.equal(config.region, 'us-east-1');
    const hello = fn(config, 'hello');
    assert.equal(hello.memorySize, 1024);
    assert.equal(hello.timeout, 6);
    assert.equal(hello.runtime, 'nodejs20.x');
    assert.equal(hello.provisionedConcurrency, 0);
    assert.equal(hello.reservedConcurrency, null);
    assert.equal(hello.vpc, false);
  });

  it('names functions service-stage-name unless they set name', () => {
    assert.equal(fn(config, 'hello').fullName, 'shop-dev-hello');
    assert.equal(fn(config, 'worker').fullName, 'custom-worker-name');
  });

  it('merges provider and function environments, function winning, every value a string', () => {
    const worker = fn(config, 'worker');
    assert.deepEqual(worker.environment, { TABLE: 'orders', SHARED: 'from-function', PORT: '8080', FLAG: 'true' });
    assert.equal(fn(config, 'hello').environment.SHARED, 'from-provider');
  });

  it('resolves handler files through the extension order and keeps the export', () => {
    const worker = fn(config, 'worker');
    assert.equal(worker.handlerFile, fixture('config', 'basic', 'src', 'worker.cjs'));
    assert.equal(worker.handlerExport, 'main');
    assert.equal(fn(config, 'esm').handlerFile, fixture('config', 'basic', 'src', 'esm.mjs'));
    assert.equal(fn(config, 'esm').handlerExport, 'default');
  });

  it('parses http events in string and map form, normalising method and path', () => {
    const http = routes(fn(config, 'hello')).filter((r) => r.kind === 'http');
    assert.deepEqual(
      http.map((r) => [r.method, r.path]),
      [
        ['GET', '/hello'],
        ['POST', '/items/{id}'],
      ],
    );
  });

  it('expands cors: true to the Serverless defaults with the route method and OPTIONS', () => {
    const post = routes(fn(config, 'hello')).find((r) => r.method === 'POST')!;
    assert.deepEqual(post.cors, {
      origins: ['*'],
      headers: ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent'],
      methods: ['OPTIONS', 'POST'],
      allowCredentials: false,
      exposedHeaders: [],
      maxAge: null,
    });
    assert.equal(routes(fn(config, 'hello'))[0]!.cors, null, 'no cors key, no CORS');
  });

  it('parses httpApi "METHOD /path" and the "*" catch-all', () => {
    const api = routes(fn(config, 'hello')).filter((r) => r.kind === 'httpApi');
    assert.deepEqual(
      api.map((r) => [r.method, r.path]),
      [
        ['GET', '/v2/hello'],
        ['ANY', '*'],
      ],
    );
  });

  it('parses schedule events, expanding a list of rates, with enabled and input', () => {
    const schedules = fn(config, 'worker').events.filter((e) => e.kind === 'schedule');
    assert.deepEqual(schedules, [
      { kind: 'schedule', expression: 'rate(5 minutes)', enabled: true },
      { kind: 'schedule', expression: 'cron(0 12 * * ? *)', enabled: false, input: { job: 'nightly' } },
      { kind: 'schedule', expression: 'rate(1 hour)', enabled: false, input: { job: 'nightly' } },
    ]);
  });

  it('parses sqs events with defaults, mapping a literal ARN to the emulated account', () => {
    const sqs = fn(config, 'worker').events.filter((e) => e.kind === 'sqs');
    assert.deepEqual(sqs, [
      { kind: 'sqs', arn: 'arn:aws:sqs:us-east-1:000000000000:jobs', batchSize: 10, maximumBatchingWindow: 0, reportBatchItemFailures: false, enabled: true },
      { kind: 'sqs', arn: 'arn:aws:sqs:us-east-1:000000000000:other', batchSize: 100, maximumBatchingWindow: 5, reportBatchItemFailures: true, enabled: true },
    ]);
  });

  it('sets vpc from the function and resolves on-failure targets (function name, onError ARN)', () => {
    assert.equal(fn(config, 'worker').vpc, true);
    assert.equal(fn(config, 'esm').onFailureTarget, 'arn:aws:lambda:us-east-1:000000000000:function:custom-worker-name');
    assert.equal(fn(config, 'cjsObject').onFailureTarget, 'arn:aws:sqs:us-east-1:000000000000:dlq');
  });

  it('fills the settings from DEFAULT_SETTINGS and DEFAULT_MODEL', () => {
    assert.deepEqual(config.settings, {
      accountConcurrency: DEFAULT_SETTINGS.accountConcurrency,
      idleTimeout: DEFAULT_SETTINGS.idleTimeout,
      gatewayTimeout: null,
      coldStart: 'realistic',
      model: { ...DEFAULT_MODEL },
      seed: DEFAULT_SETTINGS.seed,
      ssm: {},
      throttle: null,
      asyncRetryDelays: [...DEFAULT_SETTINGS.asyncRetryDelays],
      spareThreads: 0,
      isolation: 'thread',
      isOffline: true,
      allowedHosts: [],
    });
    assert.equal(config.serviceDir, fixture('config', 'basic'));
    assert.deepEqual(config.configFiles, [fixture('config', 'basic', 'serverless.yml')]);
  });
});

describe('config settings and overrides (settings fixture)', () => {
  const file = fixture('config', 'settings', 'serverless.yml');

  it('inherits provider values and lets functions override them', async () => {
    const config = await loadServiceConfig(file, {});
    assert.equal(config.stage, 'staging');
    assert.equal(config.region, 'ap-southeast-2');
    const inherits = fn(config, 'inherits');
    assert.deepEqual([inherits.runtime, inherits.memorySize, inherits.timeout], ['nodejs22.x', 256, 12]);
    const overrides = fn(config, 'overrides');
    assert.deepEqual([overrides.runtime, overrides.memorySize, overrides.timeout], ['nodejs20.x', 3008, 900]);
    assert.equal(overrides.reservedConcurrency, 5);
    assert.equal(overrides.provisionedConcurrency, 5);
  });

  it('reads custom.coldstart, merging model coefficients over the defaults', async () => {
    const { settings } = await loadServiceConfig(file, {});
    assert.equal(settings.accountConcurrency, 50);
    assert.equal(settings.idleTimeout, 30);
    assert.equal(settings.gatewayTimeout, 10);
    assert.equal(settings.seed, 7);
    assert.deepEqual(settings.throttle, { rateLimit: 5, burstLimit: 10 });
    assert.deepEqual(settings.asyncRetryDelays, [1, 2]);
    assert.deepEqual(settings.model, { ...DEFAULT_MODEL, runtimeBaseMs: 200, vpcMs: 0 });
  });

  it('lets command-line overrides beat custom.coldstart', async () => {
    const { settings, stage } = await loadServiceConfig(file, {
      stage: 'cli',
      coldStart: 'off',
      gatewayTimeout: 3,
      accountConcurrency: 400,
      idleTimeout: 5,
      seed: 99,
    });
    assert.equal(stage, 'cli');
    assert.deepEqual(
      [settings.coldStart, settings.gatewayTimeout, settings.accountConcurrency, settings.idleTimeout, settings.seed],
      ['off', 3, 400, 5, 99],
    );
    assert.deepEqual(settings.throttle, { rateLimit: 5, burstLimit: 10 }, 'what the flags do not set stays from the file');
  });

  it('merges REST CORS per path: the preflight answers for every method of the path', async () => {
    const config = await loadServiceConfig(file, {});
    const [anyRoute, getRoute] = routes(fn(config, 'overrides'));
    assert.deepEqual(anyRoute!.cors, getRoute!.cors);
    assert.deepEqual(anyRoute!.cors!.methods, ['OPTIONS', 'ANY', 'GET']);
    assert.deepEqual(anyRoute!.cors!.origins, ['https://a.example.com', 'https://b.example.com', '*']);
    assert.ok(anyRoute!.cors!.headers.includes('X-Custom') && anyRoute!.cors!.headers.includes('Authorization'));
    assert.equal(anyRoute!.cors!.maxAge, 60);
    assert.equal(anyRoute!.path, '/files/{proxy+}');
  });

  it('applies provider.httpApi.cors to every httpApi route, with every route method', async () => {
    const config = await loadServiceConfig(file, {});
    const [post, any] = routes(fn(config, 'inherits'));
    assert.equal(any!.method, 'ANY');
    assert.deepEqual(post!.cors!.origins, ['https://app.example.com']);
    assert.equal(post!.cors!.allowCredentials, true);
    assert.equal(post!.cors!.maxAge, 600);
    assert.deepEqual(new Set(post!.cors!.methods), new Set(['OPTIONS', 'POST', 'GET', 'PUT', 'PATCH', 'HEAD', 'DELETE']));
    assert.ok(post!.cors!.headers.includes('X-Amzn-Trace-Id'));
  });
});

describe('config settings validation', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-settings-'));
    await writeFile(path.join(dir, 'handler.js'), 'exports.handler = async () => 1;\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const reject = (yaml: string) => rejectYaml(dir, yaml);


  it('rejects an unknown model coefficient, naming the known ones', async () => {
    const err = await reject(['service: s', 'custom:', '  coldstart:', '    model:', '      runtimeBase: 100'].join('\n'));
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.location.key, 'custom.coldstart.model.runtimeBase');
    assert.equal(err.location.line, 5);
    assert.match(err.message, /unknown model coefficient "runtimeBase".*runtimeBaseMs/);
  });

  it('rejects a misspelt custom.coldstart setting', async () => {
    const err = await reject(['service: s', 'custom:', '  coldstart:', '    idleTimout: 5'].join('\n'));
    assert.equal(err.location.key, 'custom.coldstart.idleTimout');
    assert.match(err.message, /unknown setting "idleTimout"/);
  });

  it('reads spareThreads, rejects a negative or fractional count and lets --spare-threads override it', async () => {
    const file = path.join(dir, 'spares.yml');
    await writeFile(file, ['service: s', 'custom:', '  coldstart:', '    spareThreads: 3'].join('\n'));
    assert.equal((await loadServiceConfig(file, {})).settings.spareThreads, 3);
    assert.equal((await loadServiceConfig(file, { spareThreads: 0 })).settings.spareThreads, 0);
    for (const bad of ['-1', '1.5']) {
      const err = await reject(['service: s', 'custom:', '  coldstart:', `    spareThreads: ${bad}`].join('\n'));
      assert.equal(err.location.key, 'custom.coldstart.spareThreads');
      assert.equal(err.location.line, 4);
    }
  });

  it('reads isolation, rejects anything but thread or process and lets --isolation override it', async () => {
    const file = path.join(dir, 'isolation.yml');
    await writeFile(file, ['service: s', 'custom:', '  coldstart:', '    isolation: process'].join('\n'));
    assert.equal((await loadServiceConfig(file, {})).settings.isolation, 'process');
    assert.equal((await loadServiceConfig(file, { isolation: 'thread' })).settings.isolation, 'thread');
    const err = await reject(['service: s', 'custom:', '  coldstart:', '    isolation: container'].join('\n'));
    assert.match(err.message, /isolation must be "thread" or "process", got "container"/);
    assert.equal(err.location.key, 'custom.coldstart.isolation');
    assert.equal(err.location.line, 4);
  });

  it('rejects coldStart values other than realistic/off', async () => {
    const err = await reject(['service: s', 'custom:', '  coldstart:', '    coldStart: fast'].join('\n'));
    assert.match(err.message, /"realistic" or "off"/);
  });

  it('accepts an empty service without functions', async () => {
    const file = path.join(dir, 'empty.yml');
    await writeFile(file, 'service: { name: empty }\n');
    const config = await loadServiceConfig(file, {});
    assert.equal(config.service, 'empty');
    assert.deepEqual(config.functions, []);
    assert.deepEqual(config.queues, []);
    assert.deepEqual(config.warnings, []);
  });
});
