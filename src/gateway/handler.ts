// One request through the gateway: resolve the route, apply the stage throttle, read the body,
// build the event, invoke the function against the gateway timeout, map the result, answer, and
// publish `gateway.response`. The invocation is never cancelled: when the gateway gives up, the
// function keeps its instance and its concurrency until it ends on its own, as in AWS.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EventBus } from '../events/bus.js';
import type { InvocationService } from '../types/service.js';
import type { InvocationResult } from '../types/runtime.js';
import { restBase64Rule } from './binary.js';
import { MAX_BODY_BYTES, readBody } from './body.js';
import { applyHttpApiCors, preflightReply } from './cors.js';
import type { GatewayErrorCase } from './errors.js';
import { buildEventV1, type ApiIdentity } from './event-v1.js';
import { buildEventV2 } from './event-v2.js';
import { errorReply, writeReply, type Reply } from './reply.js';
import { readRequest, rawHeader, type GatewayRequest } from './request.js';
import { isMalformed, mapResponseV1, mapResponseV2 } from './response.js';
import { resolveRoute, type ApiKind, type RouteTable } from './routes.js';
import type { TokenBucket } from './throttle.js';

/** What the handler reads on every request; replaced as a whole when the configuration changes. */
export interface GatewayState {
  table: RouteTable;
  /** Seconds per kind of API. */
  timeoutSeconds: Record<ApiKind, number>;
  api: Record<ApiKind, ApiIdentity>;
  /** Stage throttles, null when `throttle` is not configured. */
  buckets: Record<ApiKind, TokenBucket> | null;
  /** The REST API's binary media types. */
  binaryMediaTypes: readonly string[];
}

/** The services the handler uses. */
export interface GatewayDeps {
  state(): GatewayState;
  invocations: Pick<InvocationService, 'invoke'>;
  bus: EventBus;
}

