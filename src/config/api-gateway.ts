// The REST API's settings from serverless.yml: its binary media types
// (`provider.apiGateway.binaryMediaTypes`).
import type { RestApiSettings } from '../types/config.js';
import { readList, readMap, readString, show } from './fields.js';
import type { KeyPath, Locator } from './location.js';

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
