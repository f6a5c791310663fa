// The HTTP API's Lambda event (payload format 2.0): lower-case headers with repeats joined by
// commas, cookies split out of the Cookie header, no multi-value maps, empty fields left out.
import { encodeRequestBody } from './body.js';
import { ownGet, ownSet } from './dict.js';
import { domainPrefix, portOf, type ApiIdentity } from './event-v1.js';
import { formatRequestTime, parseQuery, type GatewayRequest } from './request.js';
import type { RouteMatch } from './routes.js';

/** Builds a payload 2.0 event. */
export function buildEventV2(request: GatewayRequest, match: RouteMatch, body: Buffer, api: ApiIdentity): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (name === 'cookie') {
      cookies ??= [];
      for (const c of value.split(';')) {
        const trimmed = c.trim();
        if (trimmed !== '') cookies.push(trimmed);
      }
      continue;
    }
    const prev = ownGet(headers, name);
    ownSet(headers, name, prev === undefined ? value : `${prev},${value}`);
  }
  headers['x-forwarded-for'] ??= request.sourceIp;
  headers['x-forwarded-port'] ??= portOf(request.host);
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-amzn-trace-id'] ??= request.traceId;

  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
  };
  if (cookies && cookies.length > 0) event.cookies = cookies;
  event.headers = headers;
  const query = parseQuery(request.rawQueryString);
  if (query.length > 0) {
    const qs: Record<string, string> = {};
    for (const [name, value] of query) {
      const prev = ownGet(qs, name);
      ownSet(qs, name, prev === undefined ? value : `${prev},${value}`);
    }
    event.queryStringParameters = qs;
  }
  event.requestContext = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName: request.host,
    domainPrefix: domainPrefix(request.host),
    http: {
      method: request.method,
      path: request.rawPath,
      protocol: request.protocol,
      sourceIp: request.sourceIp,
      userAgent: request.userAgent,
    },
    requestId: request.extendedRequestId,
    routeKey: match.route.routeKey,
    stage: '$default',
    time: formatRequestTime(request.timeEpoch),
    timeEpoch: request.timeEpoch,
  };
  if (Object.keys(match.pathParameters).length > 0) event.pathParameters = match.pathParameters;
  const encoded = encodeRequestBody(body, headers['content-type']);
  if (encoded.body !== null) event.body = encoded.body;
  event.isBase64Encoded = encoded.isBase64Encoded;
  return event;
}
