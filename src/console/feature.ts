// The console: health, state and metrics endpoints, the live page, and the event stream.
import express, { type Express, type Response } from 'express';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { hasPathPrefix } from '../http/path-prefix.js';
import type { AppContext, Feature } from '../types/feature.js';
import { EVENTS_PATH, EventStream } from './event-stream.js';
import { MetricsCollector } from './metrics.js';
import { RecentEvents } from './recent.js';
import { buildState } from './state.js';
import { serveSimulationReport } from './simulation-report.js';

/** The console's JSON endpoints. */
const API_PATHS = new Set(['/__coldstart/health', '/__coldstart/state', '/__coldstart/metrics']);

/** Events replayed to a console that connects late. */
const HISTORY_SIZE = 1000;
/** Log text in the history a connecting console gets, at most (the newest events that fit). */
const SNAPSHOT_HISTORY_CHARS = 1024 * 1024;

/** Creates the console feature (routes under `/__coldstart`, WebSocket on `/__coldstart/events`). */
export function createConsoleFeature(ctx: AppContext): Feature {
  const metrics = new MetricsCollector();
  const recent = new RecentEvents(HISTORY_SIZE);
  const unfollow = [metrics.follow(ctx.bus), ctx.bus.subscribe((e) => recent.add(e))];
  const metricsReport = () => metrics.report(ctx.invocations.listFunctions().map((f) => f.name));
  const stream = new EventStream({
    bus: ctx.bus,
    snapshot: () => ({ ...buildState(ctx), metrics: metricsReport(), recent: recent.latest(SNAPSHOT_HISTORY_CHARS) }),
    serverHostname: () => serverHostname(ctx),
    allowedHosts: () => ctx.config.current().settings.allowedHosts,
    warn: (line) => ctx.printError(line),
  });

  return {
    name: 'console',
    claims: (req) => hasPathPrefix(req.url, '/__coldstart'),
    // The JSON documents are for programs and the console's own page; the page itself is public.
    api: {
      owns: (req) => API_PATHS.has((req.url ?? '').split('?')[0]!),
      refuse: (res, refusal) => {
        const body = JSON.stringify({ message: refusal.message });
        res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' }).end(body);
      },
    },
    routes(app: Express) {
      app.get('/__coldstart/health', (_req, res) => {
        res.json({ status: 'ok' });
      });
      app.get('/__coldstart/state', (_req, res) => {
        noStore(res).json(buildState(ctx));
      });
      app.get('/__coldstart/metrics', (_req, res) => {
        // Queue counts (the SQS feature's part of the state) sit beside the function metrics.
        noStore(res).json({ ...metricsReport(), queues: ctx.featureState().queues ?? [] });
      });
      app.get(EVENTS_PATH, (_req, res) => {
        res.status(426).set('Upgrade', 'websocket').json({ message: `${EVENTS_PATH} is a WebSocket endpoint` });
      });
      serveSimulationReport(app, ctx);
      app.get('/__coldstart', (req, res, next) => {
        // Express matches a trailing slash here too; only the bare path needs the redirect.
        if (req.originalUrl.split('?')[0] !== '/__coldstart') return next();
        res.redirect(301, '/__coldstart/');
      });
      app.use(
        '/__coldstart',
        express.static(staticDir(), {
          index: 'index.html',
          redirect: false,
          setHeaders: (res) => {
            res.setHeader('Cache-Control', 'no-cache');
            res.setHeader('X-Content-Type-Options', 'nosniff');
            res.setHeader('Referrer-Policy', 'no-referrer');
            res.setHeader(
              'Content-Security-Policy',
              "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            );
          },
        }),
      );
      // Keep unknown console paths away from the gateway's catch-all.
      app.use('/__coldstart', (req, res) => {
        res.status(404).json({ message: `no console resource at ${req.originalUrl}` });
      });
    },
    start(server: Server) {
      stream.attach(server);
    },
    stop() {
      stream.close();
      for (const off of unfollow) off();
    },
  };
}

function noStore(res: Response): Response {
  return res.setHeader('Cache-Control', 'no-store');
}

function serverHostname(ctx: AppContext): string {
  try {
    return new URL(ctx.baseUrl()).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return 'localhost';
  }
}

/** The page's files: copied next to the compiled code by scripts/copy-static.mjs. */
function staticDir(): string {
  const built = fileURLToPath(new URL('./static/', import.meta.url));
  if (existsSync(built)) return built;
  // Running from a build whose static copy step was skipped: serve the sources.
  return fileURLToPath(new URL('../../../src/console/static/', import.meta.url));
}
