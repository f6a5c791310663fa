// Checks that span functions: names that would collide. Checks of single values live where the
// value is read (normalize.ts, handler.ts, settings.ts, queues.ts, each event source's config);
// what spans the events of several functions is each event source's own service-wide step.
import type { FunctionConfig } from '../types/config.js';
import type { Locator } from './location.js';

/** Throws CONFIG_INVALID when two functions share a name. */
export function validateService(functions: Omit<FunctionConfig, 'packageBytes'>[], loc: Locator): void {
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
}
