// AWS's limits and errors where a careless handler meets them: the 6 MB response limit, results
// JSON cannot write, `throw null`, and a promise rejected after the response, whose reason is
// shown in the terminal and the event stream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InstanceRetiredEvent, LogEvent } from '../src/types/events.js';
import { connectEvents, type EventClient } from './helpers/events.js';
import { invoke, lambdaClient } from './helpers/lambda.js';
import { rawRequest } from './helpers/raw-http.js';
import { fixture, useColdstart } from './helpers/server.js';

for (const isolation of ['thread', 'process'] as const) {
  describe(`hardening: function errors (isolation: ${isolation})`, () => {
    const cs = useColdstart(fixture('hardening', 'serverless.yml'), ['--isolation', isolation]);
    let events: EventClient;
    before(async () => {
      events = await connectEvents(cs.url);
    });
    after(async () => {
      await events?.close();
    });

    test('a result over 6 MB fails with Function.ResponseSizeTooLarge; the gateway answers 502 / 500', async () => {
      const client = lambdaClient(cs.url);
      const big = await invoke(client, 'big', { mb: 20 });
      assert.equal(big.functionError, 'Unhandled');
      assert.equal(big.payload.errorType, 'Function.ResponseSizeTooLarge');
      assert.equal(big.payload.errorMessage, 'Response payload size exceeded maximum allowed payload size (6291556 bytes).');
      const fits = await invoke(client, 'big', { mb: 5.9 });
      assert.equal(fits.functionError, undefined);
      assert.ok(fits.payload.body.length > 6_000_000);
      const rest = await rawRequest(cs.port, 'GET', '/dev/big');
      assert.equal(rest.status, 502);
      assert.equal(rest.body, '{"message": "Internal server error"}');
      const httpApi = await rawRequest(cs.port, 'GET', '/big');
      assert.equal(httpApi.status, 500);
      client.destroy();
    });

    test('a cycle or a BigInt in the result is "Unable to stringify response body", with no emulator frame', async () => {
      const client = lambdaClient(cs.url);
      for (const kind of ['cycle', 'bigint']) {
        const r = await invoke(client, 'unstringifiable', { kind });
        assert.equal(r.functionError, 'Unhandled');
        assert.equal(r.payload.errorType, 'Error');
        assert.equal(r.payload.errorMessage, 'Unable to stringify response body');
        assert.doesNotMatch(JSON.stringify(r.payload.trace), /dist\/src|coldstart|TypeError/);
      }
      client.destroy();
    });

    test('throw null is the runtime\'s "handled" error, not a success or "Promise rejected"', async () => {
      const client = lambdaClient(cs.url);
      const r = await invoke(client, 'throwNull');
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.payload.errorType, 'handled');
      assert.match(r.payload.errorMessage, /problem while retrieving one or more of its message, name, and stack/);
      client.destroy();
    });

    test('a rejection after the response logs Runtime.UnhandledPromiseRejection with its reason, then retires the instance', async () => {
      const client = lambdaClient(cs.url);
      const r = await invoke(client, 'lateRejection');
      assert.equal(r.payload, 'done');
      const log = await events.waitFor<LogEvent>((e) => e.type === 'log' && /Unhandled Promise Rejection/.test(e.message), 30_000);
      const message = log.message;
      assert.equal(log.level, 'ERROR');
      assert.match(message, /Runtime\.UnhandledPromiseRejection/);
      assert.match(message, /Error: late failure after the response/);
      await cs.waitForLine(/Unhandled Promise Rejection.*late failure after the response/);
      // The function keeps serving, on a new instance: the dead one is retired as crashed.
      assert.equal((await invoke(client, 'lateRejection')).payload, 'done');
      const retired = await events.waitFor<InstanceRetiredEvent>((e) => e.type === 'instance.retired' && e.function === 'lateRejection', 30_000);
      assert.equal(retired.instanceId, log.instanceId);
      assert.equal(retired.reason, 'crash');
      client.destroy();
    });
  });
}
