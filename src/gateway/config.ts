// `http` and `httpApi` events in serverless.yml -> HttpRouteEventConfig. A route's CORS and the
// HTTP API's payload version are completed once every function is read (routes-config.ts).
import { readString, show } from '../config/fields.js';
import type { KeyPath, Locator } from '../config/location.js';
import { isPlainObject } from '../config/variables.js';
import type { CorsConfig, PayloadVersion } from '../types/config.js';

/** An API Gateway route: `http` (REST API, payload 1.0) or `httpApi` (HTTP API, payload 2.0). */
export interface HttpRouteEventConfig {
  kind: 'http' | 'httpApi';
  /** Upper-case method, or `ANY`. */
  method: string;
  /** Path as written, normalised to start with `/` (e.g. `/users/{id}`, `/files/{proxy+}`); `*` for the httpApi catch-all. */
  path: string;
  cors: CorsConfig | null;
  /** REST only: the method's OperationName (`operationId`), passed as `requestContext.operationName`. */
  operationId?: string;
  /** HTTP API only: the payload format version of the integration (default 2.0). */
  payload?: PayloadVersion;
}

/** An http/httpApi route before CORS is completed: `corsRaw` holds what the user wrote. */
export interface ParsedRoute {
  event: HttpRouteEventConfig;
  corsRaw: unknown;
  path: KeyPath;
}

/** Keys of an http event's map that are emulated. */
export const HTTP_KEYS = ['path', 'method', 'cors', 'integration', 'operationId', 'description'] as const;
/** Keys of an httpApi event's map that are emulated. */
export const HTTP_API_KEYS = ['path', 'method', 'cors'] as const;

const REST_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE', 'ANY']);

/** Reads one `http` entry: "METHOD path" or a map with path and method. */
export function readHttp(value: unknown, path: KeyPath, loc: Locator): HttpRouteEventConfig {
  let method: unknown;
  let routePath: unknown;
  let operationId: unknown;
  if (typeof value === 'string') {
    const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(value);
    if (!m) throw loc.invalid(`http event must be "METHOD path" (e.g. "GET users/{id}"), got ${show(value)}`, path);
    [method, routePath] = [m[1], m[2]];
  } else if (isPlainObject(value)) {
    ({ method, path: routePath, operationId } = value);
    if (routePath === undefined) throw loc.invalid('http event needs a path', [...path, 'path']);
    if (method === undefined) throw loc.invalid('http event needs a method', [...path, 'method']);
  } else {
    throw loc.invalid(`http event must be "METHOD path" or a map with path and method, got ${show(value)}`, path);
  }
  const upper = readString(method, [...path, 'method'], loc).toUpperCase();
  if (!REST_METHODS.has(upper)) {
    throw loc.invalid(`http method "${String(method)}" is not one of ${[...REST_METHODS].join(', ')}`, [...path, 'method']);
  }
  const text = readString(routePath === '' ? '/' : routePath, [...path, 'path'], loc);
  const normalized = `/${text.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  checkPathParameters(normalized, [...path, 'path'], loc);
  const event: HttpRouteEventConfig = { kind: 'http', method: upper, path: normalized, cors: null };
  if (operationId !== undefined && operationId !== null) event.operationId = readString(operationId, [...path, 'operationId'], loc);
  return event;
}

/** Reads one `httpApi` entry: "METHOD /path", "*" or a map with path and method. */
export function readHttpApi(value: unknown, path: KeyPath, loc: Locator): HttpRouteEventConfig {
  let method: unknown;
  let routePath: unknown;
  if (typeof value === 'string') {
    if (value.trim() === '*') {
      routePath = '*';
    } else {
      const m = /^\s*(\S+)\s+(\/\S*)\s*$/.exec(value);
      if (!m) throw loc.invalid(`httpApi event must be "METHOD /path" or "*", got ${show(value)}`, path);
      [method, routePath] = [m[1], m[2]];
    }
  } else if (isPlainObject(value)) {
    ({ method, path: routePath } = value);
    if (routePath === undefined) throw loc.invalid('httpApi event needs a path', [...path, 'path']);
  } else {
    throw loc.invalid(`httpApi event must be "METHOD /path", "*" or a map with path and method, got ${show(value)}`, path);
  }
  const text = readString(routePath, [...path, 'path'], loc);
  if (text === '*') {
    if (method !== undefined && method !== '*') throw loc.invalid('the httpApi catch-all path "*" takes no method', [...path, 'method']);
    return { kind: 'httpApi', method: 'ANY', path: '*', cors: null };
  }
  if (!text.startsWith('/')) throw loc.invalid(`httpApi path must start with "/" (or be "*"), got ${show(text)}`, [...path, 'path']);
  if (method === undefined) throw loc.invalid('httpApi event needs a method (or "*")', [...path, 'method']);
  let upper = readString(method, [...path, 'method'], loc).toUpperCase();
  if (upper === '*') upper = 'ANY';
  if (!REST_METHODS.has(upper)) {
    throw loc.invalid(`httpApi method "${String(method)}" is not one of ${[...REST_METHODS].join(', ')} or *`, [...path, 'method']);
  }
  checkPathParameters(text, [...path, 'path'], loc);
  return { kind: 'httpApi', method: upper, path: text, cors: null };
}

/** Only the Lambda proxy integration is emulated; `lambda` (custom mapping) and HTTP proxies are not. */
export function httpNotEmulated(value: Record<string, unknown>, at: string): string[] {
  const integration = value.integration;
  if (typeof integration === 'string' && !/^(lambda[-_]proxy|aws[-_]proxy)$/i.test(integration)) {
    return [`${at}.integration (${integration}; only lambda-proxy is emulated)`];
  }
  return [];
}

// API Gateway accepts `{name}` segments and one greedy `{name+}` as the last segment.
function checkPathParameters(routePath: string, path: KeyPath, loc: Locator): void {
  const segments = routePath.split('/');
  segments.forEach((seg, i) => {
    if (!seg.includes('{') && !seg.includes('}')) return;
    if (!/^\{[A-Za-z0-9_.-]+\+?\}$/.test(seg)) {
      throw loc.invalid(`path segment "${seg}" must be a whole {parameter} or {proxy+}`, path);
    }
    if (seg.endsWith('+}') && i !== segments.length - 1) {
      throw loc.invalid(`greedy parameter ${seg} must be the last segment of the path`, path);
    }
  });
}
