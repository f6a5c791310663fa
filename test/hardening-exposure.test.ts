// No web page and no rebinding DNS name can drive the emulator: every surface refuses a Host
// that is not this server's, the Lambda, SQS and console APIs refuse browser requests from other
// origins in their own error formats, programs without an Origin keep working, gateway routes
// stay public, and listening beyond loopback prints a warning.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { exposureWarning } from '../src/http/exposure.js';
import { isAllowedHost, isLoopbackAddress } from '../src/http/local-guard.js';
import { rawRequest } from './helpers/raw-http.js';
import { fixture, startColdstart, useColdstart } from './helpers/server.js';

const config = fixture('hardening', 'serverless.yml');
const FN = '/2015-03-31/functions/hardening-dev-env';

describe('local safety: Host and Origin checks', () => {
  const cs = useColdstart(config, ['--allowed-host', 'dev.test']);
  let own: string;
  before(() => {
    own = `127.0.0.1:${cs.port}`;
  });

  const invocations = async (): Promise<number> => {
    const r = await rawRequest(cs.port, 'GET', '/__coldstart/metrics', { headers: { host: own } });
    return (JSON.parse(r.body).functions as Record<string, { invocations: number }>)['env']?.invocations ?? 0;
  };

  test('a rebinding Host is refused on every surface, in each surface format', async () => {
    const evil = { host: `evil.example:${cs.port}` };
    const getFunction = await rawRequest(cs.port, 'GET', FN, { headers: evil });
    assert.equal(getFunction.status, 403);
    assert.equal(getFunction.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.doesNotMatch(getFunction.body, /FROM_CONFIG|visible/);
    assert.match(JSON.parse(getFunction.body).message, /evil\.example.*allowedHosts/);

    const state = await rawRequest(cs.port, 'GET', '/__coldstart/state', { headers: evil });
    assert.equal(state.status, 403);
    assert.doesNotMatch(state.body, /hardening-dev-env/);

    const invoke = await rawRequest(cs.port, 'POST', `${FN}/invocations`, { headers: { ...evil, 'x-amz-log-type': 'Tail' }, body: '{}' });
    assert.equal(invoke.status, 403);

    const sqs = await rawRequest(cs.port, 'POST', '/', {
      headers: { ...evil, 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    assert.equal(sqs.status, 403);
    assert.equal(JSON.parse(sqs.body).__type, 'com.amazonaws.sqs#AccessDenied');

    const gateway = await rawRequest(cs.port, 'GET', '/dev/env', { headers: evil });
    assert.equal(gateway.status, 403);
    const httpApi = await rawRequest(cs.port, 'GET', '/env', { headers: evil });
    assert.equal(httpApi.status, 403);
    assert.equal(await invocations(), 0, 'nothing ran for a foreign Host');
  });

  test('the server own names, localhost, [::1] and an allowed host are answered', async () => {
    for (const host of [own, `localhost:${cs.port}`, `[::1]:${cs.port}`, `dev.test:${cs.port}`]) {
      const r = await rawRequest(cs.port, 'GET', FN, { headers: { host } });
      assert.equal(r.status, 200, `Host ${host}: ${r.body}`);
      assert.equal(JSON.parse(r.body).Configuration.Environment.Variables.FROM_CONFIG, 'visible');
    }
    const sub = await rawRequest(cs.port, 'GET', FN, { headers: { host: `api.dev.test:${cs.port}` } });
    assert.equal(sub.status, 403, 'a plain allowed name does not allow its subdomains');
  });

  test('a cross-origin simple POST cannot invoke a function; programs and the server own pages can', async () => {
    const before = await invocations();
    const page = await rawRequest(cs.port, 'POST', `${FN}/invocations`, {
      headers: { host: own, origin: 'http://evil.example', 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    assert.equal(page.status, 403);
    assert.equal(page.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(JSON.parse(page.body).Type, 'User');
    const nullOrigin = await rawRequest(cs.port, 'POST', `${FN}/invocations`, { headers: { host: own, origin: 'null' }, body: '{}' });
    assert.equal(nullOrigin.status, 403, 'a sandboxed frame or file: page (Origin null) is another origin');
    assert.equal(await invocations(), before, 'the refused requests ran nothing');

    const program = await rawRequest(cs.port, 'POST', `${FN}/invocations`, { headers: { host: own }, body: '{}' });
    assert.equal(program.status, 200);
    const ownPage = await rawRequest(cs.port, 'POST', `${FN}/invocations`, {
      headers: { host: own, origin: `http://${own}`, 'sec-fetch-site': 'same-origin' },
      body: '{}',
    });
    assert.equal(ownPage.status, 200);
    assert.equal(await invocations(), before + 2);
  });

  test('console JSON and SQS refuse other origins; a no-cors tag request is caught by Sec-Fetch-Site', async () => {
    const state = await rawRequest(cs.port, 'GET', '/__coldstart/state', { headers: { host: own, origin: 'http://evil.example' } });
    assert.equal(state.status, 403);
    const tag = await rawRequest(cs.port, 'GET', '/__coldstart/state', { headers: { host: own, 'sec-fetch-site': 'cross-site' } });
    assert.equal(tag.status, 403);
    const typed = await rawRequest(cs.port, 'GET', '/__coldstart/state', { headers: { host: own, 'sec-fetch-site': 'none' } });
    assert.equal(typed.status, 200, 'an address typed by the user (Sec-Fetch-Site: none) is answered');
    const sqs = await rawRequest(cs.port, 'POST', '/', {
      headers: { host: own, origin: 'https://evil.example', 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    assert.equal(sqs.status, 403);
    assert.equal(sqs.headers['x-amzn-query-error'], 'AccessDenied;Sender');
    const page = await rawRequest(cs.port, 'GET', '/__coldstart/', { headers: { host: own, 'sec-fetch-site': 'cross-site' } });
    assert.equal(page.status, 200, 'the console page itself may be linked to from anywhere');
  });

  test('gateway routes stay public to other origins', async () => {
    const rest = await rawRequest(cs.port, 'GET', '/dev/env', { headers: { host: own, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    assert.equal(rest.status, 200);
    const v2 = await rawRequest(cs.port, 'GET', '/env', { headers: { host: own, origin: 'http://evil.example' } });
    assert.equal(v2.status, 200);
  });
});

describe('local safety: listening beyond loopback', () => {
  test('the warning names the address and is absent on loopback', () => {
    assert.match(exposureWarning('0.0.0.0', 3000)!, /warning: listening on 0\.0\.0\.0:3000, which other machines can reach/);
    assert.match(exposureWarning('::', 3000)!, /\[::\]:3000/);
    assert.equal(exposureWarning('127.0.0.1', 3000), null);
    assert.equal(exposureWarning('localhost', 3000), null);
    assert.equal(exposureWarning('::1', 3000), null);
    assert.equal(isLoopbackAddress('192.168.1.10'), false);
  });

  test('the server prints it when started on 0.0.0.0', async (t) => {
    const cs = await startColdstart(t, config, ['--host', '0.0.0.0']);
    const line = await cs.waitForLine(/warning: listening on 0\.0\.0\.0:\d+/);
    assert.match(line, /AWS credentials/);
  });

  test('no warning on loopback', async (t) => {
    const cs = await startColdstart(t, config);
    assert.equal([...cs.stdout, ...cs.stderr].some((l) => /other machines can reach/.test(l)), false);
  });
});

describe('local safety: the rules', () => {
  test('which Host names are answered', () => {
    const ok = (host: string, allowed: string[] = [], server = '127.0.0.1') => isAllowedHost(host, server, allowed);
    assert.equal(ok('127.0.0.1:3000'), true);
    assert.equal(ok('[::1]:3000'), true);
    assert.equal(ok('192.168.1.20:3000'), true, 'an IP address cannot be re-pointed by DNS');
    assert.equal(ok('LOCALHOST:3000'), true);
    assert.equal(ok('app.localhost:3000'), true);
    assert.equal(ok('evil.example:3000'), false);
    assert.equal(ok('localhost.evil.example:3000'), false);
    assert.equal(ok('127.0.0.1.nip.io:3000'), false);
    assert.equal(ok('my-laptop:3000', [], 'my-laptop'), true, 'the name given to --host');
    assert.equal(ok('dev.test:3000', ['dev.test']), true);
    assert.equal(ok('a.dev.test:3000', ['.dev.test']), true);
    assert.equal(ok('dev.test:3000', ['.dev.test']), true);
    assert.equal(ok('xdev.test:3000', ['.dev.test']), false);
    assert.equal(ok('anything:3000', ['*']), true);
    assert.equal(ok(''), false);
  });
});

describe('local safety: the allowedHosts setting', () => {
  test('a list of names, lower-cased; anything else names the key', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { rejectYaml } = await import('./helpers/config.js');
    const { loadServiceConfig } = await import('../src/config/load.js');
    const { writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-hosts-'));
    try {
      const err = await rejectYaml(dir, 'service: h\nprovider:\n  name: aws\ncustom:\n  coldstart:\n    allowedHosts: [5]\n');
      assert.equal(err.location.key, 'custom.coldstart.allowedHosts[0]');
      const file = path.join(dir, 'ok.yml');
      await writeFile(file, 'service: h\nprovider:\n  name: aws\ncustom:\n  coldstart:\n    allowedHosts: [Dev.Test, .tunnel.example]\n');
      const config = await loadServiceConfig(file, { allowedHosts: ['Extra.Test'] });
      assert.deepEqual(config.settings.allowedHosts, ['dev.test', '.tunnel.example', 'extra.test']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
