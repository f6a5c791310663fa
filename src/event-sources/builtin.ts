// The event sources coldstart ships. Each folder registers itself when its source.ts is imported,
// so adding one is its folder and one import line below; the order of the lines is the order the
// sources' features are created and started in (the gateway's always ends up last: it is the fallback).
import '../sqs/source.js';
import '../schedule/source.js';
import '../gateway/source.js';
import { registeredBuiltins } from './builtins.js';
import { EventSourceRegistry } from './registry.js';

/** A registry of every built-in event source. */
export function builtinEventSources(): EventSourceRegistry {
  const registry = new EventSourceRegistry();
  for (const source of registeredBuiltins()) registry.register(source);
  return registry;
}
