// Every configuration error names the file, the function, the key and (where the key is in the
// document) the line and column; the CLI prints describe() and exits 2.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import { fixture } from './helpers/server.js';
import { rejection } from './helpers/config.js';

describe('config errors (fixtures)', () => {
  const errors = (name: string) => fixture('config', 'errors', name);

  it('timeout 901: above Lambda maximum, at functions.hello.timeout line 5', async () => {
    const err = await rejection(loadServiceConfig(errors('timeout-901.yml'), {}));
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.message, "timeout 901 is above Lambda's maximum of 900 seconds");
    assert.deepEqual(err.location, { file: errors('timeout-901.yml'), function: 'hello', key: 'functions.hello.timeout', line: 5, column: 14 });
    assert.equal(
      err.describe(),
      `${errors('timeout-901.yml')}:5:14, function "hello", key "functions.hello.timeout": timeout 901 is above Lambda's maximum of 900 seconds`,
    );
  });

  it('memorySize 64: below the minimum of 128 MB', async () => {
    const err = await rejection(loadServiceConfig(errors('memory-64.yml'), {}));
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.match(err.message, /memorySize 64 is below Lambda's minimum of 128 MB/);
    assert.equal(err.location.key, 'functions.hello.memorySize');
    assert.equal(err.location.line, 5);
  });

  it('memorySize 20000 on the provider: reported at provider.memorySize with the function it breaks', async () => {
    const err = await rejection(loadServiceConfig(errors('memory-20000.yml'), {}));
    assert.match(err.message, /memorySize 20000 is above Lambda's maximum of 10240 MB/);
    assert.equal(err.location.key, 'provider.memorySize');
    assert.equal(err.location.function, 'hello');
    assert.equal(err.location.line, 3);
  });

  // As on AWS, a missing handler file or export fails only that function: a warning, not a refusal.
  it('missing handler file: a HANDLER_MISSING warning naming the line and the paths tried', async () => {
    const config = await loadServiceConfig(errors('missing-handler-file.yml'), {});
    const w = config.warnings.find((x) => x.code === 'HANDLER_MISSING');
    assert.ok(w, 'warned');
    assert.equal(w.function, 'ghost');
    assert.equal(w.key, 'functions.ghost.handler');
    assert.match(w.message, /^missing-handler-file\.yml:6: function "ghost" cannot load/);
    assert.match(w.message, /lib\/ghost\.js, lib\/ghost\.cjs, lib\/ghost\.mjs, lib\/ghost\.ts/);
    assert.match(w.message, /Runtime\.ImportModuleError/);
  });

  it('missing export: a HANDLER_MISSING warning listing what the file exports', async () => {
    const config = await loadServiceConfig(errors('missing-export.yml'), {});
    const w = config.warnings.find((x) => x.code === 'HANDLER_MISSING');
    assert.ok(w, 'warned');
    assert.match(w.message, /handler\.js has no export "main"; it exports handler\./);
    assert.match(w.message, /Runtime\.HandlerNotFound/);
    assert.equal(w.key, 'functions.hello.handler');
  });

  it('bad YAML: CONFIG_YAML with line and column in describe()', async () => {
    const err = await rejection(loadServiceConfig(errors('bad-yaml.yml'), {}));
    assert.equal(err.code, 'CONFIG_YAML');
    assert.equal(err.location.line, 4);
    assert.equal(err.location.column, 14);
    assert.ok(err.describe().startsWith(`${errors('bad-yaml.yml')}:4:14: invalid YAML:`), err.describe());
  });

  it('a function without handler: the key is functions.NAME.handler', async () => {
    const err = await rejection(loadServiceConfig(errors('no-handler.yml'), {}));
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.location.function, 'hello');
    assert.equal(err.location.key, 'functions.hello.handler');
    assert.match(err.describe(), /function "hello", key "functions\.hello\.handler": function "hello" has no handler/);
  });

  it('a handler without an export part', async () => {
    const err = await rejection(loadServiceConfig(errors('bad-handler-format.yml'), {}));
    assert.match(err.message, /must be path\/to\/file\.export/);
  });

  it('a missing configuration file: CONFIG_NOT_FOUND', async () => {
    const err = await rejection(loadServiceConfig(errors('does-not-exist.yml'), {}));
    assert.equal(err.code, 'CONFIG_NOT_FOUND');
    assert.equal(err.location.file, errors('does-not-exist.yml'));
  });
});

