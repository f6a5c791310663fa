// The Framework's defaults and flags as real serverless.yml files rely on them, IS_OFFLINE as
// serverless-offline sets it, and the routes printed at start-up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCli } from '../src/cli/args.js';
import { fixture, useColdstart } from './helpers/server.js';

const yml = fixture('real-projects', 'stage-defaults', 'serverless.yml');

async function env(url: string): Promise<Record<string, string | null>> {
  const res = await fetch(url);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as Record<string, string | null>;
}

describe('a service that sets no stage or region', () => {
  const server = useColdstart(yml, ['--cold-start', 'off', '--no-watch']);

  it('resolves ${self:provider.stage} and ${self:provider.region} to dev and us-east-1', async () => {
    const e = await env(`${server.url}/dev/env`);
    assert.equal(e.stage, 'dev');
    assert.equal(e.region, 'us-east-1');
    assert.equal(e.table, 'orders-dev');
  });

  it('sets IS_OFFLINE=true in the instance, so the project picks its local resources', async () => {
    const e = await env(`${server.url}/env`);
    assert.equal(e.isOffline, 'true');
    assert.equal(e.dynamoEndpoint, 'http://localhost:8000');
  });

  it('prints every route, the Lambda API and the console before the listening line', () => {
    const out = server.stdout;
    const listening = out.findIndex((l) => l.startsWith('coldstart listening on'));
    const rest = out.findIndex((l) => new RegExp(`^GET\\s+${server.url}/dev/env\\s+-> env \\(REST API\\)$`).test(l));
    const http = out.findIndex((l) => new RegExp(`^GET\\s+${server.url}/env\\s+-> env \\(HTTP API\\)$`).test(l));
    assert.ok(rest >= 0 && http >= 0, out.join('\n'));
    assert.ok(rest < listening && http < listening);
    assert.ok(out.some((l) => l.includes(`${server.url}/2015-03-31/functions/{name}/invocations`)), 'Lambda API');
    assert.ok(out.some((l) => l.includes(`${server.url}/__coldstart/`)), 'console');
  });
});

describe('--stage and --region', () => {
  const server = useColdstart(yml, ['--cold-start', 'off', '--no-watch', '--stage', 'prod', '--region', 'eu-west-1', '--log-format', 'json']);

  it('feed ${opt:stage} and ${opt:region}, the REST stage path and AWS_REGION', async () => {
    const e = await env(`${server.url}/prod/env`);
    assert.equal(e.stage, 'prod');
    assert.equal(e.region, 'eu-west-1');
    assert.equal(e.awsRegion, 'eu-west-1');
  });

  it('under --log-format json the routes are one server.routes event', () => {
    const events = server.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
    const routes = events.filter((e) => e.type === 'server.routes');
    assert.equal(routes.length, 1);
    assert.deepEqual(routes[0]!.routes, [
      { api: 'REST', method: 'GET', url: `${server.url}/prod/env`, function: 'env' },
      { api: 'HTTP', method: 'GET', url: `${server.url}/env`, function: 'env' },
    ]);
    assert.equal(routes[0]!.console, `${server.url}/__coldstart/`);
  });

  it('--region is parsed like --stage, and --config defaults to the current directory', () => {
    const args = parseCli(['start', '--region', 'eu-west-1']);
    assert.ok(args.command === 'start');
    assert.equal(args.overrides.options?.region, 'eu-west-1');
    assert.equal(args.configPath, '.');
  });
});

describe('custom.coldstart.isOffline: false', () => {
  const server = useColdstart(fixture('real-projects', 'stage-defaults', 'offline-off.yml'), ['--cold-start', 'off', '--no-watch']);

  it('leaves IS_OFFLINE unset', async () => {
    const e = await env(`${server.url}/env`);
    assert.equal(e.isOffline, null);
    assert.equal(e.dynamoEndpoint, null);
  });
});
