// createColdstart: the emulator as a value a program (a test file, a script, the `coldstart`
// command) starts, calls and closes.
import { startServer } from '../server/start.js';
import { ColdstartError } from '../types/errors.js';
import { buildState, type StateDocument } from '../console/state.js';
import { eventsOf, type ColdstartEvents } from './events.js';
import { invokeFunction, type InvokeOptions, type InvokeResult } from './invoke.js';
import { toStartOptions, type ColdstartOptions } from './options.js';

/** A running emulator. */
export interface Coldstart extends AsyncDisposable {
  /** `http://HOST:PORT`: the gateway, the Lambda and SQS APIs and the console all answer here. */
  readonly url: string;
  readonly port: number;
  /** Invokes a function as the Lambda Invoke API would (short name, deployed name or ARN). */
  invoke(name: string, payload?: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  /**
   * `fetch` against this emulator: a path (`/dev/hello`, `/items?x=1`) is taken relative to `url`;
   * a Request or absolute URL is sent to this emulator with its path, query, method, headers and body.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The lifecycle events the console streams. */
  readonly events: ColdstartEvents;
  /** What `GET /__coldstart/state` returns: settings, functions and their instances. */
  state(): StateDocument;
  /** Stops accepting requests, lets in-flight invocations finish, retires every instance. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Loads the service and starts listening. Every option is optional, with the command line's
 * defaults. Rejects with a ColdstartError (its `describe()` names the file and key) on a bad
 * configuration or option.
 */
export async function createColdstart(options: ColdstartOptions = {}): Promise<Coldstart> {
  const start = toStartOptions(options);
  const server = await startServer(start).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') throw err;
    throw new ColdstartError('INVALID_ARGUMENT', `port ${start.port} on ${start.host} is in use (serverless-offline still running?); choose another with --port, or --port 0 for a free one`, { key: '--port' });
  });
  const ctx = server.context;
  const base = new URL(server.url);
  return {
    url: server.url,
    port: server.port,
    invoke: (name, payload, invokeOptions) => invokeFunction(ctx.invocations, ctx.config.current().region, name, payload, invokeOptions),
    fetch: async (input, init) => fetch(await retarget(input, base), init),
    events: eventsOf(ctx.bus),
    state: () => buildState(ctx),
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}

// A path joins the emulator's URL; an absolute URL or a Request keeps its path and query only.
async function retarget(input: string | URL | Request, base: URL): Promise<string | Request> {
  if (input instanceof Request) {
    const u = new URL(input.url);
    const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
    return new Request(new URL(u.pathname + u.search, base), { method: input.method, headers: input.headers, body, redirect: input.redirect, signal: input.signal });
  }
  const u = new URL(String(input), base);
  return new URL(u.pathname + u.search, base).href;
}
