// Shared by the hot-reload end-to-end tests: a temp copy of the fixture service, a server started
// on it with JSON event lines, and polling helpers that wait for an edit to show.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CodeReloadedEvent, LifecycleEvent, LifecycleEventType } from '../../src/types/events.js';
import { invoke, lambdaClient, type Invoked } from './lambda.js';
import { eventually } from './eventually.js';
import { fixture, useColdstart, type RunningColdstart } from './server.js';

/** A server running on a private copy of a fixture service. */
export interface ReloadService {
  dir: string;
  cs: RunningColdstart;
  client: LambdaClient;
  /** Absolute path of a file of the copy. */
  file(rel: string): string;
  /** Replaces `from` by `to` in a file of the copy (fails if `from` is absent). */
  edit(rel: string, from: string | RegExp, to: string): Promise<void>;
  write(rel: string, text: string): Promise<void>;
  /** The lifecycle events of a type printed so far (the server runs with --log-format json). */
  events<K extends LifecycleEventType>(type: K): Extract<LifecycleEvent, { type: K }>[];
}

/**
 * Copies `test/fixtures/reload/<name>` to a temp dir and starts coldstart on it before the tests of
 * the enclosing describe block (or file); after them, stops it (failing on an unclean exit) and
 * removes the copy. The handle forwards to the service once it has started.
 */
export function useReloadService(name = 'service', args: string[] = []): ReloadService {
  let dir: string | undefined;
  let running: ReloadService | undefined;
  const cs = useColdstart(
    async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'coldstart-reload-'));
      await cp(fixture('reload', name), dir, { recursive: true });
      return path.join(dir, 'serverless.yml');
    },
    ['--cold-start', 'off', '--log-format', 'json', ...args],
    { cleanExit: true, afterStop: () => dir && rm(dir, { recursive: true, force: true }) },
  );
  before(async () => {
    // Top-level before hooks run side by side: wait for the server (and so for the copy).
    const started = await cs.ready;
    running = reloadService(dir!, started);
  });
  after(() => running?.client.destroy());
  return new Proxy({} as ReloadService, {
    get(_target, key) {
      if (!running) throw new Error(`the reload service is not running (read of "${String(key)}" outside the suite's tests)`);
      return Reflect.get(running, key);
    },
  });
}

function reloadService(dir: string, cs: RunningColdstart): ReloadService {
  const client = lambdaClient(cs.url);
  const file = (rel: string) => path.join(dir, rel);
  return {
    dir,
    cs,
    client,
    file,
    async edit(rel, from, to) {
      const before = await readFile(file(rel), 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`edit of ${rel}: ${String(from)} not found`);
      await writeFile(file(rel), after);
    },
    write: (rel, text) => writeFile(file(rel), text),
    events<K extends LifecycleEventType>(type: K) {
      const out: Extract<LifecycleEvent, { type: K }>[] = [];
      for (const line of cs.stdout) {
        if (!line.startsWith('{')) continue;
        try {
          const e = JSON.parse(line) as LifecycleEvent;
          if (e.type === type) out.push(e as Extract<LifecycleEvent, { type: K }>);
        } catch {
          // not an event line
        }
      }
      return out;
    },
  };
}

/**
 * Invokes until the answer satisfies `done`; resolves with that answer. Errors count as not yet
 * (e.g. ResourceNotFound until a function added to serverless.yml is loaded).
 */
export function invokeUntil(client: LambdaClient, fn: string, done: (r: Invoked) => boolean, timeoutMs = 10_000, event: unknown = {}): Promise<Invoked> {
  return eventually(async () => {
    const r = await invoke(client, fn, event);
    if (done(r)) return r;
    throw new Error(`answered ${JSON.stringify(r.payload)}`);
  }, timeoutMs, `${fn}: the expected answer`);
}

export { eventually };

/** Waits until the service has printed `count` code.reloaded events; resolves with the newest. */
export function reloadNumber(svc: ReloadService, count: number): Promise<CodeReloadedEvent> {
  return eventually(() => svc.events('code.reloaded')[count - 1], 10_000, `code.reloaded #${count}`);
}
