// The composition root: loads the configuration, builds the runtime and mounts every feature on
// one express app and one port.
import express, { type Express } from 'express';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBus } from '../events/bus.js';
import { loadServiceConfig } from '../config/load.js';
import { Runtime } from '../runtime/runtime.js';
import type { CliOverrides } from '../types/config.js';
import type { AppContext, Feature, FeatureState } from '../types/feature.js';
import { MemoryConfigStore } from './config-store.js';
import { createConsoleFeature } from '../console/feature.js';
import { createLambdaApiFeature } from '../lambda-api/feature.js';
import { createReloadFeature } from '../reload/feature.js';
import { createTerminalFeature } from '../terminal/feature.js';
import { builtinEventSources } from '../event-sources/builtin.js';
import type { EventSources } from '../types/event-source.js';
import { printRoutes } from '../terminal/routes.js';
import { startPackageSizing } from '../code/package-status.js';
import { guardRequests, LocalGuard } from '../http/local-guard.js';
import { exposureWarning } from '../http/exposure.js';

/** How to start the server. */
export interface StartOptions {
  configPath: string;
  port: number;
  host: string;
  overrides: CliOverrides;
  watch: boolean;
  logFormat: 'pretty' | 'json';
  /** Put the main thread under SCHED_BATCH before instances start; it changes the host process. */
  batchScheduling?: boolean;
  /** Line sinks; default to stdout/stderr. */
  print?: (line: string) => void;
  printError?: (line: string) => void;
  /** The event sources to read serverless.yml with and whose features to run; the built-in ones by default. */
  eventSources?: EventSources;
}

/** A listening emulator. */
export interface RunningServer {
  url: string;
  port: number;
  context: AppContext;
  /** Stops accepting requests, lets in-flight invocations finish, retires every instance. */
  close(): Promise<void>;
}

/** Loads the configuration and starts listening; throws a ColdstartError on bad configuration. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const eventSources = opts.eventSources ?? builtinEventSources();
  const config = await loadServiceConfig(opts.configPath, opts.overrides, eventSources);
  const print = opts.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const printError = opts.printError ?? ((line: string) => process.stderr.write(line + '\n'));
  const bus = new EventBus();
  const store = new MemoryConfigStore(config);
  let baseUrl = '';
  const runtime = new Runtime(config, bus, { endpoint: () => baseUrl, batchScheduling: opts.batchScheduling });
  store.onChange((next) => runtime.applyConfig(next));

  const features: Feature[] = [];
  const context: AppContext = {
    bus,
    config: store,
    invocations: runtime,
    concurrency: runtime,
    reloader: runtime,
    eventSources,
    options: { watch: opts.watch, logFormat: opts.logFormat, cliOverrides: opts.overrides },
    baseUrl: () => baseUrl,
    setFailureDestination: (d) => runtime.setFailureDestination(d),
    print,
    printError,
    featureState: () => Object.assign({}, ...features.map((f) => f.state?.() ?? {})) as FeatureState,
  };
  const created = [
    createConsoleFeature(context),
    createLambdaApiFeature(context),
    ...eventSources.createFeatures(context),
    createReloadFeature(context),
    createTerminalFeature(context),
  ];
  // The fallback (the gateway) answers whatever the others leave, so it comes last.
  features.push(...created.filter((f) => !f.fallback), ...created.filter((f) => f.fallback));

  for (const key of config.notEmulated) printError(`coldstart: not emulated (accepted and ignored): ${key}`);
  for (const w of config.warnings) printError(`coldstart: warning: ${w.message}`);

  const app = express();
  // Hashing every response body for an ETag would cost time on the invocation path.
  app.set('etag', false);
  app.disable('x-powered-by');
  for (const f of features) f.routes?.(app);

  const guard = new LocalGuard({
    serverHostname: () => opts.host.replace(/^\[|\]$/g, ''),
    allowedHosts: () => store.current().settings.allowedHosts,
  });
  const server = createServer(guardRequests(guard, features, dispatcher(features, app)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  baseUrl = `http://${host}:${port}`;
  const exposed = exposureWarning(opts.host, port);
  if (exposed) printError(exposed);

  for (const f of features) await f.start?.(server);
  // With --log-format json, stdout carries only the listening line and events, so a program can
  // read it; start-up notices go to stderr then, beside the warnings.
  const notice = opts.logFormat === 'json' ? printError : print;
  await runtime.start((fn, ready, total) => notice(`coldstart: provisioned concurrency for ${fn}: ${ready}/${total} ready`));
  const processes = config.settings.isolation === 'process';
  if (processes) notice('coldstart: each instance runs in a child process of its own (isolation: process)');
  printRoutes(config, baseUrl, opts.logFormat, print);
  // Measured once the server listens, so a big node_modules never holds up the listening line.
  setImmediate(() => startPackageSizing(config.functions));
  const spares = runtime.spareThreads();
  if (spares.ready > 0) {
    notice(`coldstart: ${spares.ready} spare ${processes ? 'processes' : 'threads'} ready (${spares.perMemorySize} for each memory size: ${spares.memorySizes.join(', ')} MB)`);
  }

  let closing: Promise<void> | null = null;
  return {
    url: baseUrl,
    port,
    context,
    close() {
      closing ??= shutdown(server, features, runtime);
      return closing;
    },
  };
}

/**
 * The server's request listener. Invocations are the hot path: Lambda Invoke calls and API Gateway
 * requests are answered directly, the rest through express. Express's app and router layers cost
 * a measurable share of each warm request (the gateway and core benchmarks).
 */
function dispatcher(features: Feature[], app: Express): (req: IncomingMessage, res: ServerResponse) => void {
  const unclaimed = features.find((f) => f.routes && !f.claims && !f.direct);
  // A programming error: the gateway (which takes every request left over) would hide its routes.
  if (unclaimed) throw new Error(`feature ${unclaimed.name} mounts routes but claims no requests`);
  return (req, res) => {
    for (const f of features) {
      if (f.direct?.(req, res)) return;
      if (f.claims?.(req)) return app(req, res);
    }
    app(req, res);
  };
}

async function shutdown(server: Server, features: Feature[], runtime: Runtime): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  for (const f of [...features].reverse()) await Promise.resolve(f.stop?.()).catch(() => undefined);
  await runtime.shutdown();
  // Responses of the last invocations are being written now; give them a moment before cutting sockets.
  server.closeIdleConnections();
  const grace = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
  await Promise.race([closed, grace]);
  server.closeAllConnections();
  await closed;
}
