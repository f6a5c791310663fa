// API-wide gateway settings from serverless.yml: the REST API's binary media types
// (`provider.apiGateway.binaryMediaTypes`) and the HTTP API's payload format version
// (`provider.httpApi.payload`, overridden by a function's `httpApi.payload`).
import type { PayloadVersion, RestApiSettings } from '../types/config.js';
import type { ParsedRoute } from './events.js';
import { readList, readMap, readString, show } from './fields.js';
import type { KeyPath, Locator } from './location.js';
import { isPlainObject } from './variables.js';

/** Reads `provider.apiGateway` settings the gateway emulates. */
export function readRestApiSettings(provider: Record<string, unknown>, loc: Locator): RestApiSettings {
  const base: KeyPath = ['provider', 'apiGateway'];
  const api = readMap(provider.apiGateway, base, loc);
  const at: KeyPath = [...base, 'binaryMediaTypes'];
  const binaryMediaTypes = readList(api.binaryMediaTypes, at, loc).map((v, i) => {
    const type = readString(v, [...at, i], loc).trim();
    if (!/^[^/\s]+\/[^/\s]+$/.test(type)) throw loc.invalid(`binary media type must be "type/subtype" (e.g. image/png or */*), got ${show(v)}`, [...at, i]);
    return type;
  });
  return { binaryMediaTypes };
}

/** Sets the payload format version on every httpApi route: the function's, else the provider's, else 2.0. */
export function applyPayloadVersions(routes: ParsedRoute[], provider: Record<string, unknown>, functions: Record<string, unknown>, loc: Locator): void {
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
