// What spans functions in http/httpApi events, settled once every function is read: CORS (merged
// per path for REST, API-wide for the HTTP API), the HTTP API's payload format version
// (`provider.httpApi.payload`, overridden by a function's `httpApi.payload`), and routes declared twice.
import { show } from '../config/fields.js';
import type { KeyPath, Locator } from '../config/location.js';
import { isPlainObject } from '../config/variables.js';
import type { PayloadVersion } from '../types/config.js';
import type { ServiceEvents } from '../types/event-source.js';
import type { ParsedRoute } from './config.js';
import { applyCors } from './cors-config.js';

/** Fills CORS and payload versions on every route and refuses a route declared twice. */
export function completeRoutes(service: ServiceEvents): void {
  const { provider, functions, loc } = service;
  const routes: ParsedRoute[] = [];
  for (const { event, raw, path } of service.events) {
    if (event.kind !== 'http' && event.kind !== 'httpApi') continue;
    routes.push({ event, corsRaw: isPlainObject(raw) ? raw.cors : undefined, path });
  }
  applyCors(routes, isPlainObject(provider.httpApi) ? provider.httpApi.cors : undefined, loc);
  applyPayloadVersions(routes, provider, functions, loc);
  refuseDuplicateRoutes(routes, loc);
}

/** Sets the payload format version on every httpApi route: the function's, else the provider's, else 2.0. */
function applyPayloadVersions(routes: ParsedRoute[], provider: Record<string, unknown>, functions: Record<string, unknown>, loc: Locator): void {
  const providerVersion = readVersion(isPlainObject(provider.httpApi) ? provider.httpApi.payload : undefined, ['provider', 'httpApi', 'payload'], loc);
  for (const route of routes) {
    if (route.event.kind !== 'httpApi') continue;
    const fnName = String(route.path[1]);
    const fn = functions[fnName];
    const own = isPlainObject(fn) && isPlainObject(fn.httpApi) ? fn.httpApi.payload : undefined;
    route.event.payload = readVersion(own, ['functions', fnName, 'httpApi', 'payload'], loc) ?? providerVersion ?? '2.0';
  }
}

function readVersion(value: unknown, path: KeyPath, loc: Locator): PayloadVersion | undefined {
  if (value === undefined || value === null) return undefined;
  // YAML reads an unquoted 1.0 as the number 1 and 2.0 as 2.
  const text = typeof value === 'number' ? value.toFixed(1) : value;
  if (text === '1.0' || text === '2.0') return text;
  throw loc.invalid(`payload must be '1.0' or '2.0' (API Gateway's payload format versions), got ${show(value)}`, path);
}

function refuseDuplicateRoutes(routes: ParsedRoute[], loc: Locator): void {
  const seen = new Map<string, ParsedRoute>();
  for (const route of routes) {
    const { kind, method, path } = route.event;
    const key = `${kind} ${method} ${path}`;
    const first = seen.get(key);
    if (first) {
      const api = kind === 'http' ? 'REST API (http)' : 'HTTP API (httpApi)';
      throw loc.invalid(`route ${method} ${path} of the ${api} is declared twice (also by function "${String(first.path[1])}")`, route.path);
    }
    seen.set(key, route);
  }
}