describe('config errors (inline)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-errors-'));
    await writeFile(path.join(dir, 'handler.js'), 'exports.handler = async () => 1;\n');
    await writeFile(path.join(dir, 'dynamic.js'), 'module.exports = require("./impl-" + process.env.X);\n');
    await writeFile(path.join(dir, 'typed.ts'), 'export type handler = string;\nexport const main = async (): Promise<number> => 1;\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function load(fnYaml: string[], extra: string[] = []): Promise<unknown> {
    const file = path.join(dir, `sls-${Math.random().toString(36).slice(2)}.yml`);
    await writeFile(file, ['service: s', 'functions:', '  hello:', '    handler: handler.handler', ...fnYaml.map((l) => `    ${l}`), ...extra].join('\n'));
    return loadServiceConfig(file, {});
  }

  const cases: [string, string[], RegExp, string, string[]?][] = [
    ['timeout 0', ['timeout: 0'], /timeout 0 is below Lambda's minimum of 1 second$/, 'functions.hello.timeout'],
    ['a fractional timeout', ['timeout: 2.5'], /timeout must be an integer/, 'functions.hello.timeout'],
    ['a negative reservedConcurrency', ['reservedConcurrency: -1'], /reservedConcurrency -1 is below/, 'functions.hello.reservedConcurrency'],
    ['a fractional provisionedConcurrency', ['provisionedConcurrency: 1.5'], /must be an integer/, 'functions.hello.provisionedConcurrency'],
    [
      'provisioned above reserved',
      ['reservedConcurrency: 2', 'provisionedConcurrency: 3'],
      /provisionedConcurrency 3 is above reservedConcurrency 2/,
      'functions.hello.provisionedConcurrency',
    ],
    ['batchSize 0', ['events:', '  - sqs: { arn: "arn:aws:sqs:us-east-1:1:q", batchSize: 0 }'], /batchSize 0 is below/, 'functions.hello.events[0].sqs.batchSize'],
    [
      'batchSize 20000',
      ['events:', '  - sqs: { arn: "arn:aws:sqs:us-east-1:1:q", batchSize: 20000 }'],
      /batchSize 20000 is above Lambda's maximum of 10000/,
      'functions.hello.events[0].sqs.batchSize',
    ],
    [
      'batchSize above 10 without a batching window',
      ['events:', '  - sqs: { arn: "arn:aws:sqs:us-east-1:1:q", batchSize: 50 }'],
      /needs maximumBatchingWindow/,
      'functions.hello.events[0].sqs.batchSize',
    ],
    ['a bad rate unit', ['events:', '  - schedule: rate(5 minute)'], /rate\(5 minutes\)/, 'functions.hello.events[0].schedule'],
    ['a five-field cron', ['events:', '  - schedule: cron(0 12 * * ?)'], /expected 6 fields/, 'functions.hello.events[0].schedule'],
    ['a cron minute out of range', ['events:', '  - schedule: cron(61 * * * ? *)'], /61/, 'functions.hello.events[0].schedule'],
    ['something else than rate or cron', ['events:', '  - schedule: every 5 minutes'], /rate\(...\) or cron\(...\)/, 'functions.hello.events[0].schedule'],
    ['an unknown function as on-failure target', ['destinations:', '  onFailure: nobody'], /"nobody" is neither an ARN nor a function/, 'functions.hello.destinations.onFailure'],
    [
      'an sqs arn pointing at an undeclared resource',
      ['events:', '  - sqs: { arn: !GetAtt MissingQueue.Arn }'],
      /no resource MissingQueue is declared/,
      'functions.hello.events[0].sqs.arn',
    ],
    ['a python runtime', ['runtime: python3.12'], /runtime "python3.12" is not supported/, 'functions.hello.runtime'],
    ['a reserved environment variable', ['environment:', '  AWS_REGION: eu-west-1'], /AWS_REGION is reserved/, 'functions.hello.environment.AWS_REGION'],
    ['an http event without method', ['events:', '  - http: { path: /x }'], /needs a method/, 'functions.hello.events[0].http.method'],
    ['a greedy parameter before the end', ['events:', '  - http: GET /{proxy+}/x'], /must be the last segment/, 'functions.hello.events[0].http.path'],
    [
      'a route declared twice',
      ['events:', '  - httpApi: GET /dup'],
      /route GET \/dup of the HTTP API \(httpApi\) is declared twice/,
      'functions.other.events[0].httpApi',
      ['  other:', '    handler: handler.handler', '    events:', '      - httpApi: GET /dup'],
    ],
  ];

  for (const [title, fnYaml, message, key, extra] of cases) {
    it(`rejects ${title} at ${key}`, async () => {
      const err = await rejection(load(fnYaml, extra));
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.match(err.message, message);
      assert.equal(err.location.key, key);
      assert.ok(err.location.line !== undefined && err.location.line > 3, `line of ${key}: ${err.describe()}`);
    });
  }

  it('accepts an export the lexer cannot see (module.exports = require(...)) and leaves it to the runtime', async () => {
    const file = path.join(dir, 'dynamic.yml');
    await writeFile(file, 'service: s\nfunctions:\n  hello:\n    handler: dynamic.anything\n');
    const config = await loadServiceConfig(file, {});
    assert.equal(config.functions[0]!.handlerExport, 'anything');
  });

  it('does not count a TypeScript type-only export as the handler', async () => {
    const file = path.join(dir, 'typed.yml');
    await writeFile(file, 'service: s\nfunctions:\n  hello:\n    handler: typed.handler\n');
    const config = await loadServiceConfig(file, {});
    const w = config.warnings.find((x) => x.code === 'HANDLER_MISSING');
    assert.match(w?.message ?? '', /typed\.ts has no export "handler"; it exports main/);
  });
});