/** Handles one request to the gateway; always answers (or finds the client gone). */
export async function handleGatewayRequest(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
  const started = performance.now();
  const state = deps.state();
  const request = readRequest(req, url, Date.now());
  const answer = (kind: ApiKind, reply: Reply, fn?: string, lambdaRequestId?: string, withIds = true) => {
    if (withIds) addRequestIds(kind, reply, request);
    writeReply(res, reply, request.method);
    deps.bus.publish({
      type: 'gateway.response',
      time: Date.now(),
      function: fn,
      requestId: lambdaRequestId,
      method: request.method,
      path: request.rawPath,
      status: reply.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  };
  const fail = (kind: ApiKind, which: GatewayErrorCase, fn?: string, lambdaRequestId?: string) =>
    answer(kind, errorReply(kind, which), fn, lambdaRequestId, which !== 'too-large');

  const resolution = resolveRoute(state.table, request.method, request.rawPath);
  const kind = resolution.kind;
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return fail(kind, 'too-large');

  const match = resolution.match;
  if (request.method === 'OPTIONS' && match?.route.method !== 'OPTIONS') {
    // A preflight: answered by the API (REST: the OPTIONS mock) when the path's routes enable CORS.
    const any = match ?? resolveRoute(state.table, request.method, request.rawPath, true).match;
    if (any && any.route.cors) {
      const trie = any.route.kind === 'http' ? state.table.rest : state.table.httpApi;
      return answer(any.route.kind, preflightReply(any.route.kind, any.route.cors, trie.siblings(any.route), rawHeader(request.rawHeaders, 'origin')), any.route.functionName);
    }
  }
  if (!match) return fail(kind, 'no-route');
  const fn = match.route.functionName;
  if (state.buckets && !state.buckets[kind].take(Date.now())) return fail(kind, 'stage-throttled', fn);

  const read = await readBody(req, MAX_BODY_BYTES);
  if (!read.ok) {
    if (read.reason === 'too-large') return fail(kind, 'too-large', fn);
    return; // The client went away mid-body: nobody to answer, nothing to invoke.
  }
  // An HTTP API route may use payload 1.0: the 1.0 event and response rules, under HTTP API's errors.
  const v1 = match.route.payload === '1.0';
  const event = v1 ? buildEventV1(request, match, resolution.apiPath, read.body, state.api[kind]) : buildEventV2(request, match, read.body, state.api.httpApi);
  const lambdaRequestId = randomUUID();
  const outcome = await invokeWithTimeout(deps, fn, JSON.stringify(event), lambdaRequestId, state.timeoutSeconds[kind] * 1000);

  if (outcome === 'gateway-timeout') {
    deps.bus.log({
      function: fn,
      requestId: lambdaRequestId,
      level: 'WARN',
      message: `API Gateway gave up after ${state.timeoutSeconds[kind]} s (${kind === 'http' ? 504 : 503}); the invocation keeps running and holds its instance and concurrency until it ends or times out`,
    });
    return fail(kind, 'gateway-timeout', fn, lambdaRequestId);
  }
  if (outcome === 'invoke-failed') return fail(kind, 'function-error', fn, lambdaRequestId);
  if (outcome.status === 'throttled') return fail(kind, 'function-throttled', fn, lambdaRequestId);
  if (outcome.outcome !== 'success') return fail(kind, 'function-error', fn, lambdaRequestId);

  // The HTTP API decodes every base64 body; the REST API only binary media types.
  const decode = kind === 'http' ? restBase64Rule(state.binaryMediaTypes, rawHeader(request.rawHeaders, 'accept')) : undefined;
  const mapped = v1 ? mapResponseV1(outcome.payloadJson, decode) : mapResponseV2(outcome.payloadJson);
  if (isMalformed(mapped)) {
    malformed(deps, fn, lambdaRequestId, mapped.malformed);
    return fail(kind, 'function-error', fn, lambdaRequestId);
  }
  if (kind === 'httpApi' && match.route.cors) applyHttpApiCors(mapped, match.route.cors, rawHeader(request.rawHeaders, 'origin'));
  try {
    answer(kind, mapped, fn, lambdaRequestId);
  } catch (err) {
    malformed(deps, fn, lambdaRequestId, `a header is not valid HTTP: ${err instanceof Error ? err.message : String(err)}`);
    fail(kind, 'function-error', fn, lambdaRequestId);
  }
}

function malformed(deps: GatewayDeps, fn: string, requestId: string, reason: string): void {
  deps.bus.log({
    function: fn,
    requestId,
    level: 'ERROR',
    message: `Execution failed due to configuration error: Malformed Lambda proxy response (${reason})`,
  });
}

type InvokeOutcome = InvocationResult | 'gateway-timeout' | 'invoke-failed';

function invokeWithTimeout(deps: GatewayDeps, functionName: string, payloadJson: string, requestId: string, timeoutMs: number): Promise<InvokeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve('gateway-timeout');
    }, timeoutMs);
    deps.invocations.invoke({ functionName, payloadJson, source: 'gateway', requestId }).then(
      (result) => {
        if (settled) return; // The gateway already answered; the runtime reports the late end itself.
        clearTimeout(timer);
        resolve(result);
      },
      (err: unknown) => {
        deps.bus.log({
          function: functionName,
          requestId,
          level: 'ERROR',
          message: `the gateway could not invoke the function: ${err instanceof Error ? err.message : String(err)}`,
        });
        if (settled) return;
        clearTimeout(timer);
        resolve('invoke-failed');
      },
    );
  });
}

function addRequestIds(kind: ApiKind, reply: Reply, request: GatewayRequest): void {
  if (kind === 'http') {
    reply.headers.push('x-amzn-RequestId', request.requestId, 'x-amz-apigw-id', request.extendedRequestId);
    if (reply.status < 400) reply.headers.push('X-Amzn-Trace-Id', request.traceId);
  } else {
    reply.headers.push('apigw-requestid', request.extendedRequestId);
  }
}
