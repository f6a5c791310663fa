// CORS as each API does it. The REST API answers preflights with the OPTIONS mock method the
// Serverless Framework creates for `cors: true` and leaves the actual response's CORS headers to
// the function. The HTTP API answers preflights itself and sets the CORS headers of every
// response, ignoring the ones the function sent.
import type { CorsConfig } from '../types/config.js';
import type { Reply } from './reply.js';
import type { ApiKind, Route } from './routes.js';

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

function originMatches(pattern: string, origin: string): boolean {
  if (pattern === '*' || pattern === origin) return true;
  if (!pattern.includes('*')) return false;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(origin);
}

/** The Access-Control-Allow-Origin value for a request origin, or null when it is not allowed. */
export function allowedOrigin(cors: CorsConfig, origin: string | undefined): string | null {
  const wildcard = cors.origins.includes('*');
  if (origin !== undefined && cors.origins.some((p) => originMatches(p, origin))) {
    return wildcard && !cors.allowCredentials ? '*' : origin;
  }
  if (wildcard) return '*';
  return null;
}

/** Methods a preflight announces: the configured list, else those of the routes at the path plus OPTIONS. */
export function allowedMethods(cors: CorsConfig, routes: Route[]): string[] {
  const set = new Set<string>(['OPTIONS']);
  const add = (method: string) => {
    const m = method.toUpperCase();
    if (m === 'ANY' || m === '*') for (const each of ALL_METHODS) set.add(each);
    else set.add(m);
  };
  if (cors.methods.length > 0) cors.methods.forEach(add);
  else for (const r of routes) add(r.method);
  return [...set].sort();
}

/** The answer to a preflight (OPTIONS) request for a path whose routes enable CORS. */
export function preflightReply(kind: ApiKind, cors: CorsConfig, routes: Route[], origin: string | undefined): Reply {
  const methods = allowedMethods(cors, routes).join(',');
  const headers: string[] = [];
  if (kind === 'http') {
    // The mock integration of the Serverless Framework's OPTIONS method: 200, static headers; with
    // several origins it echoes the caller's origin when listed, else names the first.
    const allow = allowedOrigin(cors, origin) ?? cors.origins[0] ?? '*';
    headers.push('Content-Type', 'application/json', 'Access-Control-Allow-Origin', allow);
    if (cors.headers.length > 0) headers.push('Access-Control-Allow-Headers', cors.headers.join(','));
    headers.push('Access-Control-Allow-Methods', methods);
    if (cors.allowCredentials) headers.push('Access-Control-Allow-Credentials', 'true');
    if (cors.maxAge !== null) headers.push('Access-Control-Max-Age', String(cors.maxAge));
    return { status: 200, headers, body: Buffer.alloc(0) };
  }
  const allow = allowedOrigin(cors, origin);
  if (allow !== null) {
    headers.push('access-control-allow-origin', allow);
    headers.push('access-control-allow-methods', methods);
    if (cors.headers.length > 0) headers.push('access-control-allow-headers', cors.headers.join(','));
    if (cors.allowCredentials) headers.push('access-control-allow-credentials', 'true');
    if (cors.maxAge !== null) headers.push('access-control-max-age', String(cors.maxAge));
  }
  return { status: 204, headers, body: Buffer.alloc(0) };
}

/** HTTP API only: replaces the function's CORS headers with the API's for an allowed origin. */
export function applyHttpApiCors(reply: Reply, cors: CorsConfig, origin: string | undefined): void {
  if (origin === undefined) return;
  const allow = allowedOrigin(cors, origin);
  const kept: string[] = [];
  for (let i = 0; i < reply.headers.length; i += 2) {
    if (!reply.headers[i]!.toLowerCase().startsWith('access-control-')) kept.push(reply.headers[i]!, reply.headers[i + 1]!);
  }
  if (allow !== null) {
    kept.push('access-control-allow-origin', allow);
    if (cors.allowCredentials) kept.push('access-control-allow-credentials', 'true');
    if (cors.exposedHeaders.length > 0) kept.push('access-control-expose-headers', cors.exposedHeaders.join(','));
  }
  reply.headers = kept;
}
