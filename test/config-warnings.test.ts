// Start-up warnings of SPEC 4.1: each names the function and the key, and none stops start-up.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadServiceConfig } from '../src/config/load.js';
import type { ConfigWarning, ServiceConfig } from '../src/types/config.js';
import { fixture } from './helpers/server.js';

function only(warnings: ConfigWarning[], code: string): ConfigWarning[] {
  return warnings.filter((w) => w.code === code);
}

describe('config warnings', () => {
  let config: ServiceConfig;
  before(async () => {
    config = await loadServiceConfig(fixture('config', 'warnings', 'serverless.yml'), {});
  });

  it('warns when a function behind the REST API or the HTTP API outlives the gateway', () => {
    const warnings = only(config.warnings, 'TIMEOUT_ABOVE_GATEWAY');
    assert.deepEqual(
      warnings.map((w) => [w.function, w.key]),
      [
        ['slowApi', 'functions.slowApi.timeout'],
        ['slowHttpApi', 'functions.slowHttpApi.timeout'],
      ],
    );
    assert.match(warnings[0]!.message, /timeout 60 s .* REST API, which gives up after 29 s.*Set timeout to 29 or less/);
    assert.match(warnings[1]!.message, /timeout 31 s .* HTTP API, which gives up after 30 s/);
  });

  it('uses the configured gateway timeout when there is one', async () => {
    const tighter = await loadServiceConfig(fixture('config', 'warnings', 'serverless.yml'), { gatewayTimeout: 100 });
    assert.deepEqual(only(tighter.warnings, 'TIMEOUT_ABOVE_GATEWAY'), []);
    const looser = await loadServiceConfig(fixture('config', 'warnings', 'clean.yml'), { gatewayTimeout: 10 });
    assert.deepEqual(
      only(looser.warnings, 'TIMEOUT_ABOVE_GATEWAY').map((w) => w.function),
      ['fastApi', 'fastApi'],
    );
  });

  it('warns when a queue visibility timeout is under 6 x its consumer timeout', () => {
    const [w, ...rest] = only(config.warnings, 'VISIBILITY_TIMEOUT_TOO_SHORT');
    assert.equal(rest.length, 0);
    assert.equal(w!.function, 'consumer');
    assert.equal(w!.key, 'resources.Resources.WorkQueue.Properties.VisibilityTimeout');
    assert.match(w!.message, /VisibilityTimeout 60 s.*\(30 s\).*at least 180/);
  });

  it('warns when reservations leave less than 100 unreserved', () => {
    const [w, ...rest] = only(config.warnings, 'UNRESERVED_BELOW_MINIMUM');
    assert.equal(rest.length, 0);
    assert.equal(w!.function, 'bigReservation');
    assert.equal(w!.key, 'functions.bigReservation.reservedConcurrency');
    assert.match(w!.message, /total 910 of the account's 1000, leaving 90 unreserved.*by at least 10/);
  });

  it('counts the account concurrency from the command line', async () => {
    const bigger = await loadServiceConfig(fixture('config', 'warnings', 'serverless.yml'), { accountConcurrency: 2000 });
    assert.deepEqual(only(bigger.warnings, 'UNRESERVED_BELOW_MINIMUM'), []);
  });

  it('warns about a warm-up schedule on a function with provisioned concurrency', () => {
    const [w, ...rest] = only(config.warnings, 'WARMUP_WITH_PROVISIONED');
    assert.equal(rest.length, 0);
    assert.equal(w!.function, 'provisioned');
    assert.equal(w!.key, 'functions.provisioned.events');
    assert.match(w!.message, /provisionedConcurrency 2 .* rate\(5 minutes\)/);
  });

  it('starts anyway: the functions are all loaded', () => {
    assert.equal(config.functions.length, 6);
  });

  it('gives no warning for the same service configured safely', async () => {
    const clean = await loadServiceConfig(fixture('config', 'warnings', 'clean.yml'), {});
    assert.deepEqual(clean.warnings, []);
  });
});
