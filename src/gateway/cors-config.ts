// CORS of http and httpApi routes, as the Serverless Framework v3 compiles it:
// REST (`http`): per event, then merged per path (one OPTIONS preflight answers for the path);
// HTTP API: one configuration for the whole API (`provider.httpApi.cors`), whose methods are
// every route's. An httpApi event's own `cors` is accepted too (the spec lets events set cors).
import type { CorsConfig } from '../types/config.js';
import { optionalNumber, readBoolean, readMap, show } from '../config/fields.js';
import type { ParsedRoute } from './config.js';
import type { KeyPath, Locator } from '../config/location.js';

/** Headers `cors: true` allows on a REST API (Serverless v3). */
export const REST_CORS_HEADERS = ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token', 'X-Amz-User-Agent'];
/** Headers `cors: true` allows on an HTTP API (Serverless v3 adds X-Amzn-Trace-Id there). */
export const HTTP_API_CORS_HEADERS = [...REST_CORS_HEADERS, 'X-Amzn-Trace-Id'];
const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE'];

/** Fills `cors` on every route of the service. */
export function applyCors(routes: ParsedRoute[], providerHttpApiCors: unknown, loc: Locator): void {
  applyRestCors(routes.filter((r) => r.event.kind === 'http'), loc);
  applyHttpApiCors(routes.filter((r) => r.event.kind === 'httpApi'), providerHttpApiCors, loc);
}

function applyRestCors(routes: ParsedRoute[], loc: Locator): void {
  const byPath = new Map<string, CorsConfig>();
  const withCors = routes.filter((r) => r.corsRaw !== undefined && r.corsRaw !== null && r.corsRaw !== false);
  for (const route of withCors) {
    const own = restCors(route, loc);
    const merged = byPath.get(route.event.path);
    if (!merged) {
      byPath.set(route.event.path, own);
      continue;
    }
    merged.origins = union(merged.origins, own.origins);
    merged.headers = union(merged.headers, own.headers);
    merged.methods = union(merged.methods, own.methods);
    merged.exposedHeaders = union(merged.exposedHeaders, own.exposedHeaders);
    merged.allowCredentials ||= own.allowCredentials;
    if (own.maxAge !== null) merged.maxAge = own.maxAge;
  }
  for (const route of withCors) route.event.cors = structuredClone(byPath.get(route.event.path)!);
}

function restCors(route: ParsedRoute, loc: Locator): CorsConfig {
  const method = route.event.method;
  if (route.corsRaw === true || route.corsRaw === 'true') {
    return { origins: ['*'], headers: [...REST_CORS_HEADERS], methods: ['OPTIONS', method], allowCredentials: false, exposedHeaders: [], maxAge: null };
  }
  const path: KeyPath = [...route.path, 'cors'];
  const raw = readMap(route.corsRaw, path, loc);
  const origins = raw.origins !== undefined ? strings(raw.origins, [...path, 'origins'], loc) : strings(raw.origin ?? '*', [...path, 'origin'], loc);
  const methods = raw.methods !== undefined ? strings(raw.methods, [...path, 'methods'], loc).map((m) => m.toUpperCase()) : [];
  return {
    origins,
    headers: raw.headers !== undefined ? strings(raw.headers, [...path, 'headers'], loc) : [...REST_CORS_HEADERS],
    methods: union(methods, ['OPTIONS', method]),
    allowCredentials: readBoolean(raw.allowCredentials, [...path, 'allowCredentials'], loc, false),
    exposedHeaders: raw.exposedHeaders !== undefined ? strings(raw.exposedHeaders, [...path, 'exposedHeaders'], loc) : [],
    maxAge: raw.maxAge === undefined ? null : optionalNumber(raw.maxAge, [...path, 'maxAge'], loc, 0, { min: 0, integer: true }),
  };
}

function applyHttpApiCors(routes: ParsedRoute[], providerCors: unknown, loc: Locator): void {
  // Methods `cors: true` allows: OPTIONS and every route's method (ANY means all of them).
  const routeMethods = ['OPTIONS'];
  for (const r of routes) {
    routeMethods.push(...(r.event.method === 'ANY' ? ALL_METHODS : [r.event.method]));
  }
  const apiCors = httpApiCors(providerCors, ['provider', 'httpApi', 'cors'], union(routeMethods, []), loc);
  for (const route of routes) {
    const own = route.corsRaw;
    route.event.cors =
      own === undefined || own === null ? apiCors : httpApiCors(own, [...route.path, 'cors'], union(['OPTIONS'], routeMethods), loc);
  }
}

function httpApiCors(value: unknown, path: KeyPath, defaultMethods: string[], loc: Locator): CorsConfig | null {
  if (value === undefined || value === null || value === false) return null;
  if (value === true || value === 'true') {
    return { origins: ['*'], headers: [...HTTP_API_CORS_HEADERS], methods: defaultMethods, allowCredentials: false, exposedHeaders: [], maxAge: null };
  }
  const raw = readMap(value, path, loc);
  // HTTP API names (allowedOrigins...) and the REST names (origins...) are both accepted.
  const pick = (a: string, b: string) => (raw[a] !== undefined ? { v: raw[a], k: a } : { v: raw[b], k: b });
  const origins = pick('allowedOrigins', 'origins');
  const headers = pick('allowedHeaders', 'headers');
  const methods = pick('allowedMethods', 'methods');
  const exposed = pick('exposedResponseHeaders', 'exposedHeaders');
  return {
    origins: origins.v !== undefined ? strings(origins.v, [...path, origins.k], loc) : ['*'],
    headers: headers.v !== undefined ? strings(headers.v, [...path, headers.k], loc) : [...HTTP_API_CORS_HEADERS],
    methods: methods.v !== undefined ? strings(methods.v, [...path, methods.k], loc).map((m) => m.toUpperCase()) : defaultMethods,
    allowCredentials: readBoolean(raw.allowCredentials, [...path, 'allowCredentials'], loc, false),
    exposedHeaders: exposed.v !== undefined ? strings(exposed.v, [...path, exposed.k], loc) : [],
    maxAge: raw.maxAge === undefined ? null : optionalNumber(raw.maxAge, [...path, 'maxAge'], loc, 0, { min: 0, integer: true }),
  };
}

function strings(value: unknown, path: KeyPath, loc: Locator): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()) : null;
  if (!list || !list.every((v) => typeof v === 'string')) {
    throw loc.invalid(`${String(path[path.length - 1])} must be a list of strings, got ${show(value)}`, path);
  }
  return list as string[];
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
