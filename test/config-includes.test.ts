// A service split over files: list-form functions/resources from ${file()}, useDotenv, a JS variables file.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import type { ServiceConfig } from '../src/types/config.js';
import { fixture } from './helpers/server.js';

describe('config includes', () => {
  const dir = (...parts: string[]) => fixture('config', 'includes', ...parts);
  let config: ServiceConfig;
  before(async () => {
    delete process.env.SPLIT_DOTENV_VALUE;
    config = await loadServiceConfig(dir('serverless.yml'), {});
  });

  it('merges a list of function files into one map of functions', () => {
    assert.deepEqual(
      config.functions.map((f) => [f.name, f.handlerFile]),
      [
        ['users', dir('handler.cjs')],
        ['orders', dir('handler.cjs')],
      ],
    );
  });

  it('merges a list of resources sections, so !GetAtt finds a queue declared in another file', () => {
    assert.deepEqual(
      config.queues.map((q) => [q.logicalId, q.name, q.visibilityTimeout]),
      [
        ['OrdersQueue', 'split-dev-OrdersQueue', 36],
        ['SecondQueue', 'split-dev-SecondQueue', 30],
      ],
    );
    const orders = config.functions.find((f) => f.name === 'orders')!;
    assert.equal(orders.events[0]!.kind === 'sqs' && orders.events[0]!.arn, 'arn:aws:sqs:us-east-1:000000000000:split-dev-OrdersQueue');
  });

  it('reads .env for ${env:} when useDotenv is true', () => {
    assert.equal(config.functions[0]!.environment.FROM_DOTENV, 'from-dotenv-file');
  });

  it('lets the shell environment win over .env', async () => {
    process.env.SPLIT_DOTENV_VALUE = 'from-shell';
    try {
      const fromShell = await loadServiceConfig(dir('serverless.yml'), {});
      assert.equal(fromShell.functions[0]!.environment.FROM_DOTENV, 'from-shell');
    } finally {
      delete process.env.SPLIT_DOTENV_VALUE;
    }
  });

  it('calls a JavaScript variables file with resolveVariable, as Serverless does', () => {
    assert.equal(config.functions[0]!.environment.FROM_JS, 'green');
    assert.equal(config.functions[0]!.environment.JS_COMPUTED, 'stage-dev');
  });

  it('lists every file the configuration came from, for hot reload', () => {
    assert.deepEqual(
      [...config.configFiles].sort(),
      [
        dir('serverless.yml'),
        dir('.env'),
        dir('settings.cjs'),
        dir('functions', 'users.yml'),
        dir('functions', 'orders.yml'),
        dir('resources', 'queues.yml'),
      ].sort(),
    );
  });

  it('leaves .env and serverless.yml out of the package, as Serverless does', async () => {
    const { PackageSizer } = await import('../src/config/package-size.js');
    const sizer = new PackageSizer(dir(), dir('serverless.yml'), { patterns: [], individually: false, artifact: null, excludeDevDependencies: true }, true);
    const files = await sizer.select([], false);
    assert.ok(files.includes('handler.cjs') && files.includes('functions/users.yml'));
    assert.ok(!files.includes('.env') && !files.includes('serverless.yml'), files.join(', '));
  });
});
