// A real project's serverless.yml loads unchanged; what coldstart does not emulate is listed, never fatal.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import type { ServiceConfig } from '../src/types/config.js';
import { fixture } from './helpers/server.js';

describe('config not-emulated keys', () => {
  let config: ServiceConfig;
  before(async () => {
    config = await loadServiceConfig(fixture('config', 'not-emulated', 'serverless.yml'), {});
  });

  it('loads the file with plugins, layers, IAM, authorizers, other resources and unknown tags', () => {
    assert.equal(config.service, 'realworld');
    assert.equal(config.functions.length, 1);
    const api = config.functions[0]!;
    // The emulated parts still work: the http and httpApi routes, not the s3/stream events.
    assert.deepEqual(
      api.events.map((e) => e.kind),
      ['http', 'httpApi'],
    );
  });

  it('lists each key accepted but not emulated, readably', () => {
    const expected = [
      'plugins (serverless-offline, serverless-esbuild)',
      'layers',
      'provider.iam',
      'provider.apiGateway.minimumCompressionSize',
      'provider.architecture',
      'provider.tracing',
      'provider.httpApi.authorizers',
      'functions.api.layers',
      'functions.api.maximumRetryAttempts',
      'functions.api.events[0].http.authorizer',
      'functions.api.events[1].httpApi.authorizer',
      'functions.api.events[2].s3',
      'functions.api.events[3].stream',
      'resources.Resources.UsersTable (AWS::DynamoDB::Table)',
      'resources.Resources.Queue.Properties.FifoQueue',
      'resources.Outputs',
      'YAML tag !MadeUpTag (serverless.yml:59)',
      'functions.api.environment.OTHER_STACK (Fn::ImportValue: CloudFormation value unknown locally)',
    ];
    for (const entry of expected) assert.ok(config.notEmulated.includes(entry), `notEmulated lists ${entry}: ${JSON.stringify(config.notEmulated)}`);
  });

  it('does not list emulated or deployment-only keys', () => {
    for (const entry of config.notEmulated) {
      assert.doesNotMatch(entry, /^(provider\.(runtime|name|deploymentBucket)|functions\.api\.(handler|events|environment)$|frameworkVersion)/);
    }
    assert.equal(new Set(config.notEmulated).size, config.notEmulated.length, 'each entry named once');
  });

  it('resolves what it can of CloudFormation: Ref of a table is its name', () => {
    assert.equal(config.functions[0]!.environment.TABLE, 'users-dev');
  });

  it('lists nothing for a file that uses only emulated keys', async () => {
    const basic = await loadServiceConfig(fixture('config', 'queues', 'serverless.yml'), {});
    assert.deepEqual(basic.notEmulated, []);
  });
});
