// Variables of serverless.yml: every source, fallbacks, nesting, ${file()}, ${ssm:} from custom.coldstart.ssm.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import type { ServiceConfig } from '../src/types/config.js';
import { fixture } from './helpers/server.js';
import { rejection } from './helpers/config.js';

const config = fixture('config', 'variables', 'serverless.yml');

/** Runs fn with process.env patched, restoring it after. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('config variables', () => {
  let loaded: ServiceConfig;
  before(async () => {
    loaded = await withEnv({ COLDSTART_TEST_VALUE: 'from-shell', COLDSTART_TEST_UNSET: undefined, COLDSTART_TEST_REGION: undefined }, () =>
      loadServiceConfig(config, {}),
    );
  });

  it('resolves ${self:} at the top level and ${opt:} with a quoted default', () => {
    assert.equal(loaded.service, 'vars');
    assert.equal(loaded.stage, 'qa');
    assert.equal(loaded.functions[0]!.fullName, 'vars-qa-hello');
  });

  it('resolves ${env:} from the shell, and its double-quoted default when unset', () => {
    const env = loaded.functions[0]!.environment;
    assert.equal(env.FROM_ENV, 'from-shell');
    assert.equal(loaded.region, 'eu-west-1');
  });

  it('resolves ${sls:stage} and interpolates several variables into one string', () => {
    assert.equal(loaded.functions[0]!.environment.STAGE_REGION, 'qa@eu-west-1');
    assert.equal(loaded.functions[0]!.environment.GREETING, 'hello-qa');
  });

  it('falls back from a missing variable to another variable source', () => {
    assert.equal(loaded.functions[0]!.environment.FALLBACK, 'vars');
  });

  it('keeps the type of a value that is one variable: a numeric default stays a number', () => {
    assert.equal(loaded.functions[0]!.timeout, 42);
    assert.equal(loaded.functions[0]!.environment.NUMBER, '42');
  });

  it('keeps a comma inside a quoted default', () => {
    assert.equal(loaded.functions[0]!.environment.COMMA, 'a, b');
  });

  it('uses the default of a nested address when the stage has no entry', () => {
    // provider.memorySize: ${self:custom.memory.${sls:stage}, 256}; custom.memory has only prod.
    assert.equal(loaded.functions[0]!.memorySize, 256);
  });

  it('pulls a whole file with ${file()} and a key of a JSON file, resolving variables inside them', () => {
    const env = loaded.functions[0]!.environment;
    assert.equal(env.SERVICE_NAME, 'vars');
    assert.equal(env.LOG_LEVEL, 'debug');
    assert.equal(env.LEVEL, 'info');
  });

  it('lists serverless.yml and every ${file()} include in configFiles', () => {
    assert.deepEqual(
      [...loaded.configFiles].sort(),
      [config, fixture('config', 'variables', 'config', 'env.yml'), fixture('config', 'variables', 'config', 'shared.json')].sort(),
    );
  });

  it('resolves ${ssm:} (also ssm(raw)) from custom.coldstart.ssm and keeps the map in settings', () => {
    const env = loaded.functions[0]!.environment;
    assert.equal(env.DB_URL, 'postgres://local/db');
    assert.equal(env.API_KEY, 'key-123');
    assert.equal(loaded.settings.ssm['/vars/db-url'], 'postgres://local/db');
  });

  it('leaves CloudFormation ${AWS::Region} in !Sub to CloudFormation, which resolves it', () => {
    assert.equal(loaded.functions[0]!.environment.CFN, 'arn:aws:s3:::eu-west-1-bucket');
  });

  it('resolves ${param:} from params.default', () => {
    assert.equal(loaded.functions[0]!.environment.COLOR, 'blue');
  });

  it('takes --stage and other options from the command line over the file', async () => {
    const prod = await withEnv({ COLDSTART_TEST_VALUE: 'x' }, () => loadServiceConfig(config, { stage: 'prod', options: { level: 'warn' } }));
    assert.equal(prod.stage, 'prod');
    assert.equal(prod.functions[0]!.fullName, 'vars-prod-hello');
    assert.equal(prod.functions[0]!.memorySize, 2048, 'custom.memory.prod is found through the nested ${sls:stage}');
    assert.equal(prod.functions[0]!.environment.LEVEL, 'warn', '${opt:level} inside the JSON include');
    assert.equal(prod.functions[0]!.environment.COLOR, 'red', 'params.prod wins over params.default');
  });
});

describe('config variables (inline files) and their errors', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-vars-'));
    await writeFile(path.join(dir, 'handler.js'), 'exports.handler = async () => 1;\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function load(yaml: string): Promise<ServiceConfig> {
    const file = path.join(dir, `sls-${Math.random().toString(36).slice(2)}.yml`);
    await writeFile(file, yaml);
    return loadServiceConfig(file, {});
  }

  it('names the SSM parameter, the function and the key when custom.coldstart.ssm lacks it', async () => {
    const err = await rejection(
      load(
        [
          'service: s',
          'custom:',
          '  coldstart:',
          '    ssm:',
          '      /app/present: yes',
          'functions:',
          '  hello:',
          '    handler: handler.handler',
          '    environment:',
          '      SECRET: ${ssm:/app/missing}',
        ].join('\n'),
      ),
    );
    assert.equal(err.code, 'CONFIG_VARIABLE');
    assert.match(err.message, /SSM parameter "\/app\/missing"/);
    assert.match(err.message, /custom\.coldstart\.ssm/);
    assert.equal(err.location.function, 'hello');
    assert.equal(err.location.key, 'functions.hello.environment.SECRET');
    assert.equal(err.location.line, 10);
    assert.match(err.describe(), /:10:\d+, function "hello", key "functions\.hello\.environment\.SECRET"/);
  });

  it('uses the fallback of a missing SSM parameter', async () => {
    const loaded = await load(
      ['service: s', 'functions:', '  hello:', '    handler: handler.handler', "    environment: { SECRET: '${ssm:/app/none, \"dev-secret\"}' }"].join('\n'),
    );
    assert.equal(loaded.functions[0]!.environment.SECRET, 'dev-secret');
  });

  it('reports an unset environment variable without a default', async () => {
    const err = await withEnv({ COLDSTART_SURELY_UNSET: undefined }, () =>
      rejection(load(['service: s', 'provider:', '  region: ${env:COLDSTART_SURELY_UNSET}'].join('\n'))),
    );
    assert.equal(err.code, 'CONFIG_VARIABLE');
    assert.match(err.message, /COLDSTART_SURELY_UNSET is not set/);
    assert.equal(err.location.key, 'provider.region');
  });

  it('detects a circular ${self:} reference', async () => {
    const err = await rejection(load(['service: s', 'custom:', '  a: ${self:custom.b}', '  b: ${self:custom.a}'].join('\n')));
    assert.equal(err.code, 'CONFIG_VARIABLE');
    assert.match(err.message, /circular/);
  });

  it('reports a missing ${file()} and names the file', async () => {
    const err = await rejection(load(['service: s', 'custom: ${file(./nope.yml)}'].join('\n')));
    assert.equal(err.code, 'CONFIG_VARIABLE');
    assert.match(err.message, /nope\.yml does not exist/);
  });

  it("walks a fallback chain: ${opt:stage, self:provider.stage, 'dev'}", async () => {
    const yaml = (providerStage: string) =>
      ['service: s', 'provider:', ...(providerStage ? [`  stage: ${providerStage}`] : []), 'custom:', "  stage: ${opt:stage, self:provider.stage, 'dev'}", 'functions:', '  hello:', '    handler: handler.handler', '    name: f-${self:custom.stage}'].join('\n');
    assert.equal((await load(yaml('uat'))).functions[0]!.fullName, 'f-uat');
    assert.equal((await load(yaml(''))).functions[0]!.fullName, 'f-dev');
    const file = path.join(dir, 'chain.yml');
    await writeFile(file, yaml('uat'));
    assert.equal((await loadServiceConfig(file, { stage: 'cli' })).functions[0]!.fullName, 'f-cli');
  });

  it('lets an included file refer to the section it is included under', async () => {
    await writeFile(path.join(dir, 'custom.yml'), 'base: 300\nmemory: ${self:custom.base}\nlabel: mem-${self:custom.base}\n');
    const loaded = await load(
      ['service: s', 'custom: ${file(./custom.yml)}', 'functions:', '  hello:', '    handler: handler.handler', '    memorySize: ${self:custom.memory}', '    environment: { LABEL: "${file(./custom.yml):label}" }'].join('\n'),
    );
    assert.equal(loaded.functions[0]!.memorySize, 300);
    assert.equal(loaded.functions[0]!.environment.LABEL, 'mem-300');
  });

  it('asks for a fallback for sources that need AWS (cf, s3) and uses it when given', async () => {
    const err = await rejection(load(['service: s', 'custom:', '  out: ${cf:other-stack.Output}'].join('\n')));
    assert.match(err.message, /"cf" is not available locally/);
    const ok = await load(['service: s', 'provider:', "  region: ${cf:other.Region, 'ap-south-1'}"].join('\n'));
    assert.equal(ok.region, 'ap-south-1');
  });
});
