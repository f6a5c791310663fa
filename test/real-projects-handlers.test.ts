// Handler strings as the Node.js runtime reads them, and a service where some functions cannot
// load: it starts, warns, serves the rest (CORS preflights of the broken function's routes too),
// and the broken functions fail only their own invocations, with the reason in the terminal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { fixture, useColdstart } from './helpers/server.js';

describe('handler property paths (file.ns.fn)', () => {
  const server = useColdstart(fixture('real-projects', 'handler-paths', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);

  it('walks a nested namespace, a static method of a class, a method of an exported instance', async () => {
    const client = lambdaClient(server.url);
    assert.deepEqual((await invoke(client, 'nested')).payload, { via: 'nested namespace' });
    assert.deepEqual((await invoke(client, 'static', { n: 1 })).payload, { via: 'static method', n: 1 });
    assert.deepEqual((await invoke(client, 'instance', { n: 2 })).payload, { via: 'instance method', n: 2 });
  });

  it('a path that ends nowhere is Runtime.HandlerNotFound, as the runtime says it', async () => {
    const r = await invoke(lambdaClient(server.url), 'missingLeaf');
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.payload.errorType, 'Runtime.HandlerNotFound');
    assert.equal(r.payload.errorMessage, 'handlers.api.users.remove is undefined or not exported');
  });
});

describe('a service with functions that cannot load', () => {
  const server = useColdstart(fixture('real-projects', 'broken', 'serverless.yml'), ['--cold-start', 'off', '--no-watch']);

  it('starts, warning about each broken function with the file, line and what is missing', () => {
    const warnings = server.stderr.filter((l) => l.startsWith('coldstart: warning:'));
    const noExport = warnings.find((l) => l.includes('"noExport"'));
    const noFile = warnings.find((l) => l.includes('"noFile"'));
    assert.match(noExport ?? '', /serverless\.yml:15: function "noExport" cannot load: ok\.js has no export "missing"; it exports handler/);
    assert.match(noFile ?? '', /serverless\.yml:22: function "noFile" cannot load: handler file not found for "gone\/handler\.main"/);
  });

  it('serves the healthy function and answers CORS preflights of a broken one', async () => {
    const ok = await fetch(`${server.url}/dev/ok`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'ok');
    const preflight = await fetch(`${server.url}/dev/broken`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    assert.ok(preflight.status === 200 || preflight.status === 204, `preflight ${preflight.status}`);
    assert.ok(preflight.headers.get('access-control-allow-origin'), 'CORS headers');
    const broken = await fetch(`${server.url}/dev/broken`);
    assert.equal(broken.status, 502, 'the REST API answers a failed function with 502');
  });

  it('fails the broken functions with the runtime errors AWS gives', async () => {
    const client = lambdaClient(server.url);
    const noExport = await invoke(client, 'noExport');
    assert.equal(noExport.payload.errorType, 'Runtime.HandlerNotFound');
    assert.equal(noExport.payload.errorMessage, 'ok.missing is undefined or not exported');
    const noFile = await invoke(client, 'noFile');
    assert.equal(noFile.payload.errorType, 'Runtime.ImportModuleError');
    assert.match(noFile.payload.errorMessage, /Cannot find module 'handler'/);
  });

  it('an init failure shows its message in the terminal (Uncaught Exception before INIT_REPORT), with the SDK v3 advice', async () => {
    const r = await invoke(lambdaClient(server.url), 'needsSdk');
    assert.equal(r.payload.errorType, 'Runtime.ImportModuleError');
    assert.match(r.payload.errorMessage, /Cannot find module '@aws-sdk\/client-dynamodb'/);
    assert.match(r.payload.errorMessage, /includes the AWS SDK for JavaScript v3.*npm install --save-dev @aws-sdk\/client-dynamodb/);
    const uncaught = await server.waitForLine(/needsSdk.*\tERROR\tUncaught Exception \t\{"errorType":"Runtime\.ImportModuleError"/);
    const report = await server.waitForLine(/needsSdk.*INIT_REPORT .*Error Type: Runtime\.ImportModuleError/);
    assert.match(uncaught, /"errorMessage":"Error: Cannot find module '@aws-sdk\/client-dynamodb'/);
    const lines = server.stdout;
    assert.ok(lines.indexOf(uncaught) < lines.indexOf(report), 'the error comes before INIT_REPORT');
  });
});
