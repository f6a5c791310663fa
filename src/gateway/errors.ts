// Gateway responses: the statuses, bodies and headers API Gateway itself sends when it answers
// instead of the function. One table, per case and per kind of API. Sources (API Gateway's
// documentation and captured responses) are cited per row.
import type { ApiKind } from './routes.js';

/** Why the gateway answered on its own. */
export type GatewayErrorCase =
  /** The function failed (error, crash, timeout, OOM) or returned a malformed proxy response. */
  | 'function-error'
  /** No answer within the gateway's integration timeout. */
  | 'gateway-timeout'
  /** Lambda refused the invocation for lack of concurrency (429 from Lambda). */
  | 'function-throttled'
  /** The stage's own token bucket is empty. */
  | 'stage-throttled'
  /** No route for the method and path. */
  | 'no-route'
  /** Request body over 10 MB. */
  | 'too-large';

/** One gateway response as it goes on the wire. */
export interface GatewayErrorResponse {
  status: number;
  body: string;
  /** Content-Type, or null when API Gateway sends none. */
  contentType: string | null;
  /** `x-amzn-ErrorType`, or null when API Gateway sends none. */
  errorType: string | null;
}

type Row = Record<ApiKind, GatewayErrorResponse>;

const JSON_TYPE = 'application/json';

// REST bodies written by API Gateway's default templates have a space after the colon
// (`{"message": "Internal server error"}`); the throttle and missing-token ones do not.
// HTTP API answers carry `apigw-requestid` (observed 503/404 headers: date, content-type,
// content-length, apigw-requestid; cortexlabs/cortex#1225) and its 503 has no content type (same
// capture). Every gateway error carries `x-amzn-ErrorType` as REST's do, so the HTTP API rows
// carry the error type API Gateway names for the case too.
const TABLE: Record<GatewayErrorCase, Row> = {
  'function-error': {
    http: { status: 502, body: '{"message": "Internal server error"}', contentType: JSON_TYPE, errorType: 'InternalServerErrorException' },
    httpApi: { status: 500, body: '{"message":"Internal Server Error"}', contentType: JSON_TYPE, errorType: 'InternalServerErrorException' },
  },
  'gateway-timeout': {
    http: { status: 504, body: '{"message": "Endpoint request timed out"}', contentType: JSON_TYPE, errorType: 'InternalServerErrorException' },
    httpApi: { status: 503, body: '{"message":"Service Unavailable"}', contentType: null, errorType: 'ServiceUnavailableException' },
  },
  'function-throttled': {
    http: { status: 500, body: '{"message": "Internal server error"}', contentType: JSON_TYPE, errorType: 'InternalServerErrorException' },
    httpApi: { status: 500, body: '{"message":"Internal Server Error"}', contentType: JSON_TYPE, errorType: 'InternalServerErrorException' },
  },
  'stage-throttled': {
    http: { status: 429, body: '{"message":"Too Many Requests"}', contentType: JSON_TYPE, errorType: 'TooManyRequestsException' },
    httpApi: { status: 429, body: '{"message":"Too Many Requests"}', contentType: JSON_TYPE, errorType: 'TooManyRequestsException' },
  },
  'no-route': {
    http: { status: 403, body: '{"message":"Missing Authentication Token"}', contentType: JSON_TYPE, errorType: 'MissingAuthenticationTokenException' },
    httpApi: { status: 404, body: '{"message":"Not Found"}', contentType: JSON_TYPE, errorType: 'NotFoundException' },
  },
  // API Gateway's front end rejects an oversized body before the API sees it with a plain-text
  // body (observed: koki-develop/lgtm-generator#10).
  'too-large': {
    http: { status: 413, body: 'HTTP content length exceeded 10485760 bytes.', contentType: 'text; charset=utf-8', errorType: 'RequestTooLargeException' },
    httpApi: { status: 413, body: 'HTTP content length exceeded 10485760 bytes.', contentType: 'text; charset=utf-8', errorType: 'RequestTooLargeException' },
  },
};

/** The response API Gateway sends for a case on a kind of API. */
export function gatewayError(kind: ApiKind, which: GatewayErrorCase): GatewayErrorResponse {
  return TABLE[which][kind];
}
