// Checks that span functions: names that would collide and routes declared twice. Checks of single
// values live where the value is read (normalize.ts, events.ts, handler.ts, settings.ts, queues.ts).
import type { FunctionConfig } from '../types/config.js';
import type { ParsedRoute } from './events.js';
import type { Locator } from './location.js';

/** Throws CONFIG_INVALID when two functions share a name or two events the same route. */
export function validateService(functions: Omit<FunctionConfig, 'packageBytes'>[], routes: ParsedRoute[], loc: Locator): void {
  // Both the short and the deployed name identify a function, so all of them must be distinct.
  const owners = new Map<string, string>();
  for (const fn of functions) {
    for (const name of new Set([fn.name, fn.fullName])) {
      const other = owners.get(name);
      if (other !== undefined && other !== fn.name) {
        throw loc.invalid(`function "${fn.name}" and function "${other}" are both called "${name}"`, ['functions', fn.name, 'name']);
      }
      owners.set(name, fn.name);
    }
  }
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
