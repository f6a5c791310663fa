// Event sources register themselves: a source built here (kind `toy`) is registered on a registry
// instance through the public API, and serverless.yml is then read and served through it; kinds no
// source registers are listed as not emulated.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { readString, show } from '../src/config/fields.js';
import { loadServiceConfig } from '../src/config/load.js';
import { isPlainObject } from '../src/config/variables.js';
import { builtinEventSources } from '../src/event-sources/builtin.js';
import { EventSourceRegistry } from '../src/event-sources/registry.js';
import { startServer } from '../src/server/start.js';
import type { EventSource } from '../src/types/event-source.js';
import { isColdstartError } from '../src/types/errors.js';
import { getState } from './helpers/state.js';

/** The toy event: a colour and a size. */
interface ToyEventConfig {
  kind: 'toy';
  color: string;
  size: number;
}

declare module '../src/types/event-source.js' {
  interface EventConfigs {
    toy: ToyEventConfig;
  }
}

declare module '../src/types/feature.js' {
  interface FeatureStates {
    toys: { function: string; color: string; started: boolean }[];
  }
}

/** A source as a folder would declare it: its kind, how it is read, its feature. */
function toySource(): EventSource {
  return {
    name: 'toy',
    kinds: {
      toy: {
        read(value, at, loc) {
          if (!isPlainObject(value)) throw loc.invalid(`toy event must be a map with color, got ${show(value)}`, at);
          const size = value.size === undefined ? 1 : Number(value.size);
          return [{ kind: 'toy', color: readString(value.color, [...at, 'color'], loc), size }];
        },
        keys: ['color', 'size'],
      },
    },
    feature: {
      create(ctx) {
        let started = false;
        return {
          name: 'toy',
          claims: (req) => req.url === '/toy',
          routes(app) {
            app.get('/toy', (_req, res) => {
              res.json({ toy: 'here' });
            });
          },
          start() {
            started = true;
          },
          state() {
            const toys = ctx.config.current().functions.flatMap((fn) =>
              fn.events.flatMap((e) => (e.kind === 'toy' ? [{ function: fn.name, color: e.color, started }] : [])),
            );
            return { toys };
          },
        };
      },
    },
  };
}

async function project(t: TestContext, events: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-sources-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'handler.js'), 'exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true }) });\n');
  const yml = ['service: toys', 'provider:', '  name: aws', 'functions:', '  play:', '    handler: handler.handler', '    events:', ...events.map((e) => `      - ${e}`)];
  const file = path.join(dir, 'serverless.yml');
  await writeFile(file, yml.join('\n') + '\n');
  return file;
}

describe('event sources', () => {
  it('the built-in sources register http, httpApi, schedule and sqs', () => {
    assert.deepEqual(builtinEventSources().kinds().sort(), ['http', 'httpApi', 'schedule', 'sqs']);
  });

  it('a registered kind is read into its config; keys it does not emulate and unregistered kinds are listed', async (t) => {
    const file = await project(t, ['toy: { color: red, size: 3, sparkle: true }', 'toy: { color: blue }', 'http: GET /hello', 'kinesis: arn:aws:kinesis:us-east-1:1:stream/x']);
    const registry = builtinEventSources().register(toySource());
    const config = await loadServiceConfig(file, {}, registry);
    const events = config.functions[0]!.events;
    assert.deepEqual(
      events.filter((e) => e.kind === 'toy'),
      [
        { kind: 'toy', color: 'red', size: 3 },
        { kind: 'toy', color: 'blue', size: 1 },
      ],
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['toy', 'toy', 'http'],
    );
    assert.ok(config.notEmulated.includes('functions.play.events[0].toy.sparkle'), config.notEmulated.join('\n'));
    assert.ok(config.notEmulated.includes('functions.play.events[3].kinesis'), config.notEmulated.join('\n'));
    assert.ok(!config.notEmulated.some((k) => k.startsWith('functions.play.events[1]')), config.notEmulated.join('\n'));
  });

  it('without its source, the same kind is accepted, ignored and listed as not emulated', async (t) => {
    const file = await project(t, ['toy: { color: red }', 'http: GET /hello']);
    const config = await loadServiceConfig(file, {});
    assert.deepEqual(
      config.functions[0]!.events.map((e) => e.kind),
      ['http'],
    );
    assert.ok(config.notEmulated.includes('functions.play.events[0].toy'), config.notEmulated.join('\n'));
  });

  it("a source's reading error names the file, the function and the key", async (t) => {
    const file = await project(t, ['toy: { size: 2 }']);
    const err = await loadServiceConfig(file, {}, builtinEventSources().register(toySource())).then(
      () => assert.fail('a toy without a color must be refused'),
      (e: unknown) => e,
    );
    assert.ok(isColdstartError(err), String(err));
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.location?.file, file);
    assert.equal(err.location?.function, 'play');
    assert.equal(err.location?.key, 'functions.play.events[0].toy.color');
  });

  it('one kind cannot be registered by two sources', () => {
    const registry = new EventSourceRegistry().register(toySource());
    assert.throws(() => registry.register({ ...toySource(), name: 'other toy' }), /event kind "toy" is registered by both the toy and the other toy event source/);
  });

  it("the server starts a registered source's feature and shows its state; the built-in ones still run", async (t) => {
    const file = await project(t, ['toy: { color: green }', 'http: GET /hello']);
    const server = await startServer({
      configPath: file,
      port: 0,
      host: '127.0.0.1',
      overrides: { coldStart: 'off' },
      watch: false,
      logFormat: 'json',
      print: () => undefined,
      printError: () => undefined,
      eventSources: builtinEventSources().register(toySource()),
    });
    t.after(() => server.close());
    const state = await getState(server.url);
    assert.deepEqual(state.toys, [{ function: 'play', color: 'green', started: true }]);
    // Registered after the gateway, the toy still gets its own path: the gateway, the fallback, is asked last.
    const toy = await fetch(`${server.url}/toy`);
    assert.equal(toy.status, 200);
    assert.deepEqual(await toy.json(), { toy: 'here' });
    // And the gateway still answers the routes of the built-in http event.
    const hello = await fetch(`${server.url}/dev/hello`);
    assert.equal(hello.status, 200);
    assert.deepEqual(await hello.json(), { ok: true });
  });
});
