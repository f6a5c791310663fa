// The API Gateway feature: one catch-all middleware over a precompiled route table. The table,
// timeouts and stage throttles are rebuilt when the configuration changes, never per request.
import type { Express, NextFunction, Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext, Feature } from '../types/feature.js';
import { LOCAL_ACCOUNT_ID } from '../types/arn.js';
import type { ServiceConfig, StageThrottle } from '../types/config.js';
import { handleGatewayRequest, type GatewayState } from './handler.js';
import { buildRouteTable, shortHash, type ApiKind, type Route } from './routes.js';
import { TokenBucket } from './throttle.js';

/** API Gateway's integration timeouts when none is configured: 29 s REST, 30 s HTTP API. */
export const DEFAULT_GATEWAY_TIMEOUT: Record<ApiKind, number> = { http: 29, httpApi: 30 };

/** Compiles the per-request state from a configuration; reuses buckets whose settings did not change. */
export function buildGatewayState(config: ServiceConfig, previous: GatewayState | null, now = Date.now()): GatewayState {
  const table = buildRouteTable(config);
  const configured = config.settings.gatewayTimeout;
  const throttle = config.settings.throttle;
  return {
    table,
    timeoutSeconds: {
      http: configured ?? DEFAULT_GATEWAY_TIMEOUT.http,
      httpApi: configured ?? DEFAULT_GATEWAY_TIMEOUT.httpApi,
    },
    api: {
      http: { accountId: LOCAL_ACCOUNT_ID, apiId: shortHash(`${config.service} rest`, 10), stage: config.stage },
      httpApi: { accountId: LOCAL_ACCOUNT_ID, apiId: shortHash(`${config.service} httpApi`, 10), stage: '$default' },
    },
    buckets: throttle ? reuseBuckets(previous, throttle, now) : null,
    binaryMediaTypes: config.restApi?.binaryMediaTypes ?? [],
  };
}

function reuseBuckets(previous: GatewayState | null, throttle: StageThrottle, now: number): Record<ApiKind, TokenBucket> {
  const old = previous?.buckets;
  if (old && sameThrottle(old.http, throttle)) return old;
  // The REST API and the HTTP API are separate APIs in AWS, each with its own stage throttle.
  return { http: new TokenBucket({ ...throttle }, now), httpApi: new TokenBucket({ ...throttle }, now) };
}

function sameThrottle(bucket: TokenBucket, throttle: StageThrottle): boolean {
  const s = bucket.settings;
  return s.rateLimit === throttle.rateLimit && s.burstLimit === throttle.burstLimit;
}

/** A route as the state document shows it: how it is reached on this server. */
export interface RouteState {
  kind: ApiKind;
  method: string;
  path: string;
  function: string;
}

/** The gateway as the state document shows it. */
export interface GatewayStateView {
  routes: RouteState[];
  timeoutSeconds: Record<ApiKind, number>;
  throttle: StageThrottle | null;
}

declare module '../types/feature.js' {
  interface FeatureStates {
    /** The route table, integration timeouts and stage throttle. */
    gateway: GatewayStateView;
  }
}

/** How a route is reached on this server, for the state view. */
function describeRoute(route: Route, stage: string): RouteState {
  const path = route.resource === '$default' ? '/*' : route.kind === 'http' ? `/${stage}${route.resource === '/' ? '' : route.resource}` : route.resource;
  return { kind: route.kind, method: route.method, path, function: route.functionName };
}

/** Creates the gateway feature; mount it last, it answers every path the others left. */
export function createGatewayFeature(ctx: AppContext): Feature {
  let state = buildGatewayState(ctx.config.current(), null);
  const report = () => {
    for (const w of state.table.warnings) ctx.printError(`gateway: function "${w.function}": ${w.message}`);
  };
  report();
  let unsubscribe: (() => void) | null = ctx.config.onChange((next) => {
    state = buildGatewayState(next, state);
    report();
  });
  const deps = { state: () => state, invocations: ctx.invocations, bus: ctx.bus };
  const serve = (req: IncomingMessage, res: ServerResponse, url = req.url ?? '/') => {
    handleGatewayRequest(deps, req, res, url).catch((err: unknown) => {
      // A bug here must still give the client exactly one answer.
      ctx.printError(`gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"message":"Internal Server Error"}');
      } else {
        res.destroy();
      }
    });
  };

  return {
    name: 'gateway',
    // Mounted last, it answers every request no other feature took (see the composition root).
    fallback: true,
    direct: (req, res) => {
      serve(req, res);
      return true;
    },
    // Claimed requests that no route of their feature answered still end at the gateway.
    routes(app: Express) {
      app.use((req: Request, res: Response, _next: NextFunction) => serve(req, res, req.originalUrl));
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
    },
    state() {
      const t = state.table;
      const routes = [...t.rest.routes, ...t.httpApi.routes, ...(t.httpApiDefault ? [t.httpApiDefault] : [])];
      return {
        gateway: {
          routes: routes.map((r) => describeRoute(r, t.stage)),
          timeoutSeconds: state.timeoutSeconds,
          throttle: state.buckets ? { ...state.buckets.http.settings } : null,
        },
      };
    },
  };
}
