// The Lambda proxy event of payload format 1.0 (every REST API route, and HTTP API routes set to
// 1.0), field for field as API Gateway sends it: absent maps are null, header names keep the
// client's case, repeats go to the multi-value maps.
import { encodeRequestBody } from './body.js';
import { ownGet, ownSet } from './dict.js';
import { formatRequestTime, parseQuery, rawHeader, type GatewayRequest } from './request.js';
import type { RouteMatch } from './routes.js';

/** Identity of the API the events claim to come from. */
export interface ApiIdentity {
  accountId: string;
  apiId: string;
  stage: string;
}

/** Builds a payload 1.0 event. `apiPath` is the path without the stage prefix. */
export function buildEventV1(
  request: GatewayRequest,
  match: RouteMatch,
  apiPath: string,
  body: Buffer,
  api: ApiIdentity,
): Record<string, unknown> {
  const { headers, multiValueHeaders } = headersV1(request);
  const query = parseQuery(request.rawQueryString);
  let queryStringParameters: Record<string, string> | null = null;
  let multiValueQueryStringParameters: Record<string, string[]> | null = null;
  if (query.length > 0) {
    queryStringParameters = {};
    multiValueQueryStringParameters = {};
    for (const [name, value] of query) {
      // The single-value map keeps the last occurrence, as API Gateway does.
      ownSet(queryStringParameters, name, value);
      const values = ownGet(multiValueQueryStringParameters, name);
      if (values) values.push(value);
      else ownSet(multiValueQueryStringParameters, name, [value]);
    }
  }
  const pathParameters = Object.keys(match.pathParameters).length > 0 ? match.pathParameters : null;
  const encoded = encodeRequestBody(body, rawHeader(request.rawHeaders, 'content-type'));
  const { route } = match;
  const requestContext: Record<string, unknown> = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName: request.host,
    domainPrefix: domainPrefix(request.host),
    extendedRequestId: request.extendedRequestId,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: request.userAgent,
      userArn: null,
      clientCert: null,
    },
    // The HTTP API's $default stage does not appear in the path.
    path: api.stage === '$default' ? apiPath : `/${api.stage}${apiPath === '/' ? '/' : apiPath}`,
    protocol: request.protocol,
    requestId: request.requestId,
    requestTime: formatRequestTime(request.timeEpoch),
    requestTimeEpoch: request.timeEpoch,
    resourceId: route.resourceId,
    resourcePath: route.resource,
    stage: api.stage,
  };
  if (route.operationName !== null) requestContext.operationName = route.operationName;
  const event: Record<string, unknown> = route.kind === 'httpApi' ? { version: '1.0' } : {};
  return Object.assign(event, {
    resource: route.resource,
    path: apiPath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters,
    stageVariables: null,
    requestContext,
    body: encoded.body,
    isBase64Encoded: encoded.isBase64Encoded,
  });
}

/** The first label of a host name (`abc` of `abc.execute-api...`), without the port. */
export function domainPrefix(host: string): string {
  const name = host.replace(/:\d+$/, '');
  const dot = name.indexOf('.');
  return dot === -1 ? name : name.slice(0, dot);
}

function headersV1(request: GatewayRequest): {
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
} {
  const raw = request.rawHeaders;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // Keys keep the case of their first occurrence; later repeats in another case join it.
  const keyOf = new Map<string, string>();
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    let key = keyOf.get(lower);
    if (key === undefined) {
      key = name;
      keyOf.set(lower, key);
    }
    ownSet(headers, key, value);
    const values = ownGet(multiValueHeaders, key);
    if (values) values.push(value);
    else ownSet(multiValueHeaders, key, [value]);
  };
  for (let i = 0; i < raw.length; i += 2) add(raw[i]!, raw[i + 1]!);
  // Headers API Gateway adds on the way in when the client did not send them.
  if (!keyOf.has('x-forwarded-for')) add('X-Forwarded-For', request.sourceIp);
  if (!keyOf.has('x-forwarded-port')) add('X-Forwarded-Port', portOf(request.host));
  if (!keyOf.has('x-forwarded-proto')) add('X-Forwarded-Proto', 'http');
  if (!keyOf.has('x-amzn-trace-id')) add('X-Amzn-Trace-Id', request.traceId);
  return { headers, multiValueHeaders };
}

/** The port of a Host header value (80 when absent). */
export function portOf(host: string): string {
  const m = /:(\d+)$/.exec(host);
  return m ? m[1]! : '80';
}
